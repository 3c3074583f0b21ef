"""Reading events and actors back from the store with SPARQL string queries (for ``GET /events`` and ``/actors``).

Every value put into a query is validated first (enums, dates, QIDs) or is an IRI the store returned,
written with rdflib's N-Triples serialisation (which rejects invalid IRIs), so no request text reaches a
query unchecked. Queries go through the store's ``query`` so they work on local and remote stores alike.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

from rdflib import URIRef
from rdflib.namespace import PROV, RDF, RDFS
from rdflib.term import Node

from polkg.api.models import EventActor, StoredEvent
from polkg.model import EventType, Kind, Status, Subtype
from polkg.ontology.vocab import PK, WD

#: Runs a SELECT query over the union of the graphs and yields each solution's bound variables.
Select = Callable[[str], Iterator[dict[str, Node]]]

#: An event's class and what it means in the data model; Meeting also covers its subclasses.
CLASSES: dict[str, tuple[EventType, Subtype | None]] = {
    str(PK[t.value]): (t, None) for t in EventType
} | {str(PK[s.value]): (EventType.MEETING, s) for s in Subtype}
ROLE_PROPERTIES: dict[str, str] = {
    str(PK.participant): "participant",
    str(PK.speaker): "speaker",
    str(PK.addressee): "addressee",
    str(PK.abstainer): "abstainer",
    str(PK.voter): "voter",
    str(PK.votingBody): "body",
}
STATUSES: dict[str, Status] = {str(PK[s.value.capitalize()]): s for s in Status}
KINDS: dict[str, Kind] = {str(PK[k.value.capitalize()]): k for k in Kind}
PREFIXES = f"PREFIX pk: <{PK._NS}>\nPREFIX xsd: <http://www.w3.org/2001/XMLSchema#>\n"


@dataclass(frozen=True)
class EventFilter:
    """The filters of ``GET /events``; every field is already validated."""

    type: EventType | Subtype | None = None
    actor: str | None = None  # a QID
    start: dt.date | None = None
    end: dt.date | None = None
    status: Status | None = None
    distinct: bool = False  # leave out the other reports of an event told by several documents

    def pattern(self, with_date: bool = True) -> str:
        """The SPARQL group pattern binding ``?e`` (and ``?date`` when ``with_date`` or filtered on) for
        matching events; the most selective triples come first (measured with ``bench/rest.py``)."""
        lines = []
        if self.actor is not None:
            lines.append("VALUES ?role { %s }" % " ".join(f"<{p}>" for p in ROLE_PROPERTIES))
            lines.append(f"?e ?role {_iri(WD[self.actor])} .")
        if self.start is not None or self.end is not None:
            lines.append("?e pk:date ?date .")
        if self.start is not None:
            lines.append(f'FILTER (?date >= "{self.start.isoformat()}"^^xsd:date)')
        if self.end is not None:
            lines.append(f'FILTER (?date <= "{self.end.isoformat()}"^^xsd:date)')
        if self.status is not None:
            lines.append(f"?e pk:status {_iri(PK[self.status.value.capitalize()])} .")
        # A subtype's events are typed with pk:Meeting too, so the event types alone cover every event once.
        classes = [PK[self.type.value]] if self.type is not None else [PK[t.value] for t in EventType]
        listed = ", ".join(_iri(c) for c in classes)
        if self.actor is None and self.start is None and self.end is None:
            lines.append("VALUES ?class { %s }" % listed.replace(",", ""))
            lines.append("?e a ?class .")
        else:  # ?e is already bound: a FILTER keeps Oxigraph from starting with every event of the class
            lines.append("?e a ?class .")
            lines.append(f"FILTER (?class IN ({listed}))")
        if self.distinct:
            lines.append("FILTER NOT EXISTS { ?e pk:sameEventAs ?canonical }")
        if with_date and self.start is None and self.end is None:
            lines.append("OPTIONAL { ?e pk:date ?date }")
        return "\n  ".join(lines)


def count_events(select: Select, where: EventFilter) -> int:
    """How many events match ``where``."""
    query = f"{PREFIXES}SELECT (COUNT(DISTINCT ?e) AS ?n) WHERE {{\n  {where.pattern(with_date=False)}\n}}"
    rows = list(select(query))
    return int(rows[0]["n"].toPython()) if rows else 0


def find_events(select: Select, where: EventFilter, limit: int, offset: int, lang: str) -> list[StoredEvent]:
    """One page of matching events, by date (undated last) then IRI, with their actors."""
    query = (
        f"{PREFIXES}SELECT DISTINCT ?e ?date WHERE {{\n  {where.pattern()}\n}}\n"
        f"ORDER BY (!BOUND(?date)) ?date ?e LIMIT {int(limit)} OFFSET {int(offset)}"
    )
    iris = list(dict.fromkeys(str(row["e"]) for row in select(query)))
    return describe_events(select, iris, lang)


def describe_events(select: Select, iris: list[str], lang: str) -> list[StoredEvent]:
    """The events ``iris`` (in that order) read from the store with their actors' labels and kinds."""
    if not iris:
        return []
    facts: dict[str, dict[str, list]] = {iri: defaultdict(list) for iri in iris}
    graphs: dict[str, str] = {}
    query = (
        "SELECT ?e ?p ?o ?g WHERE { VALUES ?e { %s } { ?e ?p ?o } UNION { GRAPH ?g { ?e a ?type } } }"
        % " ".join(_iri(iri) for iri in iris)
    )
    for row in select(query):
        event = str(row["e"])
        if row.get("g") is not None:
            graphs.setdefault(event, str(row["g"]))
        else:
            facts[event][str(row["p"])].append(row["o"])
    entities = {
        str(node)
        for props in facts.values()
        for prop, values in props.items()
        if prop in ROLE_PROPERTIES or prop == str(PK.place)
        for node in values
        if isinstance(node, URIRef)
    }
    labels, kinds = _labels_and_kinds(select, entities, lang)
    return [_stored_event(iri, facts[iri], graphs.get(iri), labels, kinds) for iri in iris]


