"""The extractor: a Document in, its events out (meetings, statements, votes), with provenance.

    ex = Extractor()
    events = ex.extract(doc)
    for doc, result in ex.extract_stream(docs): ...
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator
from itertools import islice

from spacy.tokens import Doc, Span

from polkg.extractor.lexicon import load_lexicon
from polkg.extractor.mentions import DocumentEntities
from polkg.extractor.pipeline import TRIGGERS, load_pipeline
from polkg.extractor.rules import Candidate, SentenceRules
from polkg.model import Actor, Document, Event, EventType, Kind, Mention, Role, Status

BATCH_SIZE = 32
QUOTE_ONLY_SHARE = 0.6  # a sentence that is mostly quotation continues the previous statement
STATUS_ORDER = [Status.HAPPENED, Status.PLANNED, Status.CANCELLED, Status.NEGATED]


class Extractor:
    """Finds events in documents; spaCy models are loaded lazily, once per language."""

    def __init__(self, default_lang: str = "fr") -> None:
        self.default_lang = default_lang

    def language_of(self, doc: Document) -> str:
        """The document's language: its own if set (fr or en), else detected."""
        if doc.lang in ("fr", "en"):
            return doc.lang
        if doc.lang:
            raise ValueError(f"unsupported language {doc.lang!r} (fr or en)")
        from polkg.extractor.language import detect_language

        return detect_language(doc.text, default=self.default_lang) if doc.text.strip() else self.default_lang

    def extract(self, doc: Document) -> list[Event]:
        """The events of one document."""
        lang = self.language_of(doc)
        return events_from(load_pipeline(lang)(doc.text), doc, lang)

    def extract_stream(self, docs: Iterable[Document], batch_size: int = BATCH_SIZE) -> Iterator[tuple[Document, list[Event] | Exception]]:
        """``(document, events)`` for each document in order, parsed with ``nlp.pipe`` in batches of
        one language; a document that fails yields ``(document, exception)`` and the stream goes on."""
        iterator = iter(docs)
        while batch := list(islice(iterator, batch_size)):
            by_lang: dict[str, list[int]] = {}
            langs: list[str | Exception] = []
            for index, doc in enumerate(batch):
                try:
                    lang = self.language_of(doc)
                    langs.append(lang)
                    by_lang.setdefault(lang, []).append(index)
                except Exception as err:  # noqa: BLE001 - reported per document
                    langs.append(err)
            parsed: dict[int, Doc | Exception] = {}
            for lang, indexes in by_lang.items():
                nlp = load_pipeline(lang)
                try:
                    for index, spacy_doc in zip(indexes, nlp.pipe(batch[i].text for i in indexes)):
                        parsed[index] = spacy_doc
                except Exception:  # noqa: BLE001 - one bad text: parse the batch one by one
                    for index in indexes:
                        try:
                            parsed[index] = nlp(batch[index].text)
                        except Exception as err:  # noqa: BLE001
                            parsed[index] = err
            for index, doc in enumerate(batch):
                lang, spacy_doc = langs[index], parsed.get(index)
                if isinstance(lang, Exception):
                    yield doc, lang
                elif isinstance(spacy_doc, Exception):
                    yield doc, spacy_doc
                else:
                    try:
                        yield doc, events_from(spacy_doc, doc, lang)
                    except Exception as err:  # noqa: BLE001 - reported per document
                        yield doc, err


def sentence_units(doc: Doc) -> list[Span]:
    """Sentences, rejoined where the parser split inside a quotation or before an attribution
    clause (``"…", a déclaré X``); a line break always ends a unit."""
    quotes = doc._.quotes or []
    units: list[list[int]] = []
    for sent in doc.sents:
        if not sent.text.strip():
            continue
        boundary = sent.start_char
        previous = units[-1] if units else None
        joined = previous is not None and "\n" not in doc.text[doc[previous[1] - 1].idx : boundary] and (
            any(s - 1 <= boundary < e + 1 for s, e in quotes)
            or sent[0].text in {",", ";", ":", "»", "”", "’", "—", "–", "-"}
            or not any(t.is_alpha for t in sent))
        if joined:
            previous[1] = sent.end
        else:
            units.append([sent.start, sent.end])
    return [doc[start:end] for start, end in units]


def events_from(doc: Doc, document: Document, lang: str) -> list[Event]:
    """The events of a parsed document: rules per sentence unit, then merged into events."""
    lexicon = load_lexicon(lang)
    entities = DocumentEntities(doc, lexicon)
    rules = SentenceRules(entities, lexicon)
    triggers = list(doc.spans[TRIGGERS]) if TRIGGERS in doc.spans else []
    candidates: list[Candidate] = []
    for unit in sentence_units(doc):
        in_unit = [t for t in triggers if unit.start <= t.start < unit.end]
        found = _unit_candidates(unit, in_unit, rules, candidates)
        candidates.extend(found)
        for cand in found:
            if cand.type is EventType.MEETING:
                entities.note_pair([a for a in cand.actors if a.role is Role.PARTICIPANT])
        _note_subjects(unit, entities)
    return merge(candidates, document, lang)


