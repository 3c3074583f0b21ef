"""Generate the polkg OWL ontology with owlready2 and write it as Turtle (``ontology/polkg.ttl``).

Run ``python -m polkg.ontology.build`` after changing this file; a test checks that the committed
Turtle equals a fresh build.
"""

from __future__ import annotations

import sys
import tempfile
import types
from pathlib import Path

import owlready2 as owl
from rdflib import Graph
from rdflib.compare import to_canonical_graph

from rdflib.namespace import SKOS as SKOS_NS

from polkg.ontology.vocab import ONTOLOGY_IRI, PK, PREFIXES, WD

TTL_PATH = Path(__file__).with_name("polkg.ttl")
SKOS = "http://www.w3.org/2004/02/skos/core#"
PROV = "http://www.w3.org/ns/prov#"
XSD_DATE = "http://www.w3.org/2001/XMLSchema#date"

# Alignments: CAMEO codes and PLOVER event types (annotations), Wikidata classes (skos:closeMatch).
CAMEO = {"Statement": "01", "Meeting": "04", "PhoneCall": "041", "Visit": "042 043"}
PLOVER = {"Meeting": "CONSULT", "PhoneCall": "CONSULT", "Visit": "CONSULT"}
WIKIDATA_CLASS = {
    "Event": "Q1656682",  # event
    "Meeting": "Q2761147",  # meeting
    "Vote": "Q189760",  # voting
    "Person": "Q5",  # human
    "Country": "Q6256",  # country
    "Organization": "Q43229",  # organization
    "Group": "Q16334295",  # group of humans
}

CLASS_DOCS = {
    "Event": "A political event reported in the news.",
    "Meeting": "Two or more actors meet, hold talks, receive one another or visit (CAMEO 04, PLOVER CONSULT).",
    "PhoneCall": "A meeting held by telephone or video call (CAMEO 041).",
    "Visit": "A meeting in which one actor visits another or a place (CAMEO 042/043).",
    "Statement": "An actor says, declares, writes or tweets something, possibly to an addressee (CAMEO 01).",
    "Vote": "An actor's vote in a voting body.",
    "VoteAbstention": "An actor abstains in a vote.",
    "VoteFor": "An actor votes for a motion or resolution.",
    "VoteAgainst": "An actor votes against a motion or resolution.",
    "Veto": "An actor vetoes a resolution (e.g. a permanent member of the UN Security Council).",
    "Agent": "An actor of political events.",
    "Person": "A human being.",
    "Organization": "An organisation, institution or body (the UN Security Council, a ministry, a party).",
    "Country": "A state or territory acting as an actor (often through its government).",
    "Group": 'An unnamed collective of people ("senior US officials", "29 Liberals").',
    "Place": "A place where an event happens.",
    "EventStatus": "Whether an event happened, is planned, was cancelled or is negated.",
    "Document": "A news document that events were extracted from.",
    "Mention": "A span of a document's text that reports an event (with NIF character offsets).",
}


