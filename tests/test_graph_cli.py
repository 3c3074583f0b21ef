"""The graph commands on a real on-disk store: load, export, query, validate (build: tests/test_pipeline.py)."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from rdflib import Dataset, Graph
from test_graph_mapping import meeting_doc, store_doc
from test_store import as_dataset, same_quads
from typer.testing import CliRunner

from polkg.cli import app
from polkg.graph.mapping import event_iri, graph_iri
from polkg.graph.store import open_store

runner = CliRunner()


@pytest.fixture
def store_path(tmp_path: Path) -> str:
    path = tmp_path / "store"
    with open_store(path) as store:
        store_doc(store, *meeting_doc("a", dt.date(2023, 10, 10)))
        store_doc(store, *meeting_doc("b", dt.date(2023, 10, 11)))
    return str(path)


def polkg(*args: str, input: str | None = None):
    return runner.invoke(app, list(args), input=input)


def test_export_then_load_into_a_new_store_loses_nothing(store_path: str, tmp_path: Path) -> None:
    dump = tmp_path / "all.trig"
    result = polkg("export", "--store", store_path, "--format", "trig", "-o", str(dump))
    assert result.exit_code == 0, result.output
    copy = str(tmp_path / "copy")
    result = polkg("load", str(dump), "--store", copy)
    assert result.exit_code == 0, result.output
    with open_store(store_path, read_only=True) as a, open_store(copy, read_only=True) as b:
        assert same_quads(as_dataset(a), as_dataset(b))


def test_export_formats_to_stdout(store_path: str) -> None:
    turtle = polkg("export", "--store", store_path)
    assert turtle.exit_code == 0 and "@prefix pk: <https://w3id.org/polkg/ontology#>" in turtle.stdout
    union = Graph().parse(data=turtle.stdout, format="turtle")
    one = polkg("export", "--store", store_path, "-f", "nquads", "--graph", str(graph_iri("a")))
    quads = Dataset().parse(data=one.stdout, format="nquads")
    assert {g.identifier for g in quads.graphs() if len(g)} == {graph_iri("a")}
    assert len(quads.graph(graph_iri("a"))) < len(union)
    jsonld = polkg("export", "--store", store_path, "-f", "jsonld")
    assert isinstance(json.loads(jsonld.stdout), (list, dict))
    missing = polkg("export", "--store", store_path, "--graph", "https://w3id.org/polkg/id/graph/none")
    assert missing.exit_code == 1 and "no graph" in missing.stderr
    not_an_iri = polkg("export", "--store", store_path, "--graph", "a> DROP ALL")
    assert not_an_iri.exit_code == 2 and "not an IRI" in not_an_iri.stderr


def test_load_picks_the_format_from_the_suffix_and_reports_bad_files(tmp_path: Path) -> None:
    good = tmp_path / "places.ttl"
    good.write_text('@prefix wd: <http://www.wikidata.org/entity/> .\nwd:Q90 <http://www.w3.org/2000/01/rdf-schema#label> "Paris"@fr .\n')
    bad = tmp_path / "broken.nt"
    bad.write_text("<urn:a> <urn:b> .\n")
    store = str(tmp_path / "store")
    result = polkg("load", str(bad), str(good), "--store", store, "--graph", "urn:places")
    assert result.exit_code == 1
    assert "not loaded" in result.stderr and "broken.nt" in result.stderr and "1 new quads" in result.stderr
    with open_store(store, read_only=True) as opened:
        assert opened.count() == 1


def test_query_formats_stdin_and_errors(store_path: str) -> None:
    sparql = "SELECT ?e ?date WHERE { ?e a pk:Meeting ; pk:date ?date } ORDER BY ?date"
    table = polkg("query", sparql, "--store", store_path)
    assert table.exit_code == 0 and "2023-10-10" in table.stdout and "2 rows" in table.stderr
    as_json = json.loads(polkg("query", "-", "--store", store_path, "-f", "json", input=sparql).stdout)
    assert [b["e"]["value"] for b in as_json["results"]["bindings"]] == [str(event_iri("a", "e1")),
                                                                         str(event_iri("b", "e1"))]
    csv = polkg("query", sparql, "--store", store_path, "--format", "csv").stdout.splitlines()
    assert csv[0] == "e,date" and len(csv) == 3
    ask = polkg("query", "ASK { ?e a pk:Statement }", "--store", store_path)
    assert ask.stdout.strip() == "true"
    construct = polkg("query", "CONSTRUCT { ?e a pk:Meeting } WHERE { ?e a pk:Meeting }", "--store", store_path)
    assert len(Graph().parse(data=construct.stdout, format="turtle")) == 2
    bad = polkg("query", "SELECT ?x WHERE {", "--store", store_path)
    assert bad.exit_code == 2 and "bad query" in bad.stderr


def test_validate_exit_codes(store_path: str, tmp_path: Path) -> None:
    ok = polkg("validate", "--store", store_path)
    assert ok.exit_code == 0 and "conforms" in ok.stdout
    doc, events = meeting_doc("c", None)
    events[1].actors = []  # a statement without a speaker
    with open_store(store_path) as store:
        store_doc(store, doc, events)
    bad = polkg("validate", "--store", store_path)
    assert bad.exit_code == 1 and "speaker" in bad.stdout
    assert polkg("validate", "--store", store_path, "--graph", str(graph_iri("a"))).exit_code == 0
    absent = polkg("query", "ASK {}", "--store", str(tmp_path / "absent"))
    assert absent.exit_code == 1 and "no store" in absent.stderr
