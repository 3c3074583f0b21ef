"""The SPARQL 1.1 Protocol at ``/sparql``: queries (GET, form POST, direct POST), updates, service description.

Query strings go straight to Oxigraph through the :class:`~polkg.api.executor.QueryExecutor` (killable workers,
timeout, row limit), or to the remote store's endpoint (:mod:`polkg.api.remote`); updates need the write token.
Handlers are sync ``def`` so that queries run concurrently.
"""

from __future__ import annotations

from typing import Annotated
from urllib.parse import parse_qsl

import pyoxigraph as ox
from fastapi import APIRouter, Depends, HTTPException, Request, Response, status
from fastapi.security import HTTPAuthorizationCredentials

from polkg.api.deps import Credentials, authorize_write, get_executor, get_settings, request_body
from polkg.api.executor import RDF_FORMATS, RESULT_FORMATS, QueryError, QueryExecutor, QueryJob, choose
from polkg.api.remote import RemoteExecutor
from polkg.api.settings import Settings
from polkg.api.update_dataset import DatasetConflict, with_using

router = APIRouter(tags=["SPARQL 1.1 Protocol"])
AnyExecutor = QueryExecutor | RemoteExecutor
Executor = Annotated[AnyExecutor, Depends(get_executor)]
SettingsDep = Annotated[Settings, Depends(get_settings)]
Body = Annotated[bytes, Depends(request_body)]

FORM = "application/x-www-form-urlencoded"
SPARQL_QUERY = "application/sparql-query"
SPARQL_UPDATE = "application/sparql-update"
SD = "http://www.w3.org/ns/sparql-service-description#"
Params = list[tuple[str, str]]
RDF_TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")

_QUERY_DOC = {
    "parameters": [
        {"name": "query", "in": "query", "schema": {"type": "string"}, "description": "a SPARQL 1.1 query"},
        {"name": "default-graph-uri", "in": "query", "schema": {"type": "array", "items": {"type": "string"}}},
        {"name": "named-graph-uri", "in": "query", "schema": {"type": "array", "items": {"type": "string"}}},
    ],
}
_POST_DOC = {
    "parameters": _QUERY_DOC["parameters"][1:]
    + [
        {"name": "using-graph-uri", "in": "query", "schema": {"type": "array", "items": {"type": "string"}}},
        {"name": "using-named-graph-uri", "in": "query", "schema": {"type": "array", "items": {"type": "string"}}},
    ],
    "requestBody": {
        "content": {
            FORM: {
                "schema": {
                    "type": "object",
                    "properties": {"query": {"type": "string"}, "update": {"type": "string"}},
                }
            },
            SPARQL_QUERY: {"schema": {"type": "string"}},
            SPARQL_UPDATE: {"schema": {"type": "string"}},
        }
    },
}
_ANSWERS = {
    200: {"description": "query results or an RDF graph, in the negotiated format"},
    400: {"description": "malformed query or request, with the parser's message"},
    406: {"description": "no acceptable answer format"},
    503: {"description": "the query outlived the timeout and was stopped"},
}


def _bad(message: str, code: int = status.HTTP_400_BAD_REQUEST) -> HTTPException:
    return HTTPException(code, message)


def _single(params: Params, name: str) -> str | None:
    values = [value for key, value in params if key == name]
    if len(values) > 1:
        raise _bad(f"the request has {len(values)} '{name}' parameters: send exactly one")
    return values[0] if values else None


def _iris(params: Params, name: str) -> list[str]:
    """The values of a graph IRI parameter, each checked to be an absolute IRI (400 otherwise)."""
    values = [value for key, value in params if key == name]
    for value in values:
        try:
            ox.NamedNode(value)
        except ValueError as error:
            raise _bad(f"{name}={value!r} is not an absolute IRI: {error}") from error
    return values


def _utf8(body: bytes, what: str) -> str:
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError as error:
        raise _bad(f"the {what} is not valid UTF-8: {error}") from error


def _endpoint(request: Request) -> str:
    """The endpoint's own IRI: the base IRI of queries and updates."""
    return str(request.url.replace(query=None, fragment=None))


def _content_type(request: Request) -> str:
    """The request's media type, lower-cased; a charset other than UTF-8 is a 415."""
    media_type, *parameters = (part.strip() for part in request.headers.get("content-type", "").split(";"))
    for parameter in parameters:
        key, _, value = parameter.partition("=")
        charset = value.strip().strip('"').lower()
        if key.strip().lower() == "charset" and charset not in ("utf-8", "utf8"):
            raise _bad(f"only UTF-8 is accepted, not charset={charset}", status.HTTP_415_UNSUPPORTED_MEDIA_TYPE)
    return media_type.lower()


def _answer(executor: AnyExecutor, settings: Settings, request: Request, query: str, params: Params) -> Response:
    """Run a query in a worker with the protocol's dataset, answered in the negotiated format."""
    accept = tuple(request.headers.getlist("accept")) or ("*/*",)
    if choose(accept, RESULT_FORMATS) is None and choose(accept, RDF_FORMATS) is None:
        raise _bad(f"no SPARQL answer format matches Accept: {', '.join(accept)}", status.HTTP_406_NOT_ACCEPTABLE)
    default_graphs, named_graphs = _iris(params, "default-graph-uri"), _iris(params, "named-graph-uri")
    job = QueryJob(
        query=query,
        accept=accept,
        base_iri=_endpoint(request),
        default_graphs=tuple(default_graphs),
        named_graphs=tuple(named_graphs),
        union_default_graph=settings.union_default_graph and not (default_graphs or named_graphs),
        max_rows=settings.max_result_rows,
    )
    try:
        answer = executor.query(job)
    except QueryError as error:
        raise _bad(error.message, error.status) from error
    return Response(answer.body, media_type=answer.media_type, headers={"Vary": "Accept"})


