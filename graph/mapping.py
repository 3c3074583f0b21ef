"""Events to RDF: one named graph per document, under the polkg ontology.

IRIs are deterministic, so building a document again replaces its graph with the same triples:

- document ``pkid:doc/<id>``, its named graph ``pkid:graph/<id>``, events ``pkid:event/<id>/<event id>``,
  mentions ``pkid:doc/<id>#char=<start>,<end>`` (RFC 5147 fragments, as NIF does);
- a linked actor *is* its Wikidata entity (``wd:Q…``); an unlinked one is ``pkid:actor/<kind>/<folded name>``,
  where the folded name (lower case, accents and punctuation dropped) does not depend on the document, so the
  same unlinked name in several documents is one node;
- the run that wrote the graph is a ``prov:Activity`` (``pkid:run/<start time>``) associated with polkg's version
  and using the spaCy models; the graph, the document's events and mentions point to it and to the document.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from urllib.parse import quote

from rdflib import Literal, URIRef
from rdflib.namespace import DCTERMS, PROV, RDF, RDFS, XSD

from polkg import __version__
from polkg.graph.terms import Triple
from polkg.model import Actor, Document, Event, Kind, Role, Status
from polkg.ontology.vocab import NIF, PK, PKID, SCHEMA, WD

KIND_CLASS = {
    Kind.PERSON: PK.Person,
    Kind.COUNTRY: PK.Country,
    Kind.ORGANIZATION: PK.Organization,
    Kind.GROUP: PK.Group,
    Kind.PLACE: PK.Place,
}
ROLE_PROPERTY = {
    Role.PARTICIPANT: PK.participant,
    Role.SPEAKER: PK.speaker,
    Role.ADDRESSEE: PK.addressee,
    Role.ABSTAINER: PK.abstainer,
    Role.VOTER: PK.voter,
}
STATUS_INDIVIDUAL = {status: PK[status.value.capitalize()] for status in Status}
#: Where a document's content hash is kept (``polkg build`` skips a document whose hash is unchanged).
CONTENT_HASH = SCHEMA.sha256


@dataclass(frozen=True)
class Run:
    """One ``polkg build`` (or ingest) run: the PROV activity of the graphs it writes."""

    started: dt.datetime = field(default_factory=lambda: dt.datetime.now(dt.timezone.utc).replace(microsecond=0))
    version: str = __version__

    @property
    def iri(self) -> URIRef:
        return PKID[f"run/{self.started.strftime('%Y%m%dT%H%M%SZ')}"]

    def triples(self, models: Iterable[tuple[str, str]] = ()) -> Iterator[Triple]:
        """The activity, the polkg software agent, and the models (name, version) it used."""
        agent = PKID[f"software/polkg/{_segment(self.version)}"]
        yield self.iri, RDF.type, PROV.Activity
        yield self.iri, PROV.startedAtTime, Literal(self.started.isoformat(), datatype=XSD.dateTime)
        yield self.iri, PROV.wasAssociatedWith, agent
        yield agent, RDF.type, PROV.SoftwareAgent
        yield agent, RDFS.label, Literal(f"polkg {self.version}")
        yield agent, SCHEMA.softwareVersion, Literal(self.version)
        for name, version in models:
            model = PKID[f"software/{_segment(name)}/{_segment(version)}"]
            yield self.iri, PROV.used, model
            yield model, RDF.type, PROV.Entity
            yield model, RDFS.label, Literal(f"{name} {version}")
            yield model, SCHEMA.softwareVersion, Literal(version)


def _segment(text: str) -> str:
    """``text`` as one IRI path segment."""
    return quote(text, safe="")


def fold(name: str) -> str:
    """A document-independent key for a name: lower case, no accents, words joined by ``-``."""
    decomposed = unicodedata.normalize("NFKD", name.casefold())
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    return "-".join(re.findall(r"\w+", plain)) or "_"


def document_iri(doc_id: str) -> URIRef:
    return PKID[f"doc/{_segment(doc_id)}"]


def graph_iri(doc_id: str) -> URIRef:
    """The named graph holding a document's events."""
    return PKID[f"graph/{_segment(doc_id)}"]


def event_iri(doc_id: str, event_id: str) -> URIRef:
    return PKID[f"event/{_segment(doc_id)}/{_segment(event_id)}"]


def mention_iri(doc_id: str, start: int, end: int) -> URIRef:
    return URIRef(f"{document_iri(doc_id)}#char={start},{end}")


def actor_iri(actor: Actor) -> URIRef:
    """``wd:Q…`` for a linked actor, else a local IRI from its kind and folded name."""
    if actor.qid:
        if not re.fullmatch(r"[QP]\d+", actor.qid):
            raise ValueError(f"not a Wikidata id: {actor.qid!r}")
        return WD[actor.qid]
    return PKID[f"actor/{actor.kind.value}/{fold(actor.name or actor.text)}"]


