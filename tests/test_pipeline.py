"""The whole pipeline on real parts: documents → spaCy extractor → gazetteer linker → Oxigraph store.

The spaCy models and the gazetteer load once per session (the extractor caches its pipelines per language).
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from rdflib import URIRef
from typer.testing import CliRunner

from polkg import pipeline
from polkg.cli import app
from polkg.documents import read_documents
from polkg.graph.mapping import graph_iri
from polkg.graph.store import GraphStore, open_store
from polkg.graph.validate import validate_store

SEED_ID = "000_1505aa7bd25a2221"
pytestmark = pytest.mark.slow


@pytest.fixture(scope="session")
def stages() -> tuple[pipeline.EventExtractor, pipeline.ActorLinker]:
    return pipeline.make_extractor(), pipeline.open_linker()


@pytest.fixture
def store() -> Iterator[GraphStore]:
    with open_store("memory") as opened:
        yield opened


def build(store: GraphStore, stages, *inputs: str | Path, force: bool = False) -> list[pipeline.Outcome]:
    extractor, linker = stages
    return list(pipeline.build(read_documents(inputs), store, extractor, linker, force=force))


def test_the_seed_article_becomes_a_valid_graph_linked_to_wikidata(store: GraphStore, stages, seeds: Path) -> None:
    [outcome] = build(store, stages, seeds)
    assert outcome.status == "stored" and outcome.doc_id == SEED_ID and outcome.graph == str(graph_iri(SEED_ID))
    assert len(outcome.events) >= 3
    assert store.graphs() == [graph_iri(SEED_ID)]
    assert validate_store(store) == []
    rows = store.query("""SELECT DISTINCT ?type ?actor WHERE {
        ?e a ?type ; pk:participant|pk:speaker|pk:abstainer ?actor . FILTER(STRSTARTS(STR(?actor), STR(wd:))) }""")
    types = {row.type for row in rows}
    assert {URIRef("https://w3id.org/polkg/ontology#Meeting"), URIRef("https://w3id.org/polkg/ontology#Statement")} <= types
    assert len({row.actor for row in rows}) >= 2  # several actors resolved to Wikidata entities
    quotes = store.query("SELECT ?q WHERE { ?e pk:quote ?q }")
    assert quotes and all(row.q.language == "fr" for row in quotes)
    [(model,)] = store.query("SELECT ?m WHERE { ?run a prov:Activity ; prov:used/rdfs:label ?m }")
    assert str(model).startswith("fr_core_news_md 3.8")


def test_a_rebuild_skips_unchanged_documents_and_force_replaces_them(store: GraphStore, stages, seeds: Path) -> None:
    build(store, stages, seeds)
    count, events = store.count(), {r.e for r in store.query("SELECT ?e WHERE { ?e pk:status ?s }")}
    [again] = build(store, stages, seeds)
    assert again.status == "unchanged" and again.events == []
    [forced] = build(store, stages, seeds, force=True)
    assert forced.status == "stored"
    assert store.count() == count
    assert {r.e for r in store.query("SELECT ?e WHERE { ?e pk:status ?s }")} == events


def test_bad_documents_are_reported_and_the_batch_goes_on(store: GraphStore, stages, seeds: Path, tmp_path: Path) -> None:
    batch = tmp_path / "batch.jsonl"
    good = {"id": "en1", "lang": "en", "published": "2024-03-26",
            "text": "US Secretary of State Antony Blinken met Israeli Defence Minister Yoav Gallant in Washington on Tuesday."}
    batch.write_text("\n".join([json.dumps({"id": "no-text"}), "{not json", json.dumps(good)]) + "\n")
    outcomes = build(store, stages, tmp_path / "missing.txt", batch, seeds)
    assert [o.status for o in outcomes] == ["failed", "failed", "failed", "stored", "stored"]
    assert "no such file" in outcomes[0].reason and "text" in outcomes[1].reason
    assert set(store.graphs()) == {graph_iri("en1"), graph_iri(SEED_ID)}


def test_a_failure_while_writing_leaves_no_part_of_the_document(
    store: GraphStore, stages, seeds: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    build(store, stages, seeds)
    before = {tuple(row) for row in store.query(f"SELECT ?s ?p ?o WHERE {{ GRAPH <{graph_iri(SEED_ID)}> {{ ?s ?p ?o }} }}")}
    real = pipeline.document_triples

    def disk_full_half_way(*args, **kwargs):
        for number, triple in enumerate(real(*args, **kwargs)):
            if number == 20:
                raise OSError("No space left on device")
            yield triple

    monkeypatch.setattr(pipeline, "document_triples", disk_full_half_way)
    [outcome] = build(store, stages, seeds, force=True)
    assert outcome.status == "failed" and "No space left" in outcome.reason
    after = {tuple(row) for row in store.query(f"SELECT ?s ?p ?o WHERE {{ GRAPH <{graph_iri(SEED_ID)}> {{ ?s ?p ?o }} }}")}
    assert after == before  # the old version, whole; nothing of the new one


def test_polkg_build_command(stages, seeds: Path, tmp_path: Path) -> None:
    inputs = tmp_path / "in"
    shutil.copytree(seeds, inputs)
    (inputs / "copy.txt").write_text((seeds / f"{SEED_ID}.txt").read_text(encoding="utf-8"), encoding="utf-8")
    (inputs / "copy.meta.json").write_text(json.dumps({"lang": "fr", "published": "2024-03-26"}), encoding="utf-8")
    store = str(tmp_path / "store")
    result = CliRunner().invoke(app, ["build", str(inputs), "--store", store])
    assert result.exit_code == 0, result.output
    assert "documents stored" in result.stdout and "cross-document links" in result.stdout
    with open_store(store, read_only=True) as opened:
        links = len(opened.query("SELECT * WHERE { GRAPH pkid:graph\\/links { ?a pk:sameEventAs ?b } }"))
        events = len(opened.query("SELECT ?e WHERE { ?e pk:status ?s }"))
    assert links > 0 and events > links  # the copy's events are linked to the seed's
    again = CliRunner().invoke(app, ["build", str(inputs), "--store", store])
    assert again.exit_code == 0 and "unchanged (skipped)" in again.stdout
    bad = CliRunner().invoke(app, ["build", str(tmp_path / "nothing-here"), "--store", store])
    assert bad.exit_code == 1 and "no such file" in bad.stderr
