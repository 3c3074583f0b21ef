"""The SPARQL 1.1 Protocol and Graph Store Protocol of a real polkg serve: formats, dataset, writes, concurrency."""

from __future__ import annotations

import concurrent.futures
import csv
import io
from collections.abc import Iterator

import httpx
import pyoxigraph as ox
import pytest
from fastapi.testclient import TestClient
from rdflib import Graph, Namespace, URIRef

from polkg.api.app import create_app
from polkg.api.settings import Settings
from polkg.ontology.vocab import PK as PK_NS
from sparql_server import TOKEN, Server, free_port, polkg_serve

AUTH = {"Authorization": f"Bearer {TOKEN}"}
UPDATE = {"Content-Type": "application/sparql-update", **AUTH}
SD = Namespace("http://www.w3.org/ns/sparql-service-description#")
PK = str(PK_NS)
DATA = f"""
PREFIX pk: <{PK}>
INSERT DATA {{
  GRAPH <http://ex/doc1> {{ <http://ex/m1> a pk:Meeting ; pk:participant <http://ex/macron>, <http://ex/scholz> ;
                             pk:label "Réunion à Berlin"@fr . }}
  GRAPH <http://ex/doc2> {{ <http://ex/m2> a pk:Meeting ; pk:participant <http://ex/macron> ; pk:count 3 . }}
}}"""
MEETINGS = f"SELECT ?m WHERE {{ ?m a <{PK}Meeting> ; <{PK}participant> <http://ex/macron> }} ORDER BY ?m"


@pytest.fixture(scope="module", params=["memory", "disk"])
def server(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    store = "memory" if request.param == "memory" else tmp_path_factory.mktemp("store") / "db"
    with polkg_serve(store) as running:
        assert httpx.post(running.base + "/sparql", content=DATA, headers=UPDATE).status_code == 204
        yield running


@pytest.fixture(scope="module")
def api(server: Server) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=server.base, timeout=30) as client:
        yield client


def _values(response: httpx.Response, name: str) -> list[str]:
    assert response.status_code == 200, response.text
    return [row[name]["value"] for row in response.json()["results"]["bindings"]]


def test_the_default_graph_is_the_union_of_the_documents_graphs(api: httpx.Client) -> None:
    assert _values(api.get("/sparql", params={"query": MEETINGS}), "m") == ["http://ex/m1", "http://ex/m2"]


def test_protocol_dataset_restricts_the_default_graph(api: httpx.Client) -> None:
    answer = api.get("/sparql", params={"query": MEETINGS, "default-graph-uri": "http://ex/doc2"})
    assert _values(answer, "m") == ["http://ex/m2"]
    named = api.post("/sparql", data={"query": "SELECT ?g { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g",
                                      "named-graph-uri": "http://ex/doc1"})
    assert _values(named, "g") == ["http://ex/doc1"]


def test_polkg_prefixes_are_predeclared(api: httpx.Client) -> None:
    answer = api.get("/sparql", params={"query": "SELECT ?m { ?m a pk:Meeting ; pk:participant ?p } GROUP BY ?m ORDER BY ?m"})
    assert _values(answer, "m") == ["http://ex/m1", "http://ex/m2"]


@pytest.mark.parametrize(
    ("accept", "media_type", "fmt"),
    [
        (None, "application/sparql-results+json", ox.QueryResultsFormat.JSON),
        ("application/sparql-results+xml", "application/sparql-results+xml", ox.QueryResultsFormat.XML),
        ("text/csv", "text/csv", ox.QueryResultsFormat.CSV),
        ("text/tab-separated-values", "text/tab-separated-values", ox.QueryResultsFormat.TSV),
        ("text/html;q=0.9, text/csv;q=0.5, */*;q=0.1", "text/csv", ox.QueryResultsFormat.CSV),
    ],
)
def test_select_results_in_every_format(api: httpx.Client, accept: str | None, media_type: str, fmt) -> None:
    query = f"SELECT ?m ?label WHERE {{ ?m <{PK}label> ?label }}"
    answer = api.get("/sparql", params={"query": query}, headers={"Accept": accept} if accept else {})
    assert answer.status_code == 200
    assert answer.headers["content-type"].split(";")[0] == media_type
    if fmt == ox.QueryResultsFormat.CSV:  # lossy: plain strings
        assert list(csv.reader(io.StringIO(answer.text))) == [["m", "label"], ["http://ex/m1", "Réunion à Berlin"]]
        return
    solutions = list(ox.parse_query_results(answer.content, format=fmt))
    assert [(s["m"].value, s["label"].value, s["label"].language) for s in solutions] == [
        ("http://ex/m1", "Réunion à Berlin", "fr")]


