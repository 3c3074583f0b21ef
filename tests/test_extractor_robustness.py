"""The extractor never crashes: arbitrary Unicode, empty and huge texts; a bad document in a batch is skipped."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from polkg.extractor import Extractor
from polkg.model import Document, Event

pytestmark = pytest.mark.slow

# Fragments of news wording, so that random texts also reach the rules, not only the tokenizer.
FRAGMENTS = [
    "M. Gallant", "a rencontré", "« ", " »", "\"", "\u201c", "\u201d", ", a déclaré ", "le ministre ", "mardi soir",
    "se sont abstenus", "l'abstention américaine", "Les deux hommes ont discuté", "il", "Biden", "met with",
    "said on Tuesday", "abstained", "vetoed", "phone call", "will meet", "cancelled", "\n", "\n\n", ". ", "?", "'",
    "Nations unies", "the United States", "Jake Sullivan", "a ajouté le conseiller", "‘", "’", "—", "(", ")",
]
texts = st.one_of(
    st.text(max_size=300),
    st.lists(st.one_of(st.sampled_from(FRAGMENTS), st.text(max_size=8)), max_size=40).map("".join),
)


@pytest.fixture(scope="module")
def extractor() -> Extractor:
    return Extractor()


def check_offsets(text: str, events: list[Event]) -> None:
    """Every offset the extractor gives points into the text at what it claims to have read."""
    for event in events:
        assert 0 <= event.start <= event.end <= len(text)
        for mention in event.mentions:
            assert text[mention.start:mention.end] == mention.text
        for actor in event.actors:
            if actor.start is not None and actor.end is not None:
                assert 0 <= actor.start <= actor.end <= len(text)


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=texts, lang=st.sampled_from(["fr", "en", None]), published=st.none() | st.dates())
def test_arbitrary_text_never_crashes(extractor: Extractor, text: str, lang: str | None,
                                      published: dt.date | None) -> None:
    events = extractor.extract(Document(id="h", text=text, lang=lang, published=published))
    assert isinstance(events, list)
    check_offsets(text, events)


@pytest.mark.parametrize("text", ["", " ", "\n\n\n", "\u00a0\t", "«»", "\"\"\"", "...", "\x00", "\ufffd\ufffd"])
@pytest.mark.parametrize("lang", ["fr", "en", None])
def test_empty_or_blank_text_gives_no_event(extractor: Extractor, text: str, lang: str | None) -> None:
    assert extractor.extract(Document(id="e", text=text, lang=lang)) == []


def test_one_megabyte_without_newlines(extractor: Extractor) -> None:
    sentence = ("Sergei Lavrov held talks with Chinese Foreign Minister Wang Yi in Vientiane on Thursday, "
                "the Russian Foreign Ministry said. ")
    text = sentence * (1_000_000 // len(sentence) + 1)
    assert len(text) > 1_000_000 and "\n" not in text
    events = extractor.extract(Document(id="big", text=text, lang="en", published=dt.date(2024, 7, 25)))
    assert any(e.type.value == "Meeting" for e in events)  # it was read, not skipped
    check_offsets(text, events)


def test_bad_document_is_reported_and_the_batch_goes_on(extractor: Extractor) -> None:
    good = "Le président Emmanuel Macron a reçu jeudi à l'Elysée le chancelier allemand Olaf Scholz."
    docs = [
        Document(id="ok-1", text=good, lang="fr", published=dt.date(2024, 5, 10)),
        Document(id="bad-bytes", text=good.encode(), lang="fr"),  # type: ignore[arg-type]
        Document(id="bad-text", text=None, lang="en"),  # type: ignore[arg-type]
        Document(id="ok-2", text="Biden met Xi on Monday.", lang="en", published=dt.date(2023, 11, 15)),
    ]
    results = list(extractor.extract_stream(iter(docs)))
    assert [doc.id for doc, _ in results] == ["ok-1", "bad-bytes", "bad-text", "ok-2"]
    outcome = {doc.id: result for doc, result in results}
    assert isinstance(outcome["bad-bytes"], Exception) and isinstance(outcome["bad-text"], Exception)
    for doc_id in ("ok-1", "ok-2"):
        assert isinstance(outcome[doc_id], list)
        assert any(e.type.value == "Meeting" for e in outcome[doc_id]), doc_id
