"""REST API beyond SPARQL: ingest documents, browse events and actors, export the graph, health."""

from __future__ import annotations

import datetime as dt
import tempfile
from collections.abc import Iterator
from typing import Annotated, Any, Literal

import pyoxigraph as ox
from fastapi import APIRouter, Body, Depends, HTTPException, Path, Query, status
from fastapi.responses import StreamingResponse
from rdflib import URIRef

from polkg import __version__
from polkg.api import event_reader as reader
from polkg.api.deps import get_store, require_token
from polkg.api.ingest import Ingestor, get_ingestor
from polkg.api.models import (
    QID_PATTERN,
    ActorDetail,
    DocumentIn,
    EventClass,
    EventPage,
    event_kind,
    Health,
    IngestReport,
)
from polkg.graph.store import FORMATS, MEMORY, GraphStore, QueryError, RemoteStore, StoreError
from polkg.model import Status
from polkg.ontology.vocab import WD

router = APIRouter()
Store = Annotated[GraphStore, Depends(get_store)]
Lang = Annotated[Literal["en", "fr"], Query(description="Preferred language of labels")]
MAX_BATCH = 1000
EXPORT_CHUNK = 1 << 16
ACTOR_EVENTS = 1000


def _select(store: GraphStore) -> reader.Select:
    """Run a SELECT on the store, turning its failures into HTTP errors (they are never the caller's fault)."""

    def select(query: str) -> Iterator[dict[str, Any]]:
        try:
            rows = store.query(query)
        except (QueryError, StoreError) as err:
            raise HTTPException(status.HTTP_503_SERVICE_UNAVAILABLE, f"the store failed: {err}") from err
        return (row.asdict() for row in rows)

    return select


_DOCUMENT_SCHEMA = DocumentIn.model_json_schema()
_BATCH_SCHEMA = {
    "content": {
        "application/json": {
            "schema": {
                "oneOf": [
                    _DOCUMENT_SCHEMA,
                    {"type": "array", "items": _DOCUMENT_SCHEMA, "minItems": 1, "maxItems": MAX_BATCH},
                ]
            }
        }
    },
    "required": True,
}


@router.post(
    "/documents",
    tags=["documents"],
    dependencies=[Depends(require_token)],
    openapi_extra={"requestBody": _BATCH_SCHEMA},
    responses={401: {"description": "No token"}, 403: {"description": "Wrong token, or writes disabled"}},
)
def post_documents(
    body: Annotated[Any, Body()],
    store: Store,
    ingestor: Annotated[Ingestor, Depends(get_ingestor)],
    force: Annotated[bool, Query(description="Re-extract documents already stored unchanged")] = False,
) -> IngestReport:
    """Extract, link and store one document or a list of them; returns the events created.

    A document that cannot be read, extracted or stored is reported in ``errors`` and skipped; the others
    are stored (each in one transaction: a failed write leaves its previous graph in place). A document
    already stored with the same text and metadata is left as it is unless ``force``.
    """
    items = body if isinstance(body, list) else [body]
    if not isinstance(body, (list, dict)) or not items:
        raise HTTPException(status.HTTP_422_UNPROCESSABLE_CONTENT, "expected a document object or a non-empty list")
    if len(items) > MAX_BATCH:
        raise HTTPException(status.HTTP_413_CONTENT_TOO_LARGE, f"at most {MAX_BATCH} documents per request")
    return ingestor.ingest(items, store, force=force)


@router.get("/events", tags=["events"])
def get_events(
    store: Store,
    type: Annotated[EventClass | None, Query(description="Event type; Meeting includes PhoneCall and Visit")] = None,
    actor: Annotated[str | None, Query(pattern=QID_PATTERN, description="Wikidata QID of an actor")] = None,
    start: Annotated[dt.date | None, Query(alias="from", description="First day (inclusive)")] = None,
    end: Annotated[dt.date | None, Query(alias="to", description="Last day (inclusive)")] = None,
    status_: Annotated[Status | None, Query(alias="status")] = None,
    distinct: Annotated[bool, Query(description="One entry per real-world event (no other reports of it)")] = False,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
    offset: Annotated[int, Query(ge=0, le=10_000_000)] = 0,
    lang: Lang = "en",
) -> EventPage:
    """Events matching every given filter, by date (undated last), one page at a time."""
    where = reader.EventFilter(
        type=event_kind(type) if type else None, actor=actor, start=start, end=end, status=status_, distinct=distinct
    )
    select = _select(store)
    return EventPage(
        total=reader.count_events(select, where),
        limit=limit,
        offset=offset,
        items=reader.find_events(select, where, limit, offset, lang),
    )


