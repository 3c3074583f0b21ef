"""The remote store against a real ``oxigraph serve`` process on 127.0.0.1 (SPARQL 1.1 Protocol, Update, Graph Store)."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Iterator
from pathlib import Path

import pyoxigraph as ox
import pytest
from polkg.graph.links import distinct_events, relink
from polkg.graph.mapping import event_iri, graph_iri
from polkg.graph.store import (
    GraphStore,
    QueryError,
    RemoteStore,
    StoreError,
    format_for,
    open_store,
)
from polkg.graph.validate import validate_store
from processes import oxigraph_serve
from rdflib import Dataset, URIRef
from test_graph_mapping import meeting_doc, store_doc
from test_store import as_dataset, same_quads


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    with oxigraph_serve() as url:
        yield url


@pytest.fixture
def remote(server: str) -> Iterator[GraphStore]:
    with open_store(server) as store:
        store.update("DROP ALL")
        yield store


def test_documents_written_remotely_match_the_embedded_store(remote: GraphStore) -> None:
    assert isinstance(remote, RemoteStore) and remote.ox is None
    with open_store("memory") as local:
        for doc_id, day in (("a", dt.date(2023, 10, 10)), ("b", dt.date(2023, 10, 11))):
            for store in (remote, local):
                store_doc(store, *meeting_doc(doc_id, day))
                store_doc(store, *meeting_doc(doc_id, day))  # rebuilt: replaced, not duplicated
        assert relink(remote) == relink(local) == 2
        assert remote.count() == local.count() and remote.graphs() == local.graphs()
        assert same_quads(as_dataset(remote), as_dataset(local))
        assert distinct_events(remote) == 2
        assert validate_store(remote) == []


def test_remote_queries_through_rdflib_and_errors(remote: GraphStore) -> None:
    store_doc(remote, *meeting_doc("a", dt.date(2023, 10, 10)))
    rows = remote.query("SELECT ?e WHERE { ?e a pk:Meeting }")  # polkg prefixes are predeclared
    assert len(rows) == 1
    graph = remote.query("CONSTRUCT { ?e ?p ?o } WHERE { ?e a pk:Statement ; ?p ?o }").graph
    assert graph is not None and len(graph) > 5
    body, media_type = remote.query_serialized("SELECT ?e WHERE { ?e a pk:Meeting }", "text/csv")
    assert media_type.startswith("text/csv") and body.decode().split() == ["e", str(event_iri("a", "e1"))]
    with pytest.raises(QueryError):
        remote.query("SELECT ?x WHERE {")
    with pytest.raises(QueryError):
        remote.update("INSERT DATA { GRAPH <urn:g> { <urn:s> <urn:p> ?x } }")
    with open_store(remote.location, read_only=True) as reader, pytest.raises(StoreError):
        reader.drop_graph(graph_iri("a"))
    with pytest.raises(StoreError):
        open_store("http://127.0.0.1:9").query("ASK {}")


def test_remote_load_and_export_round_trip(remote: GraphStore, tmp_path: Path) -> None:
    with open_store("memory") as local:
        store_doc(local, *meeting_doc("a", dt.date(2023, 10, 10)))
        reference = as_dataset(local)
    path = tmp_path / "a.trig"
    reference.serialize(path, format="trig")
    remote.load(path, format_for(path))
    out = io.BytesIO()
    remote.dump(out, ox.RdfFormat.TRIG)
    assert same_quads(Dataset().parse(data=out.getvalue(), format="trig"), reference)
    one = io.BytesIO()
    remote.dump(one, ox.RdfFormat.TURTLE, graph_iri("a"))
    assert b"@prefix pk:" in one.getvalue() and URIRef(graph_iri("a")) in remote.graphs()