def actor_labels(select: Select, qid: str) -> dict[str, str] | None:
    """The actor's labels by language, or None when the store never mentions ``wd:<qid>``."""
    node = _iri(WD[qid])
    rows = list(select(f"SELECT DISTINCT ?label WHERE {{ {node} <{RDFS.label}> ?label }}"))
    if not rows and not any(True for _ in select(f"SELECT ?s WHERE {{ ?s ?p {node} }} LIMIT 1")):
        return None
    labels: dict[str, str] = {}
    for row in rows:
        labels.setdefault(row["label"].language or "", str(row["label"]))
    return labels


def actor_kind(select: Select, qid: str) -> Kind | None:
    """The actor's kind from its ``pk:`` class, if typed."""
    _, kinds = _labels_and_kinds(select, {str(WD[qid])}, "en")
    return kinds.get(str(WD[qid]))


def pick_label(labels: dict[str, str], lang: str) -> str | None:
    """The label in ``lang``, else in English, else any."""
    return labels.get(lang) or labels.get("en") or next(iter(labels.values()), None)


def _labels_and_kinds(
    select: Select, iris: Iterable[str], lang: str
) -> tuple[dict[str, str], dict[str, Kind]]:
    iris = sorted(iris)
    if not iris:
        return {}, {}
    query = (
        "SELECT DISTINCT ?x ?label ?class WHERE { VALUES ?x { %s } { ?x <%s> ?label } UNION { ?x <%s> ?class } }"
        % (" ".join(_iri(iri) for iri in iris), RDFS.label, RDF.type)
    )
    by_lang: dict[str, dict[str, str]] = defaultdict(dict)
    kinds: dict[str, Kind] = {}
    for row in select(query):
        iri = str(row["x"])
        if row.get("label") is not None:
            by_lang[iri].setdefault(row["label"].language or "", str(row["label"]))
        elif str(row["class"]) in KINDS:
            kinds[iri] = KINDS[str(row["class"])]
    return {iri: pick_label(labels, lang) for iri, labels in by_lang.items()}, kinds


def _stored_event(
    iri: str, props: dict[str, list], graph: str | None, labels: dict[str, str], kinds: dict[str, Kind]
) -> StoredEvent:
    types = [CLASSES[str(node)] for node in props.get(str(RDF.type), []) if str(node) in CLASSES]
    subtype = next((s for _, s in types if s is not None), None)
    event_type = types[0][0] if types else EventType.MEETING
    status = next((STATUSES[str(n)] for n in props.get(str(PK.status), []) if str(n) in STATUSES), None)
    actors = [
        EventActor(
            iri=str(node),
            role=role,
            qid=_qid(str(node)),
            label=labels.get(str(node)),
            kind=kinds.get(str(node)),
        )
        for prop, role in ROLE_PROPERTIES.items()
        for node in props.get(prop, [])
        if isinstance(node, URIRef)
    ]
    place = next((labels.get(str(n), str(n)) for n in props.get(str(PK.place), [])), None)
    return StoredEvent(
        iri=iri,
        type=event_type,
        subtype=subtype,
        status=status,
        date=_date(props.get(str(PK.date), [])),
        graph=graph,
        document=_text(props.get(str(PROV.wasDerivedFrom), [])),
        same_as=_text(props.get(str(PK.sameEventAs), [])),
        actors=actors,
        quote=_text(props.get(str(PK.quote), [])),
        topic=_text(props.get(str(PK.topic), [])),
        resolution=_text(props.get(str(PK.resolution), [])),
        place=place,
    )


def _iri(iri: object) -> str:
    return URIRef(str(iri)).n3()


def _qid(iri: str) -> str | None:
    prefix = str(WD)
    return iri[len(prefix):] if iri.startswith(prefix + "Q") else None


def _date(values: list) -> dt.date | None:
    for node in values:
        try:
            return dt.date.fromisoformat(str(node)[:10])
        except ValueError:
            continue
    return None


def _text(values: list) -> str | None:
    return str(values[0]) if values else None
