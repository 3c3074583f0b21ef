"""The ontology: generated file up to date, consistent under HermiT, SHACL shapes that accept and reject."""

from __future__ import annotations

import shutil
from pathlib import Path

import owlready2 as owl
import pytest
from pyshacl import validate
from rdflib import RDF, RDFS, XSD, Graph, Literal, URIRef

from polkg.ontology import ONTOLOGY_TTL, PK, PKID, SHAPES_TTL, WD
from polkg.ontology.build import build_turtle

needs_java = pytest.mark.skipif(shutil.which("java") is None, reason="HermiT needs a Java runtime (java not on PATH)")


def test_committed_ontology_equals_a_fresh_build() -> None:
    assert ONTOLOGY_TTL.read_text(encoding="utf-8") == build_turtle(), (
        "ontology/polkg.ttl is stale: run `make ontology` (python -m polkg.ontology.build)"
    )


def test_ontology_declares_the_issue_vocabulary() -> None:
    graph = Graph().parse(ONTOLOGY_TTL)
    sem = "http://semanticweb.cs.vu.nl/2009/11/sem/"
    assert (PK.Event, RDFS.subClassOf, URIRef(sem + "Event")) in graph
    assert (PK.Event, RDFS.subClassOf, URIRef("https://schema.org/Event")) in graph
    for child, parent in [(PK.PhoneCall, PK.Meeting), (PK.Visit, PK.Meeting), (PK.VoteAbstention, PK.Vote),
                          (PK.Veto, PK.Vote), (PK.Group, PK.Agent), (PK.Country, PK.Agent)]:
        assert (child, RDFS.subClassOf, parent) in graph
    assert (PK.participant, RDFS.subPropertyOf, URIRef(sem + "hasActor")) in graph
    assert (PK.place, RDFS.subPropertyOf, URIRef(sem + "hasPlace")) in graph
    assert (PK.date, RDFS.range, XSD.date) in graph
    assert (PK.PhoneCall, PK.cameoCode, Literal("041", datatype=XSD.string)) in graph
    assert (PK.Meeting, URIRef("http://www.w3.org/2004/02/skos/core#closeMatch"), WD.Q2761147) in graph
    for status in (PK.Happened, PK.Planned, PK.Cancelled, PK.Negated):
        assert (status, RDF.type, PK.EventStatus) in graph


# HermiT knows only the OWL 2 datatype map, which lacks xsd:date (pk:date's range): it is told to ignore it.


def _load_with_owlready(tmp_path: Path, extra: Graph | None = None) -> owl.World:
    graph = Graph().parse(ONTOLOGY_TTL)
    if extra is not None:
        graph += extra
    path = tmp_path / "onto.nt"
    graph.serialize(path, format="nt")
    world = owl.World()
    world.get_ontology(path.as_uri()).load()
    return world


@needs_java
def test_hermit_finds_the_ontology_consistent(tmp_path: Path) -> None:
    world = _load_with_owlready(tmp_path, _sample(valid=True))
    owl.sync_reasoner_hermit(world, infer_property_values=False, debug=0, ignore_unsupported_datatypes=True)
    assert not list(world.inconsistent_classes())


@needs_java
def test_hermit_finds_a_person_meeting_inconsistent(tmp_path: Path) -> None:
    contradiction = Graph()
    thing = PKID["sample/both"]
    contradiction.add((thing, RDF.type, PK.Person))
    contradiction.add((thing, RDF.type, PK.Meeting))
    world = _load_with_owlready(tmp_path, contradiction)
    with pytest.raises(owl.OwlReadyInconsistentOntologyError):
        owl.sync_reasoner_hermit(world, infer_property_values=False, debug=0, ignore_unsupported_datatypes=True)


def _sample(valid: bool) -> Graph:
    graph = Graph()
    meeting, statement, abstention = PKID["event/m"], PKID["event/s"], PKID["event/a"]
    gallant, sullivan, usa = WD.Q723506, WD.Q16730147, WD.Q30
    for actor, cls in ((gallant, PK.Person), (sullivan, PK.Person), (usa, PK.Country)):
        graph.add((actor, RDF.type, cls))
    graph.add((meeting, RDF.type, PK.Meeting))
    graph.add((meeting, PK.participant, gallant))
    graph.add((meeting, PK.status, PK.Happened))
    graph.add((meeting, PK.date, Literal("2024-03-25", datatype=XSD.date)))
    graph.add((statement, RDF.type, PK.Statement))
    graph.add((statement, PK.speaker, sullivan))
    graph.add((statement, PK.status, PK.Happened))
    graph.add((statement, PK.quote, Literal("une discussion constructive", lang="fr")))
    graph.add((abstention, RDF.type, PK.VoteAbstention))
    graph.add((abstention, PK.abstainer, usa))
    graph.add((abstention, PK.status, PK.Happened))
    if valid:
        graph.add((meeting, PK.participant, sullivan))
    else:  # one participant and no place; a date that is not a date; two speakers
        graph.set((meeting, PK.date, Literal("mardi")))
        graph.add((statement, PK.speaker, gallant))
    return graph


def _shacl(data: Graph) -> tuple[bool, str]:
    conforms, _, text = validate(data, shacl_graph=str(SHAPES_TTL), ont_graph=str(ONTOLOGY_TTL), inference="none")
    return conforms, text


def test_shacl_accepts_a_valid_sample() -> None:
    conforms, text = _shacl(_sample(valid=True))
    assert conforms, text


def test_shacl_rejects_an_invalid_sample_with_readable_messages() -> None:
    conforms, text = _shacl(_sample(valid=False))
    assert not conforms
    assert "A meeting needs at least two pk:participant" in text
    assert "pk:date is a single xsd:date" in text
    assert "A statement has exactly one pk:speaker" in text


def test_phone_call_is_checked_as_a_meeting() -> None:
    graph = Graph()
    call = PKID["event/c"]
    graph.add((call, RDF.type, PK.PhoneCall))
    graph.add((call, PK.participant, WD.Q6279))
    graph.add((call, PK.status, PK.Happened))
    conforms, text = _shacl(graph)
    assert not conforms and "A meeting needs" in text