def _build(world: owl.World) -> owl.Ontology:
    onto = world.get_ontology(ONTOLOGY_IRI + "#")
    sem = onto.get_namespace(str(PREFIXES["sem"]))
    schema = onto.get_namespace(str(PREFIXES["schema"]))
    prov = onto.get_namespace(PROV)
    nif = onto.get_namespace(str(PREFIXES["nif"]))
    skos = onto.get_namespace(SKOS)

    def new(namespace: owl.Namespace, name: str, bases: tuple) -> type:
        with namespace:
            return types.new_class(name, bases)

    with onto:
        new(skos, "closeMatch", (owl.AnnotationProperty,))
        cameo = new(onto, "cameoCode", (owl.AnnotationProperty,))
        plover = new(onto, "ploverCode", (owl.AnnotationProperty,))
        onto.metadata.label = [owl.locstr("polkg ontology", "en")]
        onto.metadata.comment = [
            owl.locstr(
                "A small ontology of political events reported in the news: meetings, statements and "
                "votes (abstentions), their actors (linked to Wikidata), status, date, place and provenance.",
                "en",
            )
        ]

        sem_event = new(sem, "Event", (owl.Thing,))
        sem_place = new(sem, "Place", (owl.Thing,))
        schema_event = new(schema, "Event", (owl.Thing,))
        prov_entity = new(prov, "Entity", (owl.Thing,))

        c: dict[str, type] = {}
        c["Event"] = new(onto, "Event", (sem_event, schema_event))
        c["Meeting"] = new(onto, "Meeting", (c["Event"],))
        c["PhoneCall"] = new(onto, "PhoneCall", (c["Meeting"],))
        c["Visit"] = new(onto, "Visit", (c["Meeting"],))
        c["Statement"] = new(onto, "Statement", (c["Event"],))
        c["Vote"] = new(onto, "Vote", (c["Event"],))
        for name in ("VoteAbstention", "VoteFor", "VoteAgainst", "Veto"):
            c[name] = new(onto, name, (c["Vote"],))
        c["Agent"] = new(onto, "Agent", (owl.Thing,))
        for name in ("Person", "Organization", "Country", "Group"):
            c[name] = new(onto, name, (c["Agent"],))
        c["Place"] = new(onto, "Place", (sem_place,))
        c["EventStatus"] = new(onto, "EventStatus", (owl.Thing,))
        c["Document"] = new(onto, "Document", (prov_entity,))
        c["Mention"] = new(onto, "Mention", (owl.Thing,))

        for name, cls in c.items():
            cls.label = [owl.locstr(name, "en")]
            cls.comment = [owl.locstr(CLASS_DOCS[name], "en")]
            if name in CAMEO:
                cameo[cls] = [CAMEO[name]]
            if name in PLOVER:
                plover[cls] = [PLOVER[name]]

        owl.AllDisjoint([c["Event"], c["Agent"], c["EventStatus"], c["Document"], c["Mention"]])
        owl.AllDisjoint([c["Person"], c["Organization"], c["Country"], c["Group"]])
        owl.AllDisjoint([c["Meeting"], c["Statement"], c["Vote"]])
        owl.AllDisjoint([c["VoteAbstention"], c["VoteFor"], c["VoteAgainst"], c["Veto"]])

        statuses = []
        for name, doc in (
            ("Happened", "The event took place (or is taking place)."),
            ("Planned", "The event is scheduled, expected or intended."),
            ("Cancelled", "The event was cancelled, called off or postponed."),
            ("Negated", "The event is denied: refused, declined, did not happen."),
        ):
            individual = c["EventStatus"](name, namespace=onto)
            individual.label = [owl.locstr(name.lower(), "en")]
            individual.comment = [owl.locstr(doc, "en")]
            statuses.append(individual)
        c["EventStatus"].equivalent_to = [owl.OneOf(statuses)]
        owl.AllDifferent(statuses)

        has_actor = new(sem, "hasActor", (owl.ObjectProperty,))
        has_place = new(sem, "hasPlace", (owl.ObjectProperty,))
        has_time = new(sem, "hasTimeStamp", (owl.DatatypeProperty,))
        derived = new(prov, "wasDerivedFrom", (owl.ObjectProperty,))
        begin = new(nif, "beginIndex", (owl.DatatypeProperty, owl.FunctionalProperty))
        end = new(nif, "endIndex", (owl.DatatypeProperty, owl.FunctionalProperty))
        anchor = new(nif, "anchorOf", (owl.DatatypeProperty,))
        for prop, doc in (
            (begin, "Start offset of a mention in its document's text (characters)."),
            (end, "End offset (exclusive) of a mention in its document's text (characters)."),
            (anchor, "The text of a mention."),
        ):
            prop.domain = [c["Mention"]]
            prop.comment = [owl.locstr(doc, "en")]
        begin.range = end.range = [int]
        anchor.range = [str]
        derived.comment = [owl.locstr("An event or mention was extracted from this document.", "en")]

        def obj(name: str, bases: tuple, domain: str, rng: str, doc: str, functional: bool = False) -> type:
            bases = bases + ((owl.FunctionalProperty,) if functional else ())
            prop = new(onto, name, bases or (owl.ObjectProperty,))
            prop.domain = [c[domain]]
            prop.range = [c[rng]]
            prop.label = [owl.locstr(name, "en")]
            prop.comment = [owl.locstr(doc, "en")]
            return prop

        obj("participant", (has_actor,), "Event", "Agent", "An actor taking part in an event (a meeting's participant).")
        obj("speaker", (has_actor,), "Statement", "Agent", "Who makes a statement.")
        obj("addressee", (has_actor,), "Statement", "Agent", "Whom a statement is addressed to.")
        obj("abstainer", (has_actor,), "VoteAbstention", "Agent", "Who abstains in a vote.")
        obj("voter", (has_actor,), "Vote", "Agent", "Who votes for or against, or vetoes.")
        obj("votingBody", (owl.ObjectProperty,), "Vote", "Agent", "The body in which the vote is held.")
        obj("place", (has_place,), "Event", "Place", "Where the event happens.")
        obj("status", (owl.ObjectProperty,), "Event", "EventStatus", "Whether the event happened.", functional=True)
        obj("mention", (owl.ObjectProperty,), "Event", "Mention", "A span of text reporting the event.")
        obj("sameEventAs", (owl.ObjectProperty, owl.SymmetricProperty, owl.TransitiveProperty), "Event",
                   "Event", "The same real-world event, extracted from another document.")

        def data(name: str, bases: tuple, domain: str, rng: object, doc: str, functional: bool = False) -> type:
            bases = bases + ((owl.FunctionalProperty,) if functional else ())
            prop = new(onto, name, bases or (owl.DatatypeProperty,))
            prop.domain = [c[domain]]
            prop.range = [rng]
            prop.label = [owl.locstr(name, "en")]
            prop.comment = [owl.locstr(doc, "en")]
            return prop

        data("resolution", (owl.DatatypeProperty,), "Vote", str, "The resolution, bill or motion voted on.")
        data("quote", (owl.DatatypeProperty,), "Statement", owl.locstr, "What was said, as quoted (language-tagged).")
        data("topic", (owl.DatatypeProperty,), "Event", str, "What the event is about, as written.")
        data("date", (has_time,), "Event", owl.datetime.date, "The day of the event.", functional=True)
        data("confidence", (owl.DatatypeProperty,), "Event", float, "The extractor's confidence, 0 to 1.",
             functional=True)
        data("sentence", (owl.DatatypeProperty,), "Mention", str, "The sentence a mention comes from.")
    return onto