def content_hash(doc: Document) -> str:
    """SHA-256 of the document's text and metadata: what ``build`` compares to skip unchanged documents."""
    record = [doc.id, doc.text, doc.lang, doc.published and doc.published.isoformat(), doc.title, doc.url, doc.source]
    return hashlib.sha256(json.dumps(record, ensure_ascii=False).encode()).hexdigest()


def document_triples(
    doc: Document, events: Iterable[Event], run: Run, models: Iterable[tuple[str, str]] = ()
) -> Iterator[Triple]:
    """Every triple of the document's named graph: metadata, events, mentions, actors, and the run with the
    spaCy ``models`` (name, version) it used for this document."""
    doc_node = document_iri(doc.id)
    graph = graph_iri(doc.id)
    yield doc_node, RDF.type, PK.Document
    yield doc_node, DCTERMS.identifier, Literal(doc.id)
    yield doc_node, CONTENT_HASH, Literal(content_hash(doc))
    if doc.title:
        yield doc_node, DCTERMS.title, Literal(doc.title, lang=doc.lang)
    if doc.url:
        yield doc_node, SCHEMA.url, URIRef(doc.url)
    if doc.published:
        yield doc_node, DCTERMS.issued, Literal(doc.published.isoformat(), datatype=XSD.date)
    if doc.lang:
        yield doc_node, DCTERMS.language, Literal(doc.lang)
    if doc.source:
        yield doc_node, DCTERMS.source, Literal(doc.source)
    yield graph, PROV.wasDerivedFrom, doc_node
    yield graph, PROV.wasGeneratedBy, run.iri
    yield run.iri, PROV.used, doc_node
    yield from run.triples(models)
    for event in events:
        yield from event_triples(doc, event, run)


def event_triples(doc: Document, event: Event, run: Run) -> Iterator[Triple]:
    """An event with its type, status, actors, literals and mentions."""
    node = event_iri(doc.id, event.id)
    yield node, RDF.type, PK[event.type.value]
    if event.subtype:
        yield node, RDF.type, PK[event.subtype.value]
    yield node, PK.status, STATUS_INDIVIDUAL[event.status]
    yield node, PK.confidence, Literal(Decimal(str(round(min(max(event.confidence, 0.0), 1.0), 3))))
    yield node, PROV.wasDerivedFrom, document_iri(doc.id)
    yield node, PROV.wasGeneratedBy, run.iri
    if event.date:
        yield node, PK.date, Literal(event.date.isoformat(), datatype=XSD.date)
    if event.quote:
        yield node, PK.quote, Literal(event.quote, lang=event.quote_lang or doc.lang or None)
    if event.topic:
        yield node, PK.topic, Literal(event.topic)
    if event.resolution:
        yield node, PK.resolution, Literal(event.resolution)
    for actor in event.actors:
        yield node, ROLE_PROPERTY[actor.role], actor_iri(actor)
        yield from actor_triples(actor, doc.lang)
    for actor, prop in ((event.place, PK.place), (event.body, PK.votingBody)):
        if actor is not None:
            yield node, prop, actor_iri(actor)
            yield from actor_triples(actor, doc.lang, PK.Place if prop == PK.place else None)
    for start, end, text in _mentions(event):
        mention = mention_iri(doc.id, start, end)
        yield node, PK.mention, mention
        yield mention, RDF.type, PK.Mention
        yield mention, NIF.beginIndex, Literal(start)
        yield mention, NIF.endIndex, Literal(end)
        yield mention, NIF.anchorOf, Literal(text)
        yield mention, PROV.wasDerivedFrom, document_iri(doc.id)
        if event.sentence and (start, end) == (event.start, event.end):
            yield mention, PK.sentence, Literal(event.sentence)


def _mentions(event: Event) -> list[tuple[int, int, str]]:
    """The event's mentions as (start, end, text); its sentence when the extractor gave none."""
    spans = [(m.start, m.end, m.text) for m in event.mentions if m.end > m.start >= 0]
    if not spans and event.end > event.start >= 0 and event.sentence:
        spans = [(event.start, event.end, event.sentence)]
    return spans


def actor_triples(actor: Actor, lang: str | None, cls: URIRef | None = None) -> Iterator[Triple]:
    """An actor's type and labels: Wikidata labels by language when linked, its name as written otherwise."""
    node = actor_iri(actor)
    yield node, RDF.type, cls or KIND_CLASS[actor.kind]
    if actor.qid and (actor.labels or actor.label):
        for label_lang, label in actor.labels.items():
            yield node, RDFS.label, Literal(label, lang=label_lang)
        if actor.label and actor.label not in actor.labels.values():
            yield node, RDFS.label, Literal(actor.label, lang=lang)
    else:
        yield node, RDFS.label, Literal(actor.name or actor.text, lang=lang)
