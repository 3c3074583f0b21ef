"""The query page at /."""

from fastapi import APIRouter

router = APIRouter()
