"""Safety of the SPARQL endpoint on a real polkg serve: write auth, a timeout that really stops queries, limits,
clear 4xx errors for bad input, and writes that leave the store as it was when they fail."""

from __future__ import annotations

import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pyoxigraph as ox
import pytest

from sparql_server import TOKEN, Server, polkg_serve

UPDATE = {"Content-Type": "application/sparql-update"}
AUTH = {"Authorization": f"Bearer {TOKEN}"}
# 60 subjects x 60 objects: a four-way cross join that runs for minutes unless it is stopped.
SEED = "INSERT DATA { GRAPH <http://ex/g> { %s } }" % " ".join(
    f"<http://ex/s{i}> <http://ex/p> {j} ." for i in range(60) for j in range(60)
)
RUNAWAY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"


@pytest.fixture(scope="module")
def server() -> Iterator[Server]:
    with polkg_serve("memory", query_timeout="2", max_body_bytes="300000", max_result_rows="50") as running:
        response = httpx.post(running.base + "/sparql", content=SEED, headers={**UPDATE, **AUTH})
        assert response.status_code == 204, response.text
        yield running


@pytest.fixture(scope="module")
def api(server: Server) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=server.base, timeout=30) as client:
        yield client


def _count(api: httpx.Client) -> int:
    answer = api.get("/sparql", params={"query": "SELECT (COUNT(*) AS ?n) { GRAPH ?g { ?s ?p ?o } }"})
    return int(answer.json()["results"]["bindings"][0]["n"]["value"])


# --- authentication -------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("headers", "status"),
    [({}, 401), ({"Authorization": "Bearer wrong"}, 403), ({"Authorization": f"Basic {TOKEN}"}, 401)],
)
def test_updates_need_the_right_token(api: httpx.Client, headers: dict, status: int) -> None:
    before = _count(api)
    answer = api.post("/sparql", content="INSERT DATA { GRAPH <http://ex/g> { <http://ex/x> <http://ex/p> 1 } }",
                      headers={**UPDATE, **headers})
    assert answer.status_code == status
    assert answer.json()["detail"]
    form = api.post("/sparql", data={"update": "CLEAR ALL"}, headers=headers)
    assert form.status_code == status
    assert _count(api) == before


@pytest.mark.parametrize("method", ["PUT", "POST", "DELETE"])
def test_graph_store_writes_need_the_token(api: httpx.Client, method: str) -> None:
    answer = api.request(method, "/store", params={"graph": "http://ex/g"}, content=b"<http://ex/a> <http://ex/b> 1 .",
                         headers={"Content-Type": "application/n-triples"})
    assert answer.status_code == 401
    assert api.request(method, "/store", params={"graph": "http://ex/g"}, content=b"<http://ex/a> <http://ex/b> 1 .",
                       headers={"Content-Type": "application/n-triples", "Authorization": "Bearer nope"}
                       ).status_code == 403
    assert _count(api) == 3600


def test_without_a_configured_token_every_write_is_refused() -> None:
    with polkg_serve("memory", token=None) as server, httpx.Client(base_url=server.base) as api:
        answer = api.post("/sparql", content="CLEAR ALL", headers={**UPDATE, "Authorization": "Bearer anything"})
        assert answer.status_code == 403
        assert "POLKG_TOKEN" in answer.json()["detail"]
        assert api.put("/store", params={"default": ""}, content=b"", headers={
            "Content-Type": "text/turtle", "Authorization": "Bearer x"}).status_code == 403
        assert api.get("/sparql", params={"query": "ASK {}"}).json()["boolean"] is True


# --- the timeout ------------------------------------------------------------------------------------------------


def test_a_runaway_query_is_stopped_while_other_queries_stay_fast(api: httpx.Client, server: Server) -> None:
    outcome: dict[str, object] = {}

    def runaway() -> None:
        started = time.monotonic()
        outcome["response"] = api.get("/sparql", params={"query": RUNAWAY})
        outcome["seconds"] = time.monotonic() - started

    thread = threading.Thread(target=runaway)
    thread.start()
    time.sleep(0.5)
    latencies = []
    for _ in range(5):
        started = time.monotonic()
        assert api.get("/sparql", params={"query": "ASK { <http://ex/s1> ?p 7 }"}).json()["boolean"] is True
        latencies.append(time.monotonic() - started)
    thread.join(timeout=30)
    response = outcome["response"]
    assert isinstance(response, httpx.Response)
    assert response.status_code == 503
    assert "timeout" in response.json()["detail"]
    assert 1.8 < outcome["seconds"] < 10
    assert max(latencies) < 1.0, latencies
    # Really stopped: the server's processes burn no more CPU once the answer has come back.
    time.sleep(0.5)
    cpu = server.cpu_seconds()
    time.sleep(1.5)
    assert server.cpu_seconds() - cpu < 0.5


# --- limits ------------------------------------------------------------------------------------------------------


def test_a_too_large_body_is_413(api: httpx.Client) -> None:
    query = "ASK { " + "<http://ex/s1> ?p ?o . " * 20_000 + "}"
    answer = api.post("/sparql", content=query, headers={"Content-Type": "application/sparql-query"})
    assert answer.status_code == 413


def test_too_many_rows_is_a_clear_error_and_a_limit_fixes_it(api: httpx.Client) -> None:
    answer = api.get("/sparql", params={"query": "SELECT ?s ?o { ?s ?p ?o }"})
    assert answer.status_code == 400
    assert "more than 50 rows" in answer.json()["detail"] and "LIMIT" in answer.json()["detail"]
    limited = api.get("/sparql", params={"query": "SELECT ?s ?o { ?s ?p ?o } LIMIT 50"})
    assert len(limited.json()["results"]["bindings"]) == 50


