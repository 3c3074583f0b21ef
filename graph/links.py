"""Cross-document events: the same real-world event reported by several documents.

Two events are the same when they have the same type (Meeting, Statement, VoteAbstention…; a PhoneCall counts as
a Meeting), the same set of actors (IRIs, whatever their roles) and compatible dates: both dated within
:data:`MAX_DAYS_APART` of each other along a chain, or one undated when its group has at most one dated cluster.
A speaker says many things, so statements are the same only when their quotes share at least
:data:`MIN_QUOTE_OVERLAP` of their words (statements without a quote are never merged).
Each cluster reported by at least two documents gets one canonical event (the smallest IRI); every other member
points to it with ``pk:sameEventAs``. The links live in their own graph, :data:`LINKS_GRAPH`, recomputed after each
build. Count distinct real-world events with :data:`DISTINCT_EVENTS_QUERY` (events that point to no canonical one).
"""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field

from rdflib import URIRef

from polkg.graph.store import GraphStore
from polkg.graph.terms import Triple
from polkg.model import EventType
from polkg.ontology.vocab import PK, PKID

LINKS_GRAPH = PKID["graph/links"]
MAX_DAYS_APART = 1
MIN_QUOTE_OVERLAP = 0.5

EVENTS_QUERY = """
SELECT ?event ?type ?date ?graph ?actor ?quote WHERE {
  GRAPH ?graph {
    ?event a ?type ; pk:participant|pk:speaker|pk:addressee|pk:abstainer|pk:voter ?actor .
    OPTIONAL { ?event pk:date ?date }
    OPTIONAL { ?event pk:quote ?quote }
  }
  VALUES ?type { %s }
}""" % " ".join(f"<{PK[t.value]}>" for t in EventType)

DISTINCT_EVENTS_QUERY = """PREFIX pk: <https://w3id.org/polkg/ontology#>
SELECT (COUNT(DISTINCT ?event) AS ?events) WHERE {
  ?event pk:status ?status .
  FILTER NOT EXISTS { ?event pk:sameEventAs ?canonical }
}"""


@dataclass
class _Reported:
    type: URIRef
    date: dt.date | None
    graph: URIRef
    quote: frozenset[str] = frozenset()
    actors: set[URIRef] = field(default_factory=set)


def _reported_events(store: GraphStore) -> dict[URIRef, _Reported]:
    events: dict[URIRef, _Reported] = {}
    for event, kind, date, graph, actor, quote in store.query("PREFIX pk: <%s>\n%s" % (PK._NS, EVENTS_QUERY)):
        day = date.toPython() if date is not None else None
        words = frozenset(re.findall(r"\w+", str(quote).casefold())) if quote is not None else frozenset()
        reported = events.setdefault(event, _Reported(kind, day if isinstance(day, dt.date) else None, graph, words))
        reported.actors.add(actor)
    return events


def clusters(events: dict[URIRef, _Reported]) -> Iterator[list[URIRef]]:
    """Groups of events that report the same real-world event in at least two documents."""
    groups: dict[tuple[URIRef, frozenset[URIRef]], list[URIRef]] = defaultdict(list)
    for iri, reported in events.items():
        groups[reported.type, frozenset(reported.actors)].append(iri)
    for (kind, _), group in groups.items():
        for members in _same_quotes(group, events) if kind == PK.Statement else [group]:
            yield from _date_chains(members, events)


def _same_quotes(members: list[URIRef], events: dict[URIRef, _Reported]) -> list[list[URIRef]]:
    """Statements split into groups whose quotes overlap (single-link); those without a quote stay alone."""
    groups: list[list[URIRef]] = []
    for member in sorted(members, key=str):
        words = events[member].quote
        match = next((g for g in groups if words and any(_overlap(words, events[o].quote) for o in g)), None)
        if match is None:
            groups.append([member])
        else:
            match.append(member)
    return groups


def _overlap(a: frozenset[str], b: frozenset[str]) -> bool:
    return bool(a and b) and len(a & b) / min(len(a), len(b)) >= MIN_QUOTE_OVERLAP


def _date_chains(members: list[URIRef], events: dict[URIRef, _Reported]) -> Iterator[list[URIRef]]:
    """Members grouped along chains of dates at most :data:`MAX_DAYS_APART` apart, in two documents or more."""
    dated = sorted((events[m].date, str(m), m) for m in members if events[m].date)
    undated = [m for m in members if not events[m].date]
    chains: list[list[URIRef]] = []
    last: dt.date | None = None
    for date, _, iri in dated:
        if last is None or (date - last).days > MAX_DAYS_APART:
            chains.append([])
        chains[-1].append(iri)
        last = date
    if len(chains) <= 1:
        chains = [(chains[0] if chains else []) + undated]
    for chain in chains:
        if len({events[m].graph for m in chain}) >= 2:
            yield sorted(chain, key=str)


def link_triples(store: GraphStore) -> list[Triple]:
    """``member pk:sameEventAs canonical`` for every cluster of the store's events."""
    return [
        (member, PK.sameEventAs, cluster[0])
        for cluster in clusters(_reported_events(store))
        for member in cluster[1:]
    ]


def relink(store: GraphStore) -> int:
    """Recompute :data:`LINKS_GRAPH` from the stored events; returns the number of links."""
    triples = link_triples(store)
    store.replace_graph(LINKS_GRAPH, triples)
    return len(triples)


def distinct_events(store: GraphStore) -> int:
    """How many real-world events the store holds (linked reports counted once)."""
    return int(next(iter(store.query(DISTINCT_EVENTS_QUERY)))[0])