def _update(
    executor: AnyExecutor,
    settings: Settings,
    credentials: HTTPAuthorizationCredentials | None,
    request: Request,
    update: str,
    params: Params,
) -> Response:
    """Run an update once the token is checked; the protocol's using-graph-uri become USING clauses."""
    authorize_write(settings, credentials)
    try:
        text = with_using(update, _iris(params, "using-graph-uri"), _iris(params, "using-named-graph-uri"))
        executor.update(text, base_iri=_endpoint(request))
    except DatasetConflict as error:
        raise _bad(str(error)) from error
    except QueryError as error:
        raise _bad(error.message, error.status) from error
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.get("/sparql", openapi_extra=_QUERY_DOC, responses=_ANSWERS, summary="SPARQL query (or service description)")
@router.get("/sparql/", include_in_schema=False)
def sparql_get(request: Request, executor: Executor, settings: SettingsDep) -> Response:
    """A query in ``?query=``; with no query, the service description (sd: vocabulary)."""
    params = list(request.query_params.multi_items())
    if any(key == "update" for key, _ in params):
        raise _bad("updates must be sent with POST (form field 'update' or application/sparql-update)")
    query = _single(params, "query")
    if query is None:
        return _service_description(request, settings)
    return _answer(executor, settings, request, query, params)


@router.post("/sparql", openapi_extra=_POST_DOC, responses=_ANSWERS, summary="SPARQL query or update")
@router.post("/sparql/", include_in_schema=False)
def sparql_post(
    request: Request, executor: Executor, settings: SettingsDep, credentials: Credentials, body: Body
) -> Response:
    """A query or an update, URL-encoded (``query=``/``update=``) or direct; updates need the bearer token."""
    params = list(request.query_params.multi_items())
    media_type = _content_type(request)
    if media_type == FORM:
        params += parse_qsl(_utf8(body, "form body"), keep_blank_values=True)
        query, update = _single(params, "query"), _single(params, "update")
        if (query is None) == (update is None):
            raise _bad("a form POST needs exactly one 'query' or 'update' field")
        if query is not None:
            return _answer(executor, settings, request, query, params)
        return _update(executor, settings, credentials, request, update, params)
    if media_type == SPARQL_QUERY:
        return _answer(executor, settings, request, _utf8(body, "query"), params)
    if media_type == SPARQL_UPDATE:
        return _update(executor, settings, credentials, request, _utf8(body, "update"), params)
    raise _bad(
        f"Content-Type {media_type or '(none)'} is not a SPARQL request: use {FORM}, {SPARQL_QUERY} or {SPARQL_UPDATE}",
        status.HTTP_415_UNSUPPORTED_MEDIA_TYPE,
    )


def _service_description(request: Request, settings: Settings) -> Response:
    """The SPARQL 1.1 Service Description of this endpoint, in the RDF format the client accepts."""
    accept = tuple(request.headers.getlist("accept")) or ("*/*",)
    media_type = choose(accept, RDF_FORMATS)
    if media_type is None:
        raise _bad(f"the service description is RDF: use one of {', '.join(RDF_FORMATS)}", 406)
    service, dataset, graph = ox.BlankNode(), ox.BlankNode(), ox.BlankNode()
    endpoint = ox.NamedNode(_endpoint(request))

    def sd(name: str) -> ox.NamedNode:
        return ox.NamedNode(SD + name)

    triples = [
        ox.Triple(service, RDF_TYPE, sd("Service")),
        ox.Triple(service, sd("endpoint"), endpoint),
        ox.Triple(service, sd("supportedLanguage"), sd("SPARQL11Query")),
        ox.Triple(service, sd("supportedLanguage"), sd("SPARQL11Update")),
        ox.Triple(service, sd("feature"), sd("BasicFederatedQuery")),
        ox.Triple(service, sd("defaultDataset"), dataset),
        ox.Triple(dataset, RDF_TYPE, sd("Dataset")),
        ox.Triple(dataset, sd("defaultGraph"), graph),
        ox.Triple(graph, RDF_TYPE, sd("Graph")),
    ]
    if settings.union_default_graph:
        triples.append(ox.Triple(service, sd("feature"), sd("UnionDefaultGraph")))
    formats = {fmt.iri for fmt in [*RESULT_FORMATS.values(), *RDF_FORMATS.values()]}
    triples += [ox.Triple(service, sd("resultFormat"), ox.NamedNode(iri)) for iri in sorted(formats)]
    fmt = RDF_FORMATS[media_type]
    if fmt.supports_datasets:
        triples = [ox.Quad(t.subject, t.predicate, t.object, ox.DefaultGraph()) for t in triples]
    body = ox.serialize(triples, format=fmt, prefixes={"sd": SD})
    return Response(body, media_type=media_type, headers={"Vary": "Accept"})
