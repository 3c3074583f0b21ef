"""Real SPARQL clients against a real polkg serve: SPARQLWrapper, rdflib's SPARQLStore/SPARQLUpdateStore, httpx,
and the curl examples of docs/api.md, run exactly as written."""

from __future__ import annotations

import csv
import io
import json
import os
import re
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.plugins.stores.sparqlstore import SPARQLStore, SPARQLUpdateStore
from SPARQLWrapper import JSON, POST, TURTLE, XML, SPARQLWrapper

from polkg.ontology.vocab import PK
from sparql_server import TOKEN, Server, polkg_serve

DOCS = Path(__file__).resolve().parents[1] / "docs" / "api.md"
EXAMPLE = re.compile(r"```bash\n# example: (?P<name>[\w-]+)\n(?P<script>.*?)```", re.DOTALL)
DATA = f"""INSERT DATA {{
  GRAPH <http://ex/doc1> {{
    <http://ex/m1> a <{PK.Meeting}> ; <{PK.date}> "2024-03-05"^^xsd:date ; <{PK.participant}> <http://ex/a> .
    <http://ex/m2> a <{PK.Meeting}> ; <{PK.date}> "2024-01-10"^^xsd:date ; <{PK.participant}> <http://ex/b> .
  }}
}}"""


@pytest.fixture(scope="module")
def server() -> Iterator[Server]:
    with polkg_serve("memory") as running:
        answer = httpx.post(running.base + "/sparql", content=DATA, headers={
            "Content-Type": "application/sparql-update", "Authorization": f"Bearer {TOKEN}"})
        assert answer.status_code == 204, answer.text
        yield running


@pytest.fixture()
def endpoint(server: Server) -> str:
    return server.base + "/sparql"


def test_sparqlwrapper_select_in_json_and_xml(endpoint: str) -> None:
    sparql = SPARQLWrapper(endpoint)
    sparql.setQuery("SELECT ?m ?d WHERE { ?m a pk:Meeting ; pk:date ?d } ORDER BY ?d")
    sparql.setReturnFormat(JSON)
    rows = sparql.queryAndConvert()["results"]["bindings"]
    assert [(row["m"]["value"], row["d"]["value"]) for row in rows] == [
        ("http://ex/m2", "2024-01-10"), ("http://ex/m1", "2024-03-05")]
    sparql.setReturnFormat(XML)
    document = sparql.queryAndConvert()
    assert len(document.getElementsByTagName("result")) == 2


def test_sparqlwrapper_construct_and_authenticated_update(endpoint: str) -> None:
    sparql = SPARQLWrapper(endpoint)
    sparql.setQuery("CONSTRUCT { ?m <http://ex/with> ?p } WHERE { ?m pk:participant ?p }")
    sparql.setReturnFormat(TURTLE)
    graph = Graph().parse(data=sparql.queryAndConvert(), format="turtle")
    assert (URIRef("http://ex/m1"), URIRef("http://ex/with"), URIRef("http://ex/a")) in graph

    writer = SPARQLWrapper(endpoint, updateEndpoint=endpoint)
    writer.setMethod(POST)
    writer.addCustomHttpHeader("Authorization", f"Bearer {TOKEN}")
    writer.setQuery("INSERT DATA { GRAPH <http://ex/sw> { <http://ex/sw> rdfs:label 'from SPARQLWrapper' } }")
    writer.query()
    sparql.setQuery("ASK { GRAPH <http://ex/sw> { ?s rdfs:label 'from SPARQLWrapper' } }")
    sparql.setReturnFormat(JSON)
    assert sparql.queryAndConvert()["boolean"] is True


def test_rdflib_sparqlstore_reads(endpoint: str) -> None:
    dataset = Dataset(store=SPARQLStore(endpoint, returnFormat="json"), default_union=True)
    rows = list(dataset.query("SELECT ?m WHERE { ?m <%s> <http://ex/a> }" % PK.participant))
    assert [row.m for row in rows] == [URIRef("http://ex/m1")]
    graph = Graph(store=SPARQLStore(endpoint), identifier=URIRef("http://ex/doc1"))
    assert set(graph.objects(URIRef("http://ex/m2"), PK.date)) == {Literal("2024-01-10", datatype=URIRef(
        "http://www.w3.org/2001/XMLSchema#date"))}


def test_rdflib_sparqlupdatestore_writes_with_the_token(endpoint: str) -> None:
    store = SPARQLUpdateStore(endpoint, endpoint, headers={"Authorization": f"Bearer {TOKEN}"})
    graph = Graph(store=store, identifier=URIRef("http://ex/rdflib"))
    graph.add((URIRef("http://ex/r"), PK.status, Literal("confirmed")))
    assert (URIRef("http://ex/r"), PK.status, Literal("confirmed")) in graph
    graph.remove((URIRef("http://ex/r"), None, None))
    assert len(graph) == 0
    refused = SPARQLUpdateStore(endpoint, endpoint)
    with pytest.raises(Exception, match="401"):
        Graph(store=refused, identifier=URIRef("http://ex/rdflib")).add((URIRef("http://ex/x"), PK.status,
                                                                          Literal("no")))


def test_httpx_post_form_and_direct(endpoint: str) -> None:
    with httpx.Client() as client:
        form = client.post(endpoint, data={"query": "SELECT (COUNT(?m) AS ?n) { ?m a pk:Meeting }"})
        direct = client.post(endpoint, content="SELECT (COUNT(?m) AS ?n) { ?m a pk:Meeting }",
                             headers={"Content-Type": "application/sparql-query"})
    assert form.json() == direct.json()
    assert form.json()["results"]["bindings"][0]["n"]["value"] == "2"


def _examples() -> dict[str, str]:
    return {match["name"]: match["script"] for match in EXAMPLE.finditer(DOCS.read_text(encoding="utf-8"))}


def _run(server: Server, script: str) -> str:
    environment = {**os.environ, "POLKG": server.base, "POLKG_TOKEN": TOKEN}
    done = subprocess.run(["bash", "-euo", "pipefail", "-c", script], env=environment, capture_output=True,
                          text=True, timeout=30)
    assert done.returncode == 0, done.stderr
    return done.stdout


@pytest.mark.skipif(shutil.which("curl") is None, reason="curl is not installed")
def test_the_curl_examples_of_the_docs_work(server: Server) -> None:
    examples = _examples()
    assert set(examples) == {"select-json", "select-csv", "construct-turtle", "update", "graph-store-put",
                             "graph-store-get", "service-description"}
    rows = json.loads(_run(server, examples["select-json"]))["results"]["bindings"]
    assert [row["date"]["value"] for row in rows] == ["2024-01-10", "2024-03-05"]
    table = list(csv.reader(io.StringIO(_run(server, examples["select-csv"]))))
    assert table[0] == ["g", "triples"] and ["http://ex/doc1", "6"] in table
    constructed = Graph().parse(data=_run(server, examples["construct-turtle"]), format="turtle")
    assert len(constructed) == 2
    _run(server, examples["update"])
    assert _run(server, examples["graph-store-put"]).strip() == "204"  # the update created the graph
    stored = Graph().parse(data=_run(server, examples["graph-store-get"]), format="nt")
    assert [str(o) for o in stored.objects()] == ["note"]
    assert "sd:Service" in _run(server, examples["service-description"])
