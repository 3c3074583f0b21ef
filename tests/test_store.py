"""The embedded Oxigraph store: persistence, read-only access, atomic writes, loads, exports that round-trip."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.compare import isomorphic
from test_graph_mapping import meeting_doc, store_doc

from polkg.graph.mapping import graph_iri
from polkg.graph.store import FORMATS, GraphStore, QueryError, StoreError, format_for, open_store

EX = "http://example.org/"
DOCS = [("a", dt.date(2023, 10, 10)), ("b", dt.date(2023, 10, 11)), ("c", None)]


def filled(location: str | Path) -> GraphStore:
    store = open_store(location)
    for doc_id, day in DOCS:
        store_doc(store, *meeting_doc(doc_id, day))
    return store


def as_dataset(store: GraphStore) -> Dataset:
    """The store's quads read by pyoxigraph, as an rdflib Dataset (the reference of the round-trips)."""
    data = io.BytesIO()
    store.dump(data, ox.RdfFormat.N_QUADS)
    return Dataset().parse(data=data.getvalue(), format="nquads")


def same_quads(a: Dataset, b: Dataset) -> bool:
    graphs = lambda d: {g.identifier for g in d.graphs() if len(g)}  # noqa: E731
    return graphs(a) == graphs(b) and all(isomorphic(a.graph(g), b.graph(g)) for g in graphs(a))


def test_a_disk_store_persists_and_opens_read_only(tmp_path: Path) -> None:
    with filled(tmp_path / "db") as store:
        count = store.count()
    with open_store(tmp_path / "db", read_only=True) as store:
        assert store.count() == count and len(store.graphs()) == 3
        with pytest.raises(StoreError):
            store.drop_graph(graph_iri("a"))
    with pytest.raises(StoreError, match="no store"):
        open_store(tmp_path / "absent", read_only=True)


def test_a_half_read_result_does_not_keep_the_store_locked(tmp_path: Path) -> None:
    with filled(tmp_path / "db") as store:
        rows = iter(store.query("SELECT ?s WHERE { ?s ?p ?o }"))
        next(rows)
    with open_store(tmp_path / "db") as store:  # would fail with a RocksDB lock error
        assert store.count() > 0


def test_a_failure_while_writing_a_document_leaves_its_old_graph() -> None:
    with filled("memory") as store:
        before = as_dataset(store)

        def half_then_fail():
            yield (URIRef(EX + "s"), URIRef(EX + "p"), Literal("never stored"))
            raise OSError("disk full")

        with pytest.raises(OSError):
            store.replace_graph(graph_iri("a"), half_then_fail())
        with pytest.raises(QueryError):  # the update itself fails: nothing of it is applied
            store.update(f"DROP GRAPH <{graph_iri('a')}> ; INSERT DATA {{ GRAPH <{EX}g> {{ <{EX}s> <{EX}p> ?x }} }}")
        assert same_quads(as_dataset(store), before)


def test_results_as_rdflib_terms_or_serialised_by_oxigraph() -> None:
    with filled("memory") as store:
        rows = store.query("SELECT ?doc ?title WHERE { ?doc dcterms:title ?title ; dcterms:identifier ?id } ORDER BY ?id")
        assert [(row.doc, row.title) for row in rows][0] == (URIRef("https://w3id.org/polkg/id/doc/a"),
                                                             Literal("Réunion", lang="fr"))
        ids = store.query("SELECT ?id WHERE { ?doc dcterms:identifier ?id } ORDER BY ?id")
        assert [row.id for row in ids] == [Literal("a"), Literal("b"), Literal("c")]  # plain, not ^^xsd:string
        body, media_type = store.query_serialized("SELECT ?id WHERE { ?d dcterms:identifier ?id } ORDER BY ?id",
                                                  "text/tab-separated-values, application/sparql-results+json")
        assert media_type.startswith("text/tab-separated-values") and body.decode().split() == ["?id", '"a"', '"b"', '"c"']
        body, media_type = store.query_serialized("CONSTRUCT { ?d a pk:Document } WHERE { ?d a pk:Document }",
                                                  "application/sparql-results+json, text/turtle")
        assert media_type == "text/turtle" and len(Graph().parse(data=body, format="turtle")) == 3


