"""For the REST, page and fuzz tests: a small store of hand-built events, and a real uvicorn process serving it.

The events are plain ``polkg.model`` dataclasses written by the graph layer's own mapping, so these tests
exercise the API on known data without depending on what the extractor finds.
"""

from __future__ import annotations

import datetime as dt
import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from polkg.graph.links import relink
from polkg.graph.mapping import Run, document_triples, graph_iri
from polkg.graph.store import open_store
from processes import free_port, running

from polkg.model import Actor, Document, Event, EventType, Kind, Role, Status, Subtype

TOKEN = "test-token-for-writes"
GALLANT = "Q723506"
BLINKEN = "Q7821917"
SULLIVAN = "Q16730147"
USA = "Q30"
UNSC = "Q37470"
MACRON = "Q3052772"
ZELENSKY = "Q3874799"


def _person(text: str, qid: str | None, en: str | None = None, role: Role = Role.PARTICIPANT, **labels: str) -> Actor:
    names = {"en": en} if en else {}
    return Actor(text, Kind.PERSON, role=role, name=en or text, qid=qid, label=en, labels={**names, **labels})


def sample_documents() -> list[tuple[Document, list[Event]]]:
    """Three documents (two French, one English) with meetings, a call, statements and a vote abstention; one
    meeting is reported by two documents."""
    fr = Document(id="seed-like-fr", text="…", lang="fr", published=dt.date(2024, 3, 26), title="Gallant à Washington")
    fr_events = [
        Event(fr.id, f"{fr.id}-e1", EventType.MEETING, date=dt.date(2024, 3, 26), sentence="Gallant a rencontré Blinken.",
              actors=[_person("M. Gallant", GALLANT, "Yoav Galant", fr="Yoav Gallant"),
                      _person("Blinken", BLINKEN, "Antony Blinken")]),
        Event(fr.id, f"{fr.id}-e2", EventType.MEETING, date=dt.date(2024, 3, 25),
              actors=[_person("M. Gallant", GALLANT, "Yoav Galant", fr="Yoav Gallant"),
                      _person("Jake Sullivan", SULLIVAN, "Jake Sullivan")]),
        Event(fr.id, f"{fr.id}-e3", EventType.STATEMENT, date=dt.date(2024, 3, 26),
              quote="Seule une victoire décisive mettra fin à cette guerre", quote_lang="fr",
              actors=[_person("M. Gallant", GALLANT, "Yoav Galant", Role.SPEAKER, fr="Yoav Gallant")]),
        Event(fr.id, f"{fr.id}-e4", EventType.VOTE_ABSTENTION, date=dt.date(2024, 3, 25),
              resolution="résolution exigeant un cessez-le-feu immédiat",
              actors=[Actor("les États-Unis", Kind.COUNTRY, role=Role.ABSTAINER, qid=USA, label="United States",
                            labels={"en": "United States", "fr": "États-Unis"})],
              body=Actor("Conseil de sécurité", Kind.ORGANIZATION, qid=UNSC, label="United Nations Security Council",
                         labels={"en": "United Nations Security Council"})),
        Event(fr.id, f"{fr.id}-e5", EventType.MEETING, status=Status.CANCELLED,
              actors=[_person("Netanyahou", "Q43723", "Benjamin Netanyahu"),
                      Actor("une délégation israélienne", Kind.GROUP)]),
    ]
    en = Document(id="wire-en", text="…", lang="en", published=dt.date(2024, 4, 2), title="Macron to call Zelensky")
    en_events = [
        Event(en.id, f"{en.id}-e1", EventType.MEETING, subtype=Subtype.PHONE_CALL, status=Status.PLANNED,
              date=dt.date(2024, 4, 3),
              actors=[_person("Macron", MACRON, "Emmanuel Macron"), _person("Zelensky", ZELENSKY, "Volodymyr Zelenskyy")]),
        Event(en.id, f"{en.id}-e2", EventType.STATEMENT, date=dt.date(2024, 4, 2), quote="We will stand by Ukraine",
              quote_lang="en", actors=[_person("Macron", MACRON, "Emmanuel Macron", Role.SPEAKER),
                                       _person("reporters", None, role=Role.ADDRESSEE)]),
        # the meeting of seed-like-fr-e1 again, as another document reports it
        Event(en.id, f"{en.id}-e3", EventType.MEETING, date=dt.date(2024, 3, 26),
              actors=[_person("Blinken", BLINKEN, "Antony Blinken"), _person("Gallant", GALLANT, "Yoav Galant")]),
    ]
    visit = Document(id="visit-fr", text="…", lang="fr", published=dt.date(2024, 2, 10))
    visit_events = [
        Event(visit.id, f"{visit.id}-e1", EventType.MEETING, subtype=Subtype.VISIT, date=dt.date(2024, 2, 9),
              actors=[_person("Antony Blinken", BLINKEN, "Antony Blinken"), _person("Zelensky", ZELENSKY,
                                                                                   "Volodymyr Zelenskyy")],
              place=Actor("Kyiv", Kind.PLACE, qid="Q1899", label="Kyiv", labels={"en": "Kyiv", "fr": "Kiev"})),
    ]
    return [(fr, fr_events), (en, en_events), (visit, visit_events)]


def write_sample(location: str | Path) -> list[tuple[Document, list[Event]]]:
    """Write the sample documents and their cross-document links into the store at ``location`` (and close it)."""
    documents = sample_documents()
    run = Run()
    with open_store(location) as store:
        for doc, events in documents:
            store.replace_graph(graph_iri(doc.id), document_triples(doc, events, run))
        relink(store)
    return documents


@contextmanager
def serve(store: str | Path, token: str | None = TOKEN, ready: str = "/health", **env: str) -> Iterator[str]:
    """A real uvicorn process serving polkg on 127.0.0.1; yields its base URL once ``ready`` answers 200, and
    stops it afterwards."""
    port = free_port()
    environment = {**os.environ, "POLKG_STORE": str(store), **env}
    environment.pop("POLKG_TOKEN", None)
    if token:
        environment["POLKG_TOKEN"] = token
    base = f"http://127.0.0.1:{port}"
    command = [sys.executable, "-m", "uvicorn", "polkg.api.app:create_app", "--factory",
               "--host", "127.0.0.1", "--port", str(port), "--log-level", "warning"]
    with running(command, base + ready, environment):
        yield base
