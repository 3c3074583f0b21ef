"""SHACL validation of the stored graph against polkg's shapes (pyshacl, with the ontology mixed in)."""

from __future__ import annotations

from dataclasses import dataclass

import pyoxigraph as ox
import pyshacl
from rdflib import Graph, URIRef
from rdflib.namespace import SH

from polkg.graph.store import GraphStore
from polkg.ontology import ONTOLOGY_TTL, SHAPES_TTL

RESULTS_QUERY = """
SELECT ?focus ?path ?message ?severity WHERE {
  ?result a sh:ValidationResult ; sh:focusNode ?focus ; sh:resultSeverity ?severity .
  OPTIONAL { ?result sh:resultPath ?path }
  OPTIONAL { ?result sh:resultMessage ?message }
} ORDER BY STR(?focus) STR(?path)"""


@dataclass(frozen=True)
class Violation:
    """One SHACL result: the node that fails, the property, why, and how bad."""

    focus: str
    path: str | None
    message: str
    severity: str


def union_graph(store: GraphStore, graph: URIRef | None = None) -> Graph:
    """The triples of one named graph, or of all of them, as an in-memory rdflib Graph."""
    where = f"GRAPH {ox.NamedNode(str(graph))} {{ ?s ?p ?o }}" if graph else "?s ?p ?o"
    result = store.query(f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ {where} }}")
    assert result.graph is not None
    return result.graph


def validate(data: Graph) -> list[Violation]:
    """The SHACL violations of ``data`` against polkg's shapes (empty when it conforms)."""
    shapes = Graph().parse(SHAPES_TTL, format="turtle")
    ontology = Graph().parse(ONTOLOGY_TTL, format="turtle")
    _, results, _ = pyshacl.validate(data, shacl_graph=shapes, ont_graph=ontology, inference="none")
    return [
        Violation(
            focus=str(focus),
            path=str(path) if path is not None else None,
            message=str(message) if message is not None else "",
            severity=str(severity).removeprefix(str(SH)),
        )
        for focus, path, message, severity in results.query(RESULTS_QUERY, initNs={"sh": SH})
    ]


def validate_store(store: GraphStore, graph: URIRef | None = None) -> list[Violation]:
    """The SHACL violations of the stored graph (or of one named graph)."""
    return validate(union_graph(store, graph))