def test_reading_a_whole_large_store_through_the_graph_store_is_bounded(api: httpx.Client) -> None:
    answer = api.get("/store", headers={"Accept": "application/n-quads"})
    assert answer.status_code == 400
    assert "more than 50 quads" in answer.json()["detail"] and "/export" in answer.json()["detail"]
    assert api.get("/store", params={"graph": "http://ex/g"}).status_code == 400  # 3600 triples > 50


# --- bad input is a 4xx with the reason ---------------------------------------------------------------------------


def test_malformed_query_is_400_with_the_parsers_message(api: httpx.Client) -> None:
    answer = api.get("/sparql", params={"query": "SELECT ?s WHERE { ?s ?p }"})
    assert answer.status_code == 400
    assert "error at 1:" in answer.json()["detail"]


@pytest.mark.parametrize(
    ("request_args", "status"),
    [
        ({"method": "GET", "params": {"query": "ASK {}"}, "headers": {"Accept": "image/png"}}, 406),
        ({"method": "GET", "params": {"query": "CONSTRUCT WHERE { ?s ?p ?o }"},
          "headers": {"Accept": "text/csv"}}, 406),
        ({"method": "POST", "content": "ASK {}", "headers": {"Content-Type": "text/plain"}}, 415),
        ({"method": "POST", "content": "ASK {}", "headers": {}}, 415),
        ({"method": "POST", "content": "ASK {}".encode("utf-16"),
          "headers": {"Content-Type": "application/sparql-query"}}, 400),
        ({"method": "POST", "content": b"query=ASK%20%7B%7D&query=ASK%20%7B%7D",
          "headers": {"Content-Type": "application/x-www-form-urlencoded"}}, 400),
        ({"method": "POST", "content": b"nothing=here", "headers": {"Content-Type": "application/x-www-form-urlencoded"}},
         400),
        ({"method": "GET", "params": {"update": "CLEAR ALL"}}, 400),
        ({"method": "PUT", "params": {"query": "ASK {}"}}, 405),
    ],
)
def test_bad_requests_are_4xx_with_a_reason(api: httpx.Client, request_args: dict, status: int) -> None:
    args = dict(request_args)
    answer = api.request(args.pop("method"), "/sparql", **args)
    assert answer.status_code == status
    assert answer.json()["detail"]


# --- failed writes leave the store as it was ---------------------------------------------------------------------


def test_failed_updates_write_nothing(api: httpx.Client) -> None:
    before = _count(api)
    bad_syntax = "INSERT DATA { GRAPH <http://ex/g> { <http://ex/new> <http://ex/p> 1 } } ; CLEAR XYZ"
    answer = api.post("/sparql", content=bad_syntax, headers={**UPDATE, **AUTH})
    assert answer.status_code == 400 and "error at" in answer.json()["detail"]
    failing = "INSERT DATA { GRAPH <http://ex/g> { <http://ex/new> <http://ex/p> 1 } } ; LOAD <http://127.0.0.1:9/none>"
    assert api.post("/sparql", content=failing, headers={**UPDATE, **AUTH}).status_code == 400
    assert _count(api) == before


def test_a_bad_graph_store_body_keeps_the_old_graph(api: httpx.Client) -> None:
    graph = {"graph": "http://ex/kept"}
    turtle = {"Content-Type": "text/turtle", **AUTH}
    assert api.put("/store", params=graph, content=b"<http://ex/a> <http://ex/b> 1 .", headers=turtle).status_code == 201
    broken = api.put("/store", params=graph, content=b"<http://ex/a> <http://ex/b> .", headers=turtle)
    assert broken.status_code == 400 and "text/turtle" in broken.json()["detail"]
    assert api.put("/store", params=graph, content=b"{}", headers={**AUTH, "Content-Type": "application/zip"}
                   ).status_code == 415
    kept = api.get("/store", params=graph, headers={"Accept": "application/n-triples"})
    assert kept.text.strip() == '<http://ex/a> <http://ex/b> "1"^^<http://www.w3.org/2001/XMLSchema#integer> .'
    assert api.delete("/store", params=graph, headers=AUTH).status_code == 204


@pytest.mark.parametrize("name", ["default-graph-uri", "named-graph-uri", "using-graph-uri", "using-named-graph-uri"])
def test_graph_iris_of_the_protocol_are_checked(api: httpx.Client, name: str) -> None:
    """A relative or malformed IRI is a 400, and a '>' cannot smuggle SPARQL into a rewritten update."""
    before = _count(api)
    for value in ["", "not an iri", "http://ex/g> } } ; DROP ALL ; INSERT DATA { <http://ex/x> <http://ex/y> 1"]:
        if name.startswith("using"):
            answer = api.post("/sparql", params={name: value}, headers={**UPDATE, **AUTH},
                              content="INSERT { GRAPH <http://ex/h> { ?s ?p ?o } } WHERE { ?s ?p ?o }")
        else:
            answer = api.get("/sparql", params={"query": "ASK {}", name: value})
        assert answer.status_code == 400
        assert "not an absolute IRI" in answer.json()["detail"]
    assert _count(api) == before


def test_serve_on_a_locked_store_says_why_and_exits(tmp_path: Path) -> None:
    holder = ox.Store(str(tmp_path / "db"))  # RocksDB allows one writer: this process holds the lock
    done = subprocess.run([sys.executable, "-m", "polkg.cli", "serve", "--store", str(tmp_path / "db"), "--port", "9"],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 1
    assert "cannot open the store" in done.stderr and "LOCK" in done.stderr
    assert "Traceback" not in done.stderr
    del holder