@pytest.mark.parametrize(
    ("accept", "media_type", "rdflib_format"),
    [
        (None, "text/turtle", "turtle"),
        ("application/n-triples", "application/n-triples", "nt"),
        ("application/ld+json", "application/ld+json", "json-ld"),
        ("application/rdf+xml", "application/rdf+xml", "xml"),
        ("application/n-quads", "application/n-quads", "nquads"),
        ("application/trig", "application/trig", "trig"),
    ],
)
def test_construct_in_every_rdf_format(api: httpx.Client, accept: str | None, media_type: str, rdflib_format: str
                                       ) -> None:
    query = "CONSTRUCT { ?m <http://ex/with> ?p } WHERE { GRAPH <http://ex/doc1> { ?m <%sparticipant> ?p } }" % PK
    answer = api.post("/sparql", content=query, headers={"Content-Type": "application/sparql-query",
                                                         **({"Accept": accept} if accept else {})})
    assert answer.status_code == 200
    assert answer.headers["content-type"].split(";")[0] == media_type
    graph = Graph().parse(data=answer.content, format=rdflib_format)
    assert set(graph.objects(URIRef("http://ex/m1"), URIRef("http://ex/with"))) == {
        URIRef("http://ex/macron"), URIRef("http://ex/scholz")}


def test_ask_and_describe(api: httpx.Client) -> None:
    xml = api.get("/sparql", params={"query": "ASK { ?m a <%sMeeting> }" % PK},
                  headers={"Accept": "application/sparql-results+xml"})
    assert bool(ox.parse_query_results(xml.content, format=ox.QueryResultsFormat.XML)) is True
    described = api.get("/sparql", params={"query": "DESCRIBE <http://ex/m2>"})
    assert described.headers["content-type"].startswith("text/turtle")
    assert (URIRef("http://ex/m2"), URIRef(PK + "count"), None) in Graph().parse(data=described.text)


def test_service_description(api: httpx.Client, server: Server) -> None:
    for accept, fmt in [(None, "turtle"), ("application/rdf+xml", "xml"), ("application/ld+json", "json-ld")]:
        answer = api.get("/sparql", headers={"Accept": accept} if accept else {})
        assert answer.status_code == 200
        description = Graph().parse(data=answer.content, format=fmt)
        service = description.value(predicate=SD.endpoint, object=URIRef(server.base + "/sparql"))
        assert service is not None
        assert set(description.objects(service, SD.supportedLanguage)) == {SD.SPARQL11Query, SD.SPARQL11Update}
        assert URIRef("http://www.w3.org/ns/formats/SPARQL_Results_JSON") in set(
            description.objects(service, SD.resultFormat))


def test_updates_are_seen_by_the_next_query_and_use_using_graph_uri(api: httpx.Client) -> None:
    update = "INSERT { GRAPH <http://ex/derived> { ?m a <http://ex/Copied> } } WHERE { ?m a <%sMeeting> }" % PK
    answer = api.post("/sparql", data={"update": update, "using-graph-uri": "http://ex/doc2"}, headers=AUTH)
    assert answer.status_code == 204, answer.text
    copied = api.get("/sparql", params={"query": "SELECT ?m { GRAPH <http://ex/derived> { ?m a <http://ex/Copied> } }"})
    assert _values(copied, "m") == ["http://ex/m2"]
    assert api.post("/sparql", content="DROP GRAPH <http://ex/derived>", headers=UPDATE).status_code == 204
    assert api.get("/sparql", params={"query": "ASK { GRAPH <http://ex/derived> { ?s ?p ?o } }"}).json()[
        "boolean"] is False


