"""The SPARQL 1.1 Graph Store HTTP Protocol at ``/store``: GET/HEAD, PUT, POST, DELETE with ``?graph=`` or ``?default``.

Reads go through the query executor (killable workers); every write is one SPARQL update, so a failure leaves the
store as it was, and needs the bearer token.
"""

from __future__ import annotations

import uuid
from typing import Annotated

import pyoxigraph as ox
from fastapi import APIRouter, Depends, HTTPException, Request, Response, status

from polkg.api.deps import get_local_executor, get_settings, request_body, require_token
from polkg.api.executor import RDF_FORMATS, DumpJob, QueryError, QueryExecutor, QueryJob, choose
from polkg.api.settings import Settings

router = APIRouter(tags=["SPARQL 1.1 Graph Store HTTP Protocol"])
Executor = Annotated[QueryExecutor, Depends(get_local_executor)]
Body = Annotated[bytes, Depends(request_body)]
GRAPH_FORMATS = {media: RDF_FORMATS[media] for media in (
    "text/turtle", "application/n-triples", "application/ld+json", "application/rdf+xml", "text/n3")}
DATASET_FORMATS = {
    media: RDF_FORMATS[media] for media in ("application/trig", "application/n-quads", "application/ld+json")}
_PARAMS = {
    "parameters": [
        {"name": "graph", "in": "query", "schema": {"type": "string"}, "description": "IRI of a named graph"},
        {"name": "default", "in": "query", "schema": {"type": "string"}, "description": "the default graph"},
    ]
}


def _target(request: Request) -> ox.NamedNode | ox.DefaultGraph | None:
    """The graph a request is about: ``?graph=IRI``, ``?default``, or None (the whole store)."""
    params = request.query_params
    graphs = params.getlist("graph")
    if len(graphs) > 1 or (graphs and "default" in params):
        raise HTTPException(status.HTTP_400_BAD_REQUEST, "give one ?graph=IRI or ?default, not several")
    if "default" in params:
        return ox.DefaultGraph()
    if not graphs:
        return None
    try:
        return ox.NamedNode(graphs[0])
    except ValueError as error:
        raise HTTPException(status.HTTP_400_BAD_REQUEST, f"bad graph IRI {graphs[0]!r}: {error}") from error


def _exists(executor: QueryExecutor, graph: ox.NamedNode | ox.DefaultGraph) -> bool:
    return isinstance(graph, ox.DefaultGraph) or executor.store.contains_named_graph(graph)


def _run(executor: QueryExecutor, job: QueryJob | DumpJob) -> Response:
    """A read run in a query worker (timeout, row limit)."""
    try:
        answer = executor.query(job)
    except QueryError as error:
        raise HTTPException(error.status, error.message) from error
    return Response(answer.body, media_type=answer.media_type, headers={"Vary": "Accept"})


@router.api_route("/store", methods=["GET", "HEAD"], openapi_extra=_PARAMS, summary="Read a graph or the store")
def read(request: Request, executor: Executor, settings: Annotated[Settings, Depends(get_settings)]) -> Response:
    """A named graph (``?graph=``), the default graph (``?default``), or the whole store as a dataset."""
    accept = tuple(request.headers.getlist("accept")) or ("*/*",)
    graph = _target(request)
    if graph is None:
        media_type = choose(accept, DATASET_FORMATS)
        if media_type is None:
            raise HTTPException(406, f"the whole store is a dataset: use one of {', '.join(DATASET_FORMATS)}")
        return _run(executor, DumpJob(media_type, settings.max_result_rows))
    if choose(accept, GRAPH_FORMATS) is None:
        raise HTTPException(406, f"a graph is sent as one of {', '.join(GRAPH_FORMATS)}")
    if not _exists(executor, graph):
        raise HTTPException(status.HTTP_404_NOT_FOUND, f"no graph {graph.value} in the store")
    where = "{ ?s ?p ?o }" if isinstance(graph, ox.DefaultGraph) else f"{{ GRAPH {graph} {{ ?s ?p ?o }} }}"
    query = f"CONSTRUCT {{ ?s ?p ?o }} WHERE {where}"
    return _run(executor, QueryJob(query=query, accept=accept, max_rows=settings.max_result_rows))


