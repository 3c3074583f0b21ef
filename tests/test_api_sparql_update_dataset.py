"""using-graph-uri / using-named-graph-uri written into updates as USING clauses, checked on a real Oxigraph store."""

from __future__ import annotations

import pyoxigraph as ox
import pytest

from polkg.api.update_dataset import DatasetConflict, with_using

EX = "http://ex/"


@pytest.fixture()
def store() -> ox.Store:
    store = ox.Store()
    for graph in ("a", "b"):
        store.add(ox.Quad(ox.NamedNode(EX + f"in-{graph}"), ox.NamedNode(EX + "p"), ox.Literal(graph),
                          ox.NamedNode(EX + graph)))
    return store


def _subjects(store: ox.Store, graph: str) -> set[str]:
    return {q.subject.value for q in store.quads_for_pattern(None, None, None, ox.NamedNode(EX + graph))}


def test_without_a_protocol_dataset_the_update_is_unchanged() -> None:
    update = "DELETE WHERE { ?s ?p ?o }"
    assert with_using(update, [], []) is update


def test_using_graph_uri_restricts_the_where_of_each_operation(store: ox.Store) -> None:
    update = (
        "INSERT { GRAPH <http://ex/out> { ?s a <http://ex/Seen> } } WHERE { ?s ?p ?o } ;\n"
        "INSERT { GRAPH <http://ex/out2> { ?s a <http://ex/Seen> } } WHERE { ?s ?p ?o }"
    )
    store.update(with_using(update, [EX + "b"], []))
    assert _subjects(store, "out") == _subjects(store, "out2") == {EX + "in-b"}


def test_using_named_graph_uri_limits_the_graphs_seen_by_graph_patterns(store: ox.Store) -> None:
    update = "INSERT { GRAPH <http://ex/out> { ?s a <http://ex/Seen> } } WHERE { GRAPH ?g { ?s ?p ?o } }"
    store.update(with_using(update, [], [EX + "a"]))
    assert _subjects(store, "out") == {EX + "in-a"}


def test_delete_where_becomes_a_modify_with_using(store: ox.Store) -> None:
    rewritten = with_using("DELETE WHERE { GRAPH ?g { ?s <http://ex/p> ?o } }", [], [EX + "a"])
    assert rewritten.startswith("DELETE { GRAPH ?g { ?s <http://ex/p> ?o } } USING NAMED <http://ex/a> WHERE {")
    store.update(rewritten)
    assert _subjects(store, "a") == set() and _subjects(store, "b") == {EX + "in-b"}


@pytest.mark.parametrize(
    "update",
    [
        "WITH <http://ex/a> DELETE { ?s ?p ?o } WHERE { ?s ?p ?o }",
        "INSERT { ?s a <http://ex/T> } USING <http://ex/a> WHERE { ?s ?p ?o }",
        "PREFIX ex: <http://ex/>\nINSERT DATA { ex:x ex:y 1 } ; with ex:a delete { ?s ?p ?o } where { ?s ?p ?o }",
    ],
)
def test_a_dataset_in_the_update_and_in_the_request_conflict(update: str) -> None:
    with pytest.raises(DatasetConflict):
        with_using(update, [EX + "b"], [])


def test_keywords_inside_strings_iris_comments_and_groups_are_ignored(store: ox.Store) -> None:
    update = (
        "# WITH <http://ex/c> WHERE\n"
        "PREFIX where: <http://ex/where#>\n"
        'INSERT { GRAPH <http://ex/out> { ?s <http://ex/note> """USING { WHERE""" , \'}\' } } '
        "WHERE { ?s ?p ?o FILTER(?o != \"WITH\") }"
    )
    rewritten = with_using(update, [EX + "a"], [])
    assert rewritten.count("USING <http://ex/a>") == 1
    store.update(rewritten)
    assert _subjects(store, "out") == {EX + "in-a"}