def build_graph() -> Graph:
    """A fresh build of the ontology as an rdflib Graph with readable prefixes."""
    world = owl.World()
    onto = _build(world)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "polkg.nt"
        onto.save(file=str(path), format="ntriples")
        graph = Graph()
        graph.parse(path, format="nt")
    world.close()
    # owlready2 stores annotation values as literals or its own entities: IRIs of Wikidata classes
    # are added here.
    for name, qid in WIKIDATA_CLASS.items():
        graph.add((PK[name], SKOS_NS.closeMatch, WD[qid]))
    for prefix, namespace in PREFIXES.items():
        graph.bind(prefix, namespace)
    graph.bind("prov", PROV)
    graph.bind("skos", SKOS)
    return graph


def build_turtle() -> str:
    """The ontology as Turtle text (what ``ontology/polkg.ttl`` holds)."""
    graph = build_graph()
    canonical = Graph()  # stable blank-node labels, so the output is stable
    canonical += to_canonical_graph(graph)
    for prefix, namespace in graph.namespaces():
        canonical.bind(prefix, namespace)
    return canonical.serialize(format="turtle")


def main() -> None:
    """Write ``ontology/polkg.ttl``."""
    TTL_PATH.write_text(build_turtle(), encoding="utf-8")
    print(f"wrote {TTL_PATH}", file=sys.stderr)


if __name__ == "__main__":
    main()
