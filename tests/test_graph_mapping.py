"""The RDF mapping: one named graph per document, deterministic IRIs, actors, PROV, SHACL, cross-document links.

Events are built by hand (plain dataclasses of polkg.model): the graph stage is tested on its own.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rdflib import Literal, URIRef
from rdflib.namespace import PROV, RDF, RDFS, XSD

from polkg.graph.links import DISTINCT_EVENTS_QUERY, LINKS_GRAPH, distinct_events, relink
from polkg.graph.mapping import (
    Run,
    actor_iri,
    document_triples,
    event_iri,
    fold,
    graph_iri,
)
from polkg.graph.store import GraphStore, open_store
from polkg.graph.validate import validate, validate_store
from polkg.model import Actor, Document, Event, EventType, Kind, Mention, Role, Status, Subtype
from polkg.ontology.vocab import NIF, PK, PKID, WD

RUN = Run(started=dt.datetime(2024, 5, 1, 12, 0, tzinfo=dt.timezone.utc))
MODELS = [("fr_core_news_md", "3.8.0")]
NETANYAHU = dict(qid="Q43723", labels={"fr": "Benyamin Netanyahou", "en": "Benjamin Netanyahu"})


def meeting_doc(doc_id: str, day: dt.date | None, lang: str = "fr") -> tuple[Document, list[Event]]:
    """A document reporting that Netanyahu (linked) met Gallant (unlinked), plus a statement by Gallant."""
    text = "Benjamin Netanyahou a rencontré Yoav Gallant. « Nous gagnerons », a déclaré M. Gallant."
    doc = Document(id=doc_id, text=text, lang=lang, published=day, title="Réunion", url=f"https://ex.org/{doc_id}")
    meeting = Event(
        doc=doc_id, id="e1", type=EventType.MEETING, date=day, confidence=0.8,
        actors=[Actor("Benjamin Netanyahou", Kind.PERSON, **NETANYAHU), Actor("Yoav Gallant", Kind.PERSON)],
        sentence=text[:45], start=0, end=45, mentions=[Mention(text[:45], 0, 45)],
    )
    statement = Event(
        doc=doc_id, id="e2", type=EventType.STATEMENT, date=day, quote="Nous gagnerons", confidence=0.9,
        actors=[Actor("M. Gallant", Kind.PERSON, role=Role.SPEAKER, name="Yoav Gallant")],
        sentence=text[46:], start=46, end=len(text), mentions=[Mention(text[46:], 46, len(text))],
    )
    return doc, [meeting, statement]


def store_doc(store: GraphStore, doc: Document, events: list[Event]) -> None:
    store.replace_graph(graph_iri(doc.id), document_triples(doc, events, RUN, MODELS))


@pytest.fixture
def store():
    with open_store("memory") as opened:
        yield opened


def test_a_document_is_one_named_graph_and_a_rebuild_replaces_it(store: GraphStore) -> None:
    doc, events = meeting_doc("a", dt.date(2023, 10, 10))
    store_doc(store, doc, events)
    first = store.count(graph_iri("a"))
    store_doc(store, doc, events)
    assert store.graphs() == [graph_iri("a")]
    assert store.count(graph_iri("a")) == first == store.count()
    events[0].date = dt.date(2023, 10, 11)
    store_doc(store, doc, events)
    dates = {row[0].toPython() for row in store.query("SELECT ?d WHERE { ?e pk:date ?d }")}
    assert dates == {dt.date(2023, 10, 11), dt.date(2023, 10, 10)}  # the meeting changed, the statement did not
    assert store.count() == first


def test_events_carry_type_status_date_confidence_quote_and_mentions(store: GraphStore) -> None:
    doc, events = meeting_doc("a", dt.date(2023, 10, 10))
    events[1].status = Status.PLANNED
    events[0].subtype = Subtype.PHONE_CALL
    store_doc(store, doc, events)
    g = store.dataset.graph(graph_iri("a"))
    meeting, statement = event_iri("a", "e1"), event_iri("a", "e2")
    assert {PK.Meeting, PK.PhoneCall} <= set(g.objects(meeting, RDF.type))
    assert g.value(meeting, PK.status) == PK.Happened and g.value(statement, PK.status) == PK.Planned
    assert g.value(meeting, PK.date) == Literal("2023-10-10", datatype=XSD.date)
    assert g.value(meeting, PK.confidence) == Literal(Decimal("0.8"))
    assert g.value(statement, PK.quote) == Literal("Nous gagnerons", lang="fr")
    mention = g.value(statement, PK.mention)
    assert mention == URIRef(f"{PKID['doc/a']}#char=46,{len(doc.text)}")
    assert g.value(mention, NIF.beginIndex).toPython() == 46
    assert str(g.value(mention, NIF.anchorOf)) == doc.text[46:]
    assert g.value(meeting, PROV.wasDerivedFrom) == PKID["doc/a"]


def test_linked_actors_are_wikidata_entities_and_unlinked_names_are_shared_across_documents(store: GraphStore) -> None:
    for doc_id in ("a", "b"):
        store_doc(store, *meeting_doc(doc_id, dt.date(2023, 10, 10)))
    g = store.dataset
    assert (WD.Q43723, RDFS.label, Literal("Benjamin Netanyahu", lang="en")) in g
    assert (WD.Q43723, RDFS.label, Literal("Benyamin Netanyahou", lang="fr")) in g
    gallant = PKID["actor/person/yoav-gallant"]
    assert (event_iri("a", "e2"), PK.speaker, gallant) in g  # "M. Gallant" named by its fullest name
    assert (event_iri("b", "e1"), PK.participant, gallant) in g
    assert set(g.objects(gallant, RDF.type)) == {PK.Person}
    assert fold("Nétanyahou, Benyamin") == fold("netanyahou benyamin") == "netanyahou-benyamin"
    assert actor_iri(Actor("Hamas", Kind.ORGANIZATION)) != actor_iri(Actor("Hamas", Kind.GROUP))


def test_document_metadata_and_provenance(store: GraphStore) -> None:
    doc, events = meeting_doc("a", dt.date(2023, 10, 10))
    store_doc(store, doc, events)
    rows = store.query("""
        SELECT ?title ?issued ?version ?model WHERE {
          GRAPH ?g { ?g prov:wasDerivedFrom ?doc ; prov:wasGeneratedBy ?run .
                     ?doc dcterms:title ?title ; dcterms:issued ?issued .
                     ?run prov:wasAssociatedWith/schema:softwareVersion ?version ; prov:used/rdfs:label ?model } }""")
    assert [(str(t), i.toPython(), str(m)) for t, i, _, m in rows] == [
        ("Réunion", dt.date(2023, 10, 10), "fr_core_news_md 3.8.0")
    ]


def test_a_bad_actor_id_fails_before_anything_is_written(store: GraphStore) -> None:
    doc, events = meeting_doc("a", None)
    store_doc(store, doc, events)
    before = store.count()
    events[0].actors[0].qid = "Q43723> <x"
    with pytest.raises(ValueError):
        store_doc(store, doc, events)
    assert store.count() == before


def test_the_mapping_conforms_to_the_shacl_shapes_and_violations_are_reported(store: GraphStore) -> None:
    doc, events = meeting_doc("a", dt.date(2023, 10, 10))
    store_doc(store, doc, events)
    assert validate_store(store) == []
    events[0].actors = events[0].actors[:1]  # a meeting with one participant and no place
    store_doc(store, doc, events)
    violations = validate_store(store, graph_iri("a"))
    assert [v.focus for v in violations] == [str(event_iri("a", "e1"))]
    assert "participant" in violations[0].message and violations[0].severity == "Violation"


def test_validate_reports_a_bad_offset() -> None:
    doc, events = meeting_doc("a", None)
    from rdflib import Graph

    graph = Graph()
    for triple in document_triples(doc, events, RUN):
        graph.add(triple)
    graph.set((URIRef(f"{PKID['doc/a']}#char=0,45"), NIF.endIndex, Literal(-1)))
    assert any("beginIndex" in v.message for v in validate(graph))


def test_the_same_meeting_in_two_documents_is_linked_and_counted_once(store: GraphStore) -> None:
    store_doc(store, *meeting_doc("a", dt.date(2023, 10, 10)))
    store_doc(store, *meeting_doc("b", dt.date(2023, 10, 11), lang="en"))  # reported the next day
    store_doc(store, *meeting_doc("c", None))  # undated: compatible
    assert relink(store) == 4  # b→a and c→a, for the meeting and for the statement
    canonical = event_iri("a", "e1")
    linked = {row[0] for row in store.query(f"SELECT ?e WHERE {{ ?e pk:sameEventAs <{canonical}> }}")}
    assert linked == {event_iri("b", "e1"), event_iri("c", "e1")}
    assert store.count(LINKS_GRAPH) == 4
    assert distinct_events(store) == 2  # 6 reports of one meeting and one statement
    store_doc(store, *meeting_doc("d", dt.date(2023, 11, 20)))  # another meeting of the same pair
    assert relink(store) == 2  # c could now be October's or November's: left apart
    assert int(next(iter(store.query(DISTINCT_EVENTS_QUERY)))[0]) == 8 - 2


def test_statements_are_the_same_event_only_when_their_quotes_overlap(store: GraphStore) -> None:
    day = dt.date(2023, 10, 10)
    for doc_id, quote in (("a", "Nous gagnerons cette guerre"), ("b", "nous gagnerons cette guerre !"),
                          ("c", "Les otages rentreront"), ("d", None)):
        doc, [_, statement] = meeting_doc(doc_id, day)
        statement.quote = quote
        store_doc(store, doc, [statement])
    relink(store)
    pairs = {(str(a), str(b)) for a, b in store.query("SELECT ?a ?b WHERE { ?a pk:sameEventAs ?b }")}
    assert pairs == {(str(event_iri("b", "e2")), str(event_iri("a", "e2")))}


def test_links_are_recomputed_from_the_stored_documents(store: GraphStore) -> None:
    store_doc(store, *meeting_doc("a", dt.date(2023, 10, 10)))
    store_doc(store, *meeting_doc("c", None))
    store_doc(store, *meeting_doc("d", dt.date(2023, 11, 20)))
    assert relink(store) == 0
    store.drop_graph(graph_iri("d"))
    assert relink(store) == 2
    store.drop_graph(graph_iri("c"))
    assert relink(store) == 0 and store.count(LINKS_GRAPH) == 0


@settings(max_examples=60, deadline=None)
@given(doc_id=st.text(min_size=1, max_size=30), name=st.text(min_size=1, max_size=30),
       quote=st.text(max_size=60), title=st.text(max_size=40))
def test_any_ids_names_and_texts_map_to_valid_rdf_that_round_trips(doc_id: str, name: str, quote: str,
                                                                  title: str) -> None:
    doc = Document(id=doc_id, text="x" * 20, lang="en", title=title or None)
    event = Event(doc=doc_id, id=f"{doc_id}-e1", type=EventType.STATEMENT, quote=quote or None,
                  actors=[Actor(name, Kind.PERSON, role=Role.SPEAKER)], sentence="x" * 10, start=0, end=10)
    with open_store("memory") as store:
        store_doc(store, doc, [event])
        store_doc(store, doc, [event])
        assert store.graphs() == [graph_iri(doc_id)]
        speaker = store.query(f"SELECT ?s ?q WHERE {{ <{event_iri(doc_id, doc_id + '-e1')}> pk:speaker ?s . "
                              "OPTIONAL { ?s rdfs:label ?q } }")
        assert [str(row.q) for row in speaker] == [name]
        quotes = [str(row.q) for row in store.query("SELECT ?q WHERE { ?e pk:quote ?q }")]
        assert quotes == ([quote] if quote else [])