def test_bad_queries_raise_query_error() -> None:
    with open_store("memory") as store:
        for bad in ("SELECT ?x WHERE {", "SELECT * WHERE { ?s ?p ?o } ORDER BY <urn:no-such-function>(?o)"):
            with pytest.raises(QueryError):
                store.query(bad)
        with pytest.raises(QueryError):
            store.update("INSERT DATA { <a b> <p> 1 }")


@pytest.mark.parametrize("name", sorted(FORMATS))
def test_export_round_trips_through_an_independent_parser(name: str) -> None:
    fmt = FORMATS[name]
    with filled("memory") as store:
        reference = as_dataset(store)
        out = io.BytesIO()
        store.dump(out, fmt)
        text = out.getvalue()
        rdflib_format = {"turtle": "turtle", "trig": "trig", "nquads": "nquads", "ntriples": "nt", "jsonld": "json-ld"}
        parsed = Dataset().parse(data=text, format=rdflib_format[name])  # pyoxigraph wrote, rdflib reads
        if fmt.supports_datasets:
            assert same_quads(parsed, reference)
        else:  # a triple format holds the union of the graphs
            union = Graph()
            for quad in reference.quads():
                union.add(quad[:3])
            assert isomorphic(parsed.default_graph, union)
        one = io.BytesIO()
        store.dump(one, fmt, graph_iri("a"))
        parsed = Dataset().parse(data=one.getvalue(), format=rdflib_format[name])
        graph = parsed.graph(graph_iri("a")) if fmt.supports_datasets else parsed.default_graph
        assert isomorphic(graph, reference.graph(graph_iri("a"))) and len(graph) == len(reference.graph(graph_iri("a")))


def test_turtle_export_uses_readable_prefixes() -> None:
    with filled("memory") as store:
        out = io.BytesIO()
        store.dump(out, ox.RdfFormat.TURTLE)
    text = out.getvalue().decode()
    for prefix in ("pk", "wd", "prov", "pkid", "nif"):
        assert f"@prefix {prefix}: " in text
    assert "a pk:Meeting" in text and "wd:Q43723" in text and "https://w3id.org/polkg/ontology#" not in text.split(
        "@prefix pk:")[1].split("\n", 1)[1]


def test_rdflib_written_trig_loads_into_the_store_without_loss(tmp_path: Path) -> None:
    with filled("memory") as source:
        reference = as_dataset(source)
    path = tmp_path / "dump.trig"
    reference.serialize(path, format="trig")  # rdflib wrote, pyoxigraph reads
    with open_store("memory") as store:
        store.load(path, format_for(path))
        assert same_quads(as_dataset(store), reference)


@pytest.mark.parametrize("suffix", [".ttl", ".nt", ".jsonld"])
def test_load_triples_into_a_named_graph(tmp_path: Path, suffix: str) -> None:
    source = Graph()
    source.add((URIRef(EX + "paris"), URIRef(EX + "label"), Literal("Paris", lang="fr")))
    source.add((URIRef(EX + "paris"), URIRef(EX + "population"), Literal(2100000)))
    path = tmp_path / f"data{suffix}"
    source.serialize(path, format={".ttl": "turtle", ".nt": "nt", ".jsonld": "json-ld"}[suffix])
    with open_store("memory") as store:
        store.load(path, format_for(path), URIRef(EX + "g"))
        assert store.graphs() == [URIRef(EX + "g")]
        assert isomorphic(store.dataset.graph(URIRef(EX + "g")), source)


def test_a_bad_file_loads_nothing(tmp_path: Path) -> None:
    path = tmp_path / "bad.nq"
    path.write_text(f'<{EX}a> <{EX}p> "1" <{EX}g> .\n<{EX}a> <{EX}p> "2 <{EX}g> .\n')
    with filled("memory") as store:
        before = store.count()
        with pytest.raises(ValueError):
            store.load(path, format_for(path))
        assert store.count() == before
    with pytest.raises(ValueError, match="cannot tell"):
        format_for("data.csv")
