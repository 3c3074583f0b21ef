"""The extractor: a Document in, its events out (meetings, statements, votes), with provenance.

    ex = Extractor()
    events = ex.extract(doc)
    for doc, result in ex.extract_stream(docs): ...
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator
from dataclasses import replace
from itertools import islice

from spacy.tokens import Doc, Span

from polkg.extractor.lexicon import load_lexicon
from polkg.extractor.mentions import DocumentEntities
from polkg.extractor.pipeline import TRIGGERS, load_pipeline
from polkg.extractor.rules import Candidate, SentenceRules, root_of
from polkg.model import Actor, Document, Event, EventType, Kind, Mention, Role

BATCH_SIZE = 32
CHUNK_CHARS = 100_000  # longer texts are parsed in pieces
QUOTE_ONLY_SHARE = 0.6  # a sentence that is mostly quotation continues the previous statement


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

        sample = doc.text[:5000]
        return detect_language(sample, default=self.default_lang) if sample.strip() else self.default_lang

    def extract(self, doc: Document) -> list[Event]:
        """The events of one document."""
        lang = self.language_of(doc)
        pieces = chunks(doc.text)
        parsed = load_pipeline(lang).pipe(text for _, text in pieces)
        return events_from([(offset, spacy_doc) for (offset, _), spacy_doc in zip(pieces, parsed)], doc, lang)

    def extract_stream(self, docs: Iterable[Document], batch_size: int = BATCH_SIZE) -> Iterator[tuple[Document, list[Event] | Exception]]:
        """``(document, events)`` for each document in order, parsed with ``nlp.pipe`` in batches
        (one language at a time); a document that fails yields ``(document, exception)`` and the
        stream goes on."""
        iterator = iter(docs)
        while batch := list(islice(iterator, batch_size)):
            failures: dict[int, Exception] = {}
            jobs: dict[str, list[tuple[int, int, str]]] = {}  # lang -> (document index, offset, text)
            langs: dict[int, str] = {}
            for index, doc in enumerate(batch):
                try:
                    langs[index] = self.language_of(doc)
                    jobs.setdefault(langs[index], []).extend((index, offset, text) for offset, text in chunks(doc.text))
                except Exception as err:  # noqa: BLE001 - reported per document
                    failures[index] = err
            parsed: dict[int, list[tuple[int, Doc]]] = {index: [] for index in langs}
            for lang, pieces in jobs.items():
                for (index, offset, _), spacy_doc in zip(pieces, _parse(load_pipeline(lang), [t for _, _, t in pieces])):
                    if isinstance(spacy_doc, Exception):
                        failures.setdefault(index, spacy_doc)
                    else:
                        parsed[index].append((offset, spacy_doc))
            for index, doc in enumerate(batch):
                if index in failures:
                    yield doc, failures[index]
                    continue
                try:
                    yield doc, events_from(parsed[index], doc, langs[index])
                except Exception as err:  # noqa: BLE001 - reported per document
                    yield doc, err


def _parse(nlp, texts: list[str]) -> list[Doc | Exception]:
    """``nlp.pipe`` over ``texts``; if a text breaks the batch, each text alone (its error kept)."""
    try:
        return list(nlp.pipe(texts))
    except Exception:  # noqa: BLE001 - find the bad text
        out: list[Doc | Exception] = []
        for text in texts:
            try:
                out.append(nlp(text))
            except Exception as err:  # noqa: BLE001
                out.append(err)
        return out


def chunks(text: str, size: int = CHUNK_CHARS) -> list[tuple[int, str]]:
    """``(offset, piece)`` pieces of at most ``size`` characters, cut at a line break, else after a
    sentence end, else at a space (spaCy refuses texts over ``nlp.max_length``)."""
    if not isinstance(text, str):
        raise TypeError(f"document text must be str, not {type(text).__name__}")
    pieces: list[tuple[int, str]] = []
    start = 0
    while len(text) - start > size:
        window = text[start : start + size]
        cut = max(window.rfind("\n"), window.rfind(". "), window.rfind("? "), window.rfind("! "))
        if cut < size // 2:
            cut = window.rfind(" ")
        end = start + (cut + 1 if cut > 0 else size)
        pieces.append((start, text[start:end]))
        start = end
    pieces.append((start, text[start:]))
    return pieces


def sentence_units(doc: Doc) -> list[Span]:
    """Sentences, rejoined where the parser split inside a quotation or before an attribution
    clause (``"…", a déclaré X``); a line break always ends a unit."""
    quotes = doc._.quotes or []
    text = doc.text  # Doc.text joins every token: read it once
    units: list[list[int]] = []
    for sent in doc.sents:
        boundary = sent.start_char
        words = text[boundary : sent.end_char]
        if not words.strip():
            continue
        previous = units[-1] if units else None
        joined = previous is not None and "\n" not in text[doc[previous[1] - 1].idx : boundary] and (
            any(s - 1 <= boundary < e + 1 for s, e in quotes)
            or words[0] in ",;:»”’—–-"
            or not any(c.isalpha() for c in words))
        if joined:
            previous[1] = sent.end
        else:
            units.append([sent.start, sent.end])
    return [doc[start:end] for start, end in units]


def events_from(pieces: list[tuple[int, Doc]], document: Document, lang: str) -> list[Event]:
    """The events of a parsed document (``(character offset, Doc)`` pieces of its text): rules per
    sentence unit, then mentions of one event merged."""
    lexicon = load_lexicon(lang)
    candidates: list[Candidate] = []
    for offset, doc in pieces:
        entities = DocumentEntities(doc, lexicon)
        rules = SentenceRules(entities, lexicon)
        triggers = list(doc.spans[TRIGGERS]) if TRIGGERS in doc.spans else []
        found_here: list[Candidate] = []
        next_trigger = 0
        for unit in sentence_units(doc):
            while next_trigger < len(triggers) and triggers[next_trigger].start < unit.start:
                next_trigger += 1
            first = next_trigger
            while next_trigger < len(triggers) and triggers[next_trigger].start < unit.end:
                next_trigger += 1
            found = _unit_candidates(unit, triggers[first:next_trigger], rules, found_here)
            for cand in found:
                cand.offset = offset
                if cand.type is EventType.MEETING:
                    entities.note_pair([a for a in cand.actors if a.role is Role.PARTICIPANT])
            found_here.extend(found)
            _note_subjects(unit, entities)
        candidates.extend(found_here)
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
        if not any(root_of(c.trigger).i == root_of(span.root).i for c in found):
            cand = rules.attribution(span[0], unit)
            if cand is not None:
                found.append(cand)
    if not found:
        headline = rules.colon_attribution(unit)
        if headline is not None:
            found.append(headline)
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
    extra = " […] ".join(rules.ents.text[s:e] for s, e in rules.quotes_in(unit))
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
    events: list[Event] = []
    by_identity: dict[tuple, list[Event]] = {}
    for cand in candidates:
        event = _event_of(cand, document, lang)
        key = _identity(event)
        twin = next((e for e in by_identity.get(key, []) if _same_day(e, event)), None) if key is not None else None
        if twin is None:
            events.append(event)
            if key is not None:
                by_identity.setdefault(key, []).append(event)
            continue
        twin.mentions.extend(event.mentions)
        twin.status = event.status if event.mentions[0].start > twin.mentions[0].start else twin.status
        twin.date = twin.date or event.date
        twin.place = twin.place or event.place
        twin.body = twin.body or event.body
        twin.resolution = twin.resolution or event.resolution
        twin.subtype = twin.subtype or event.subtype
        twin.confidence = min(0.99, max(twin.confidence, event.confidence) + 0.05)
    ordered = sorted(events, key=lambda e: e.start)
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
    shift = cand.offset
    units = [cand.unit, *cand.extra_units]
    mentions = [Mention(text=u.text.strip(), start=shift + u.start_char + _lead(u.text), end=shift + u.start_char + len(u.text.rstrip()))
                for u in units]
    first = mentions[0]
    return Event(
        doc=document.id, id="", type=cand.type, status=cand.status, subtype=cand.subtype,
        actors=[_shifted(a, shift) for a in cand.actors], quote=cand.quote, quote_lang=lang if cand.quote else None,
        topic=cand.topic, date=_date_near(cand, document, lang), place=_shifted(cand.place, shift),
        body=_shifted(cand.body, shift), resolution=cand.resolution, sentence=first.text, start=first.start,
        end=first.end, confidence=round(cand.confidence, 3), mentions=mentions,
    )


def _shifted(actor: Actor | None, shift: int) -> Actor | None:
    """The actor with offsets relative to the whole document rather than to its piece."""
    if actor is None or not shift:
        return actor
    return replace(actor, start=None if actor.start is None else actor.start + shift,
                   end=None if actor.end is None else actor.end + shift)


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
