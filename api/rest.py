"""REST API beyond SPARQL: documents, events, actors, export, health."""

from fastapi import APIRouter

router = APIRouter()