def _parse(request: Request, body: bytes) -> list[ox.Triple]:
    """The request body's triples; 415 for an unknown format, 400 for a syntax error."""
    media_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    fmt = GRAPH_FORMATS.get(media_type)
    if fmt is None:
        raise HTTPException(
            status.HTTP_415_UNSUPPORTED_MEDIA_TYPE,
            f"Content-Type {media_type or '(none)'} is not a graph format: use one of {', '.join(GRAPH_FORMATS)}",
        )
    try:
        quads = ox.parse(body, format=fmt, base_iri=str(request.url.replace(query=None)))
        return [ox.Triple(quad.subject, quad.predicate, quad.object) for quad in quads]
    except (SyntaxError, ValueError) as error:
        raise HTTPException(status.HTTP_400_BAD_REQUEST, f"the body is not valid {media_type}: {error}") from error


def _write(executor: QueryExecutor, graph: ox.NamedNode | ox.DefaultGraph, triples: list[ox.Triple], replace: bool):
    """Add ``triples`` to ``graph`` (replacing it first when ``replace``) in one update; 201 if it is new, else 204."""
    created = not _exists(executor, graph)
    text = ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES).decode()
    name = "DEFAULT" if isinstance(graph, ox.DefaultGraph) else f"GRAPH {graph}"
    data = text if isinstance(graph, ox.DefaultGraph) else f"GRAPH {graph} {{ {text} }}"
    steps = ([f"DROP SILENT {name}"] if replace else []) + [f"INSERT DATA {{ {data} }}"]
    try:
        executor.update(" ;\n".join(steps))
    except QueryError as error:
        raise HTTPException(error.status, error.message) from error
    return Response(status_code=status.HTTP_201_CREATED if created else status.HTTP_204_NO_CONTENT)


@router.put("/store", dependencies=[Depends(require_token)], openapi_extra=_PARAMS, summary="Replace a graph")
def replace(request: Request, executor: Executor, body: Body) -> Response:
    """Make the graph hold exactly the body's triples."""
    graph = _target(request)
    if graph is None:
        raise HTTPException(status.HTTP_400_BAD_REQUEST, "PUT needs ?graph=IRI or ?default")
    return _write(executor, graph, _parse(request, body), replace=True)


@router.post("/store", dependencies=[Depends(require_token)], openapi_extra=_PARAMS, summary="Add to a graph")
def add(request: Request, executor: Executor, body: Body) -> Response:
    """Add the body's triples to the graph; with no graph given, to a new graph (its IRI in ``Location``)."""
    graph = _target(request)
    if graph is None:
        graph = ox.NamedNode(f"{request.url.replace(query=None)}/{uuid.uuid4()}")
        response = _write(executor, graph, _parse(request, body), replace=False)
        response.headers["Location"] = graph.value
        return response
    return _write(executor, graph, _parse(request, body), replace=False)


@router.delete("/store", dependencies=[Depends(require_token)], openapi_extra=_PARAMS, summary="Delete a graph")
def delete(request: Request, executor: Executor) -> Response:
    """Remove a named graph (404 if absent) or empty the default graph."""
    graph = _target(request)
    if graph is None:
        raise HTTPException(status.HTTP_400_BAD_REQUEST, "DELETE needs ?graph=IRI or ?default")
    if not _exists(executor, graph):
        raise HTTPException(status.HTTP_404_NOT_FOUND, f"no graph {graph.value} in the store")
    name = "DEFAULT" if isinstance(graph, ox.DefaultGraph) else f"GRAPH {graph}"
    try:
        executor.update(f"{'CLEAR' if isinstance(graph, ox.DefaultGraph) else 'DROP'} {name}")
    except QueryError as error:
        raise HTTPException(error.status, error.message) from error
    return Response(status_code=status.HTTP_204_NO_CONTENT)
