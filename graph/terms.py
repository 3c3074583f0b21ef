"""Conversions between rdflib terms and pyoxigraph terms, and the prefixes polkg writes.

rdflib is the project's RDF model; pyoxigraph is the engine underneath. Writes go through
pyoxigraph terms so that one SPARQL Update (or one ``extend``) carries a whole document.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, URIRef, Variable
from rdflib.namespace import DCTERMS, OWL, PROV, RDF, RDFS, SKOS, XSD
from rdflib.query import Result
from rdflib.term import Node

from polkg.ontology.vocab import PKID, PREFIXES

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
    # one prefix per kind of polkg resource, so exports read pkevent:…, pkactor:…, not pkid:event\/…
    **{f"pk{kind}": f"{PKID}{kind}/" for kind in ("doc", "event", "actor", "graph", "run", "software")},
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
    return "INSERT DATA { GRAPH %s {\n%s\n} }" % (ox.NamedNode(str(graph)), "\n".join(lines))


class FromOx:
    """Converts pyoxigraph terms to rdflib terms, remembering those already seen (results repeat terms).

    ``xsd:string`` literals become plain literals (the same term in RDF 1.1), so ``Literal("x")`` compares equal.
    """

    def __init__(self) -> None:
        self._seen: dict[object, Node] = {}

    def __call__(self, term: ox.NamedNode | ox.BlankNode | ox.Literal) -> Node:
        found = self._seen.get(term)
        if found is None:
            found = self._seen[term] = self._convert(term)
        return found

    def _convert(self, term: ox.NamedNode | ox.BlankNode | ox.Literal) -> Node:
        if isinstance(term, ox.NamedNode):
            return URIRef(term.value)
        if isinstance(term, ox.BlankNode):
            return BNode(term.value)
        if term.language:
            return Literal(term.value, lang=term.language)
        if term.datatype.value == XSD_STRING:
            return Literal(term.value)
        return Literal(term.value, datatype=self(term.datatype), normalize=False)


XSD_STRING = str(XSD.string)


def to_result(raw: ox.QuerySolutions | ox.QueryBoolean | ox.QueryTriples) -> Result:
    """A pyoxigraph query result, read completely, as an rdflib :class:`~rdflib.query.Result`."""
    convert = FromOx()
    if isinstance(raw, ox.QueryBoolean):
        result = Result("ASK")
        result.askAnswer = bool(raw)
    elif isinstance(raw, ox.QuerySolutions):
        result = Result("SELECT")
        result.vars = [Variable(v.value) for v in raw.variables]
        result.bindings = [
            {var: convert(value) for var, value in zip(result.vars, row) if value is not None} for row in raw
        ]
    else:
        result = Result("CONSTRUCT")
        graph = result.graph = Graph()
        graph.addN((convert(t.subject), convert(t.predicate), convert(t.object), graph) for t in raw)
    return result
