"""polkg serve over a remote store (a real ``oxigraph serve`` on 127.0.0.1): /sparql forwards queries and updates."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest
from processes import oxigraph_serve
from sparql_server import TOKEN, Server, polkg_serve

AUTH = {"Authorization": f"Bearer {TOKEN}"}


@pytest.fixture(scope="module")
def remote() -> Iterator[str]:
    with oxigraph_serve() as base:
        data = b"<http://ex/m1> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <https://w3id.org/polkg/ontology#Meeting> ."
        assert httpx.put(base + "/store", params={"graph": "http://ex/doc1"}, content=data,
                         headers={"Content-Type": "application/n-triples"}).status_code in (201, 204)
        yield base


@pytest.fixture(scope="module")
def server(remote: str) -> Iterator[Server]:
    with polkg_serve(remote) as running:
        yield running


def test_queries_are_forwarded_with_polkg_prefixes_and_formats(server: Server) -> None:
    answer = httpx.get(server.base + "/sparql", params={"query": "SELECT ?m { ?m a pk:Meeting }"})
    assert answer.status_code == 200
    assert [row["m"]["value"] for row in answer.json()["results"]["bindings"]] == ["http://ex/m1"]
    elsewhere = httpx.get(server.base + "/sparql", params={"query": "ASK { ?m a pk:Meeting }",
                                                          "default-graph-uri": "http://ex/elsewhere"})
    assert elsewhere.json()["boolean"] is False
    xml = httpx.get(server.base + "/sparql", params={"query": "ASK { ?m a pk:Meeting }"},
                    headers={"Accept": "application/sparql-results+xml"})
    assert xml.headers["content-type"].startswith("application/sparql-results+xml") and "true" in xml.text


def test_updates_are_forwarded_with_the_token_checked_here(server: Server, remote: str) -> None:
    update = "INSERT DATA { GRAPH <http://ex/doc2> { <http://ex/m2> a pk:Meeting } }"
    headers = {"Content-Type": "application/sparql-update"}
    assert httpx.post(server.base + "/sparql", content=update, headers=headers).status_code == 401
    assert httpx.post(server.base + "/sparql", content=update, headers={**headers, **AUTH}).status_code == 204
    seen = httpx.get(remote + "/query", params={"query": "ASK { GRAPH <http://ex/doc2> { ?s ?p ?o } }"},
                     headers={"Accept": "application/sparql-results+json"})
    assert seen.json()["boolean"] is True


def test_remote_errors_are_4xx_or_502_with_the_reason(server: Server) -> None:
    bad = httpx.get(server.base + "/sparql", params={"query": "SELECT ?s WHERE { ?s ?p }"})
    assert bad.status_code == 400 and "the remote store answered 400" in bad.json()["detail"]
    assert httpx.get(server.base + "/store", params={"graph": "http://ex/doc1"}).status_code == 501