@router.get("/actors/{qid}", tags=["actors"], responses={404: {"description": "The store never mentions it"}})
def get_actor(
    store: Store,
    qid: Annotated[str, Path(pattern=QID_PATTERN, description="Wikidata QID")],
    lang: Lang = "en",
) -> ActorDetail:
    """A Wikidata-linked actor: its labels, its kind and its events (the first 1000, by date)."""
    select = _select(store)
    labels = reader.actor_labels(select, qid)
    if labels is None:
        raise HTTPException(status.HTTP_404_NOT_FOUND, f"no actor {qid} in the graph")
    return ActorDetail(
        qid=qid,
        iri=str(WD[qid]),
        label=reader.pick_label(labels, lang),
        labels=labels,
        kind=reader.actor_kind(select, qid),
        wikidata=f"https://www.wikidata.org/wiki/{qid}",
        events=reader.find_events(select, reader.EventFilter(actor=qid), ACTOR_EVENTS, 0, lang),
    )


@router.get(
    "/export",
    tags=["export"],
    response_class=StreamingResponse,
    responses={200: {"content": {fmt.media_type: {} for fmt in FORMATS.values()}}, 404: {"description": "No such graph"}},
)
def export(
    store: Store,
    format: Annotated[Literal["turtle", "trig", "nquads", "ntriples", "jsonld"], Query()] = "turtle",
    graph: Annotated[str | None, Query(description="IRI of one named graph (default: everything)")] = None,
) -> StreamingResponse:
    """The graph in an RDF format, as ``polkg export`` writes it (Turtle and N-Triples give the union of graphs).

    The export is written to a temporary file (spilling to disk beyond 16 MB) before the first byte is sent,
    so an error is a clear status code rather than a truncated body; the file is then streamed.
    """
    fmt = FORMATS[format]
    target = _existing_graph(store, graph) if graph is not None else None
    spool = tempfile.SpooledTemporaryFile(max_size=16 << 20)
    try:
        store.dump(spool, fmt, target)
    except (StoreError, QueryError, OSError) as err:
        spool.close()
        raise HTTPException(status.HTTP_503_SERVICE_UNAVAILABLE, f"export failed: {err}") from err
    spool.seek(0)
    filename = f"polkg.{fmt.file_extension}"
    return StreamingResponse(
        _chunks(spool),
        media_type=fmt.media_type,
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


def _existing_graph(store: GraphStore, graph: str) -> URIRef:
    try:
        node = ox.NamedNode(graph)  # validates the IRI
    except ValueError as err:
        raise HTTPException(status.HTTP_422_UNPROCESSABLE_CONTENT, f"not an IRI: {graph!r} ({err})") from err
    try:
        found = store.query(f"ASK {{ GRAPH {node} {{ ?s ?p ?o }} }}").askAnswer
    except (QueryError, StoreError) as err:
        raise HTTPException(status.HTTP_503_SERVICE_UNAVAILABLE, f"the store failed: {err}") from err
    if not found:
        raise HTTPException(status.HTTP_404_NOT_FOUND, f"no graph {graph}")
    return URIRef(graph)


def _chunks(spool: tempfile.SpooledTemporaryFile) -> Iterator[bytes]:
    with spool:
        while chunk := spool.read(EXPORT_CHUNK):
            yield chunk


@router.get("/health", tags=["health"])
def health(store: Store) -> Health:
    """The server is up and its store answers a query."""
    try:
        empty = not store.query("ASK { ?s ?p ?o }").askAnswer
    except (QueryError, StoreError) as err:
        raise HTTPException(status.HTTP_503_SERVICE_UNAVAILABLE, f"the store failed: {err}") from err
    if isinstance(store, RemoteStore):
        kind = "remote"
    else:
        kind = "memory" if store.location == MEMORY else "disk"
    return Health(version=__version__, store=kind, empty=empty)