def _unit_candidates(unit: Span, triggers: list[Span], rules: SentenceRules, previous: list[Candidate]) -> list[Candidate]:
    found: list[Candidate] = []
    by_label: dict[str, list[Span]] = {}
    for span in triggers:
        by_label.setdefault(span.label_, []).append(span)
    for span in by_label.get("statement", []):
        cand = rules.statement(span.root, unit)
        if cand is not None:
            found.append(cand)
    for span in by_label.get("attribution", []):  # "selon l'Elysée": unless its sentence has a reporting verb
        if not any(c.trigger.sent == span.sent for c in found):
            cand = rules.attribution(span[0], unit)
            if cand is not None:
                found.append(cand)
    if not found:
        _continue_quote(unit, rules, previous)
    speaker = next((c.actors[0] for c in found if c.type is EventType.STATEMENT), None) or _quoted_speaker(unit, rules, previous)
    seen_roots: set[int] = set()
    for label, method in (("meeting", rules.meeting), ("abstain", rules.abstention), ("vote", rules.vote)):
        for span in by_label.get(label, []):
            if span.root.i in seen_roots:
                continue
            cand = method(span.root, unit, speaker) if label == "meeting" else method(span.root, unit)
            if cand is not None:
                seen_roots.add(span.root.i)
                found.append(cand)
    return found


def _quoted_speaker(unit: Span, rules: SentenceRules, previous: list[Candidate]) -> Actor | None:
    """Whoever speaks in a quotation-only sentence: the last speaker."""
    if previous and previous[-1].type is EventType.STATEMENT and _quote_share(unit, rules) >= QUOTE_ONLY_SHARE:
        return previous[-1].actors[0]
    return None


def _quote_share(unit: Span, rules: SentenceRules) -> float:
    quoted = sum(e - s for s, e in rules.quotes_in(unit))
    return quoted / max(1, len(unit.text.strip()))


def _continue_quote(unit: Span, rules: SentenceRules, previous: list[Candidate]) -> None:
    """A sentence that is only a quotation continues the latest statement (same speaker)."""
    statements = [c for c in previous if c.type is EventType.STATEMENT]
    if not statements or _quote_share(unit, rules) < QUOTE_ONLY_SHARE:
        return
    last = statements[-1]
    extra = " […] ".join(unit.doc.text[s:e] for s, e in rules.quotes_in(unit))
    last.quote = f"{last.quote} […] {extra}" if last.quote else extra
    last.extra_units.append(unit)


def _note_subjects(unit: Span, entities: DocumentEntities) -> None:
    """Persons that are subjects of the unit's verbs become the preferred antecedents of later pronouns."""
    for token in unit:
        if token.dep_ in {"nsubj", "nsubj:pass", "nsubjpass"} and token.pos_ != "PRON":
            mention = entities.actor(token, Role.PARTICIPANT)
            if mention is not None and not mention.plural:
                entities.note_subject(mention.actor)


# --- merging and provenance ----------------------------------------------------------------------

def merge(candidates: list[Candidate], document: Document, lang: str) -> list[Event]:
    """Several mentions of one event become one Event; ids follow document order."""
    events: list[tuple[Event, tuple]] = []
    for cand in candidates:
        event = _event_of(cand, document, lang)
        key = _identity(event)
        twin = next((e for e, k in events if key is not None and k == key and _same_day(e, event)), None)
        if twin is None:
            events.append((event, key))
            continue
        twin.mentions.extend(event.mentions)
        twin.status = event.status if event.mentions[0].start > twin.mentions[0].start else twin.status
        twin.date = twin.date or event.date
        twin.place = twin.place or event.place
        twin.body = twin.body or event.body
        twin.resolution = twin.resolution or event.resolution
        twin.subtype = twin.subtype or event.subtype
        twin.confidence = min(0.99, max(twin.confidence, event.confidence) + 0.05)
    ordered = sorted((e for e, _ in events), key=lambda e: (e.start, e.mentions[0].start if e.mentions else 0))
    for number, event in enumerate(ordered, start=1):
        event.id = f"{document.id}-e{number}"
    return ordered


def _identity(event: Event) -> tuple | None:
    """Events with the same identity are mentions of one event (statements are never merged)."""
    if event.type is EventType.STATEMENT:
        return None
    roles = {Role.PARTICIPANT, Role.ABSTAINER, Role.VOTER}
    return event.type, frozenset(a.key for a in event.actors if a.role in roles and a.kind is not Kind.PLACE) or None


def _same_day(a: Event, b: Event) -> bool:
    return a.date is None or b.date is None or a.date == b.date


def _event_of(cand: Candidate, document: Document, lang: str) -> Event:
    doc = cand.unit.doc
    units = [cand.unit, *cand.extra_units]
    mentions = [Mention(text=u.text.strip(), start=u.start_char + _lead(u.text), end=u.start_char + len(u.text.rstrip())) for u in units]
    first = mentions[0]
    return Event(
        doc=document.id, id="", type=cand.type, status=cand.status, subtype=cand.subtype, actors=cand.actors,
        quote=cand.quote, quote_lang=lang if cand.quote else None, topic=cand.topic,
        date=_date_near(cand, document, lang), place=cand.place, body=cand.body, resolution=cand.resolution,
        sentence=first.text, start=first.start, end=first.end, confidence=round(cand.confidence, 3),
        mentions=mentions,
    ) if doc is not None else None


def _lead(text: str) -> int:
    return len(text) - len(text.lstrip())


def _date_near(cand: Candidate, document: Document, lang: str) -> dt.date | None:
    """The date expression of the unit nearest to the trigger, resolved against publication."""
    from polkg.extractor.dates import find_date_expressions, resolve_date

    unit = cand.unit
    found = find_date_expressions(unit.text, lang)
    if not found:
        return None
    trigger_at = cand.trigger.idx - unit.start_char
    quotes = [(s - unit.start_char, e - unit.start_char) for s, e in unit.doc._.quotes or []]
    outside = [f for f in found if not any(s <= f[0] < e for s, e in quotes)] or found
    start, end, expression = min(outside, key=lambda f: abs(f[0] - trigger_at))
    return resolve_date(expression, document.published, lang)
