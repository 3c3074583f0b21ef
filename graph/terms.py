"""Conversions between rdflib terms and pyoxigraph terms, and the prefixes polkg writes.

rdflib is the project's RDF model; pyoxigraph is the engine underneath. Writes go through
pyoxigraph terms so that one SPARQL Update (or one ``extend``) carries a whole document.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

import pyoxigraph as ox
from rdflib import BNode, Literal, URIRef
from rdflib.namespace import DCTERMS, OWL, PROV, RDF, RDFS, SKOS, XSD
from rdflib.term import Node

from polkg.ontology.vocab import PREFIXES

Triple = tuple[Node, Node, Node]

#: Prefixes of exports and of the store's rdflib Dataset (pk:, pkid:, wd:, prov:, …).
EXPORT_PREFIXES: dict[str, str] = {
    **{prefix: str(ns) for prefix, ns in PREFIXES.items()},
    "prov": str(PROV),
    "rdf": str(RDF),
    "rdfs": str(RDFS),
    "xsd": str(XSD),
    "owl": str(OWL),
    "skos": str(SKOS),
    "dcterms": str(DCTERMS),
}


def to_ox(term: Node) -> ox.NamedNode | ox.BlankNode | ox.Literal:
    """The pyoxigraph term for an rdflib term (raises ValueError on an invalid IRI or language tag)."""
    if isinstance(term, URIRef):
        return ox.NamedNode(str(term))
    if isinstance(term, BNode):
        return ox.BlankNode(str(term))
    if isinstance(term, Literal):
        if term.language:
            return ox.Literal(str(term), language=term.language)
        if term.datatype:
            return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype)))
        return ox.Literal(str(term))
    raise TypeError(f"not an RDF term: {term!r}")


def to_ox_quads(triples: Iterable[Triple], graph: URIRef) -> Iterator[ox.Quad]:
    """The triples as pyoxigraph quads in the named graph ``graph``."""
    graph_name = ox.NamedNode(str(graph))
    for s, p, o in triples:
        yield ox.Quad(to_ox(s), to_ox(p), to_ox(o), graph_name)


def insert_data(triples: Iterable[Triple], graph: URIRef) -> str:
    """The body of ``INSERT DATA { GRAPH <graph> { … } }`` for the triples, in N-Triples syntax."""
    lines = [f"{q.subject} {q.predicate} {q.object} ." for q in to_ox_quads(triples, graph)]
    return "INSERT DATA { GRAPH <%s> {\n%s\n} }" % (graph, "\n".join(lines))