def test_graph_store_protocol_round_trip(api: httpx.Client) -> None:
    graph = {"graph": "http://ex/gsp"}
    turtle = {"Content-Type": "text/turtle", **AUTH}
    assert api.get("/store", params=graph).status_code == 404
    assert api.put("/store", params=graph, content=b"<http://ex/a> <http://ex/b> <http://ex/c> .", headers=turtle
                   ).status_code == 201
    assert api.post("/store", params=graph, content=b'<http://ex/a> <http://ex/b> "d" .', headers=turtle
                    ).status_code == 204
    read = api.get("/store", params=graph, headers={"Accept": "application/n-triples"})
    assert read.headers["content-type"].startswith("application/n-triples")
    assert len(Graph().parse(data=read.text, format="nt")) == 2
    assert api.head("/store", params=graph).status_code == 200
    assert api.put("/store", params=graph, content=b"<http://ex/a> <http://ex/b> <http://ex/e> .", headers=turtle
                   ).status_code == 204
    assert len(Graph().parse(data=api.get("/store", params=graph).text)) == 1
    assert api.delete("/store", params=graph, headers=AUTH).status_code == 204
    assert api.delete("/store", params=graph, headers=AUTH).status_code == 404
    created = api.post("/store", content=b"<http://ex/x> <http://ex/y> <http://ex/z> .", headers=turtle)
    assert created.status_code == 201
    location = created.headers["location"]
    assert "<http://ex/x>" in api.get("/store", params={"graph": location}).text
    assert api.delete("/store", params={"graph": location}, headers=AUTH).status_code == 204
    dataset = ox.Dataset(ox.parse(api.get("/store").content, format=ox.RdfFormat.TRIG))
    assert {q.graph_name.value for q in dataset} >= {"http://ex/doc1", "http://ex/doc2"}
    assert api.get("/store", params={"graph": "http://ex/doc1", "default": ""}).status_code == 400


def test_concurrent_reads_and_writes_stay_consistent(api: httpx.Client) -> None:
    def read(_: int) -> int:
        return len(_values(api.get("/sparql", params={"query": MEETINGS}), "m"))

    with concurrent.futures.ThreadPoolExecutor(8) as pool:
        readers = [pool.submit(read, i) for i in range(60)]
        for i in range(10):
            data = f"INSERT DATA {{ GRAPH <http://ex/tmp> {{ <http://ex/t{i}> <http://ex/p> {i} }} }}"
            assert api.post("/sparql", content=data, headers=UPDATE).status_code == 204
            count = api.get("/sparql", params={"query": "SELECT (COUNT(*) AS ?n) { GRAPH <http://ex/tmp> {?s ?p ?o} }"})
            assert _values(count, "n") == [str(i + 1)]
        assert {future.result() for future in readers} == {2}
    assert api.post("/sparql", content="DROP GRAPH <http://ex/tmp>", headers=UPDATE).status_code == 204


def test_writes_by_other_routes_refresh_the_query_workers() -> None:
    """A write outside /sparql and /store (as the ingest route does) is visible to the next SPARQL query."""
    app = create_app(Settings(store="memory", token=TOKEN, query_workers=1))

    @app.post("/test-write")
    def write() -> dict:
        app.state.store.update("INSERT DATA { GRAPH <http://ex/w> { <http://ex/w> <http://ex/p> 1 } }")
        return {}

    with TestClient(app) as client:
        ask = {"query": "ASK { <http://ex/w> ?p ?o }"}
        assert client.get("/sparql", params=ask).json()["boolean"] is False
        assert client.post("/test-write").status_code == 200
        assert client.get("/sparql", params=ask).json()["boolean"] is True


def test_federated_service_calls_and_their_failures(api: httpx.Client, server: Server) -> None:
    """SERVICE reaches another SPARQL endpoint (here the server itself, as a stand-in for Wikidata); an unreachable
    one is a 502 that says so."""
    remote = f"SELECT ?m WHERE {{ SERVICE <{server.base}/sparql> {{ ?m a pk:Meeting }} }} ORDER BY ?m"
    assert _values(api.get("/sparql", params={"query": remote}), "m") == ["http://ex/m1", "http://ex/m2"]
    down = f"SELECT * WHERE {{ SERVICE <http://127.0.0.1:{free_port()}/sparql> {{ ?s ?p ?o }} }}"
    answer = api.get("/sparql", params={"query": down})
    assert answer.status_code == 502
    assert "SERVICE" in answer.json()["detail"]
    silent = down.replace("SERVICE", "SERVICE SILENT")
    assert api.get("/sparql", params={"query": silent}).status_code == 200
