"""Scoring extracted events against gold passages (precision / recall / F1 per event type and language).

Gold files are JSONL in the format of ``../shared/eval/news_dev.jsonl`` (one passage per line with its
``events``). The PETRARCH validation subset (``{"id", "text", "gold": [{"code", ...}]}``) is read as well
and scored at type level only: its actors are CAMEO codes, not names (see docs/evaluation.md).

Matching (one-to-one, greedy, per passage):

- only MEETING, STATEMENT and VOTE_ABSTENTION are scored; VoteFor/VoteAgainst/Veto predictions are
  ignored, neither true nor false positives;
- a prediction and a gold event match when they have the same type and compatible actors: actor names
  are folded (case, accents, punctuation, articles, titles and honorifics dropped, rule R1), two names
  match when every word of the shorter one is close (fuzzy ratio >= 80) to a word of the longer one, or
  one is the initials of the other ("US"/"United States"); the sets are compatible when at least one
  pair matches and at least half of the predicted actors are matched (an incomplete list of abstainers
  is compatible, a meeting with the wrong counterpart is not; a counted group of abstainers, "Dix
  députés", is an alias of the abstainers it covers, R8); among compatible pairs the greedy
  matching takes the best first (matched pairs over the larger set's size, then status agreement);
- STATEMENTs of the same speaker in one passage are merged, in the gold and in the predictions (R3);
- status, date and quote accuracy are counted on matched pairs (the gold ``date_text`` resolved with
  :func:`polkg.extractor.dates.resolve_date` against the passage's publication date; a quote agrees
  when half of the gold quote's words are in the predicted one).
"""

from __future__ import annotations

import datetime as dt
import json
import re
import unicodedata
from functools import lru_cache
from importlib import resources
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from rapidfuzz import fuzz

from polkg.documents import parse_date
from polkg.extractor.dates import resolve_date
from polkg.model import Actor, Document, Event, EventType, Role

SCORED_TYPES = ("MEETING", "STATEMENT", "VOTE_ABSTENTION")
_PREDICTED_TYPE = {
    EventType.MEETING: "MEETING",
    EventType.STATEMENT: "STATEMENT",
    EventType.VOTE_ABSTENTION: "VOTE_ABSTENTION",
}
_ACTOR_ROLES = {
    "MEETING": (Role.PARTICIPANT,),
    "STATEMENT": (Role.SPEAKER,),
    "VOTE_ABSTENTION": (Role.ABSTAINER,),
}
_FUZZY_WORD = 80  # rapidfuzz ratio above which two words of a name are the same word
_CAMEO_TYPES = {"01": "STATEMENT", "04": "MEETING"}


@lru_cache(maxsize=1)
def _name_words() -> tuple[frozenset[str], frozenset[str]]:
    """(words ignored in names, first words of a counted group), all languages, from lexicons/evaluate.json."""
    data = json.loads(resources.files("polkg.extractor").joinpath("lexicons", "evaluate.json").read_text("utf-8"))
    return (frozenset(w for words in data["ignored"].values() for w in words),
            frozenset(w for words in data["count_words"].values() for w in words))


@dataclass
class GoldEvent:
    """One annotated event of a passage."""

    type: str
    actors: list[str]
    status: str | None = None
    date_text: str | None = None
    quote: str | None = None
    addressee: str | None = None


@dataclass
class GoldPassage:
    """An annotated passage; ``actors_scored`` is False for type-level gold (PETRARCH)."""

    id: str
    lang: str
    text: str
    published: str | None
    events: list[GoldEvent]
    actors_scored: bool = True

    def document(self) -> Document:
        """The passage as a Document for the extractor (a month-only ``published`` gives no date)."""
        return Document(id=self.id, text=self.text, lang=self.lang, published=_full_date(self.published))


def read_gold(path: Path) -> list[GoldPassage]:
    """The passages of a gold JSONL file (news_dev format or the PETRARCH subset); a bad line is a ValueError."""
    passages: list[GoldPassage] = []
    seen: set[str] = set()
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            passage = gold_passage(json.loads(line))
        except (ValueError, KeyError, TypeError) as err:
            raise ValueError(f"{path}:{number}: {type(err).__name__}: {err}") from err
        if passage.id in seen:
            raise ValueError(f"{path}:{number}: duplicate passage id {passage.id!r}")
        seen.add(passage.id)
        passages.append(passage)
    return passages


def gold_passage(record: dict[str, Any]) -> GoldPassage:
    """One gold record (either format) as a GoldPassage."""
    if "gold" in record and "events" not in record:
        return _petrarch_passage(record)
    events = []
    for raw in record["events"]:
        if raw["type"] not in SCORED_TYPES:
            raise ValueError(f"unknown event type {raw['type']!r}")
        events.append(GoldEvent(type=raw["type"], actors=list(raw.get("actors") or []), status=raw.get("status"),
                                date_text=raw.get("date_text"), quote=raw.get("quote"),
                                addressee=raw.get("addressee")))
    if record.get("lang") not in ("fr", "en"):
        raise ValueError(f"lang must be fr or en, not {record.get('lang')!r}")
    return GoldPassage(id=str(record["id"]), lang=record["lang"], text=record["text"],
                       published=record.get("published"), events=events)


def _petrarch_passage(record: dict[str, Any]) -> GoldPassage:
    """CAMEO 01x codes give one STATEMENT, 04x one MEETING (all pairs of a record are one event)."""
    types = {_CAMEO_TYPES.get(g["code"][:2]) for g in record["gold"]} - {None}
    events = [GoldEvent(type=t, actors=[]) for t in SCORED_TYPES if t in types]
    return GoldPassage(id=str(record["id"]), lang="en", text=record["text"], published=None, events=events,
                       actors_scored=False)


def _full_date(value: str | None) -> dt.date | None:
    """A full ISO date; partial ("2019-01") or malformed values give None."""
    try:
        return parse_date(value)
    except ValueError:
        return None


# --- names -------------------------------------------------------------------------------------------

def name_words(name: str) -> list[str]:
    """The words a name is compared on: folded, without titles and articles (all words if nothing is left)."""
    text = unicodedata.normalize("NFKD", name.replace("\ufffd", "e"))
    text = "".join(c for c in text if not unicodedata.combining(c)).casefold()
    text = re.sub(r"\b(\w)\.(?=\w\.)", r"\1", text)  # U.S. -> US., U.K. -> UK.
    words = re.findall(r"[^\W_]+", text)
    ignored = _name_words()[0]
    kept = [w for w in words if w not in ignored and not w.isdigit()]
    return kept or words


def names_match(a: str, b: str) -> bool:
    """Whether two mentions name the same actor (see the module's matching rule)."""
    wa, wb = name_words(a), name_words(b)
    if not wa or not wb:
        return False
    short, long_ = sorted((wa, wb), key=len)
    if all(any(fuzz.ratio(s, w) >= _FUZZY_WORD for w in long_) for s in short):
        return True
    return len(short) == 1 and len(long_) > 1 and short[0] == "".join(w[0] for w in long_)


def quote_overlaps(gold: str, predicted: str) -> bool:
    """Lenient quote agreement (R9): at least half of the gold quote's words are in the predicted quote."""
    words = lambda text: set(re.findall(r"[^\W_]+", text.casefold()))  # noqa: E731
    gold_words = words(gold)
    return bool(gold_words) and 2 * len(gold_words & words(predicted)) >= len(gold_words)


def _matched_pairs(gold: Sequence[str], predicted: Sequence[Sequence[str]]) -> int:
    """How many gold names pair one-to-one with predicted actors (each given as its alternative names)."""
    used: set[int] = set()
    count = 0
    for g in gold:
        for i, names in enumerate(predicted):
            if i not in used and any(names_match(g, n) for n in names):
                used.add(i)
                count += 1
                break
    return count


def _actor_names(actor: Actor) -> list[str]:
    return [n for n in (actor.name, actor.text, actor.label) if n]


# --- scoring -----------------------------------------------------------------------------------------

@dataclass
class Counts:
    """True/false positives and negatives, plus status and date agreement on the matched pairs."""

    tp: int = 0
    fp: int = 0
    fn: int = 0
    status_ok: int = 0
    status_n: int = 0
    date_ok: int = 0
    date_n: int = 0
    quote_ok: int = 0
    quote_n: int = 0

    def add(self, other: Counts) -> None:
        for name in self.__dataclass_fields__:
            setattr(self, name, getattr(self, name) + getattr(other, name))

    @property
    def precision(self) -> float | None:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else None

    @property
    def recall(self) -> float | None:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else None

    @property
    def f1(self) -> float | None:
        p, r = self.precision, self.recall
        if p is None or r is None:
            return None
        return 2 * p * r / (p + r) if p + r else 0.0

    @property
    def status_accuracy(self) -> float | None:
        return self.status_ok / self.status_n if self.status_n else None

    @property
    def date_accuracy(self) -> float | None:
        return self.date_ok / self.date_n if self.date_n else None

    @property
    def quote_accuracy(self) -> float | None:
        return self.quote_ok / self.quote_n if self.quote_n else None

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {name: getattr(self, name) for name in self.__dataclass_fields__}
        for name in ("precision", "recall", "f1", "status_accuracy", "date_accuracy", "quote_accuracy"):
            value = getattr(self, name)
            out[name] = round(value, 4) if value is not None else None
        return out


@dataclass
class _Predicted:
    """A predicted event reduced to what is scored (several merged STATEMENTs become one)."""

    type: str
    actors: list[list[str]]
    extra: list[list[str]]  # names that may match a gold actor but do not count when unmatched (a place)
    events: list[Event]

    @property
    def statuses(self) -> set[str]:
        return {e.status.value for e in self.events}

    @property
    def dates(self) -> set[dt.date]:
        return {e.date for e in self.events if e.date}


@dataclass
class PassageResult:
    """What happened to one passage: matched pairs, missed gold events, spurious predictions."""

    id: str
    lang: str
    matched: list[tuple[GoldEvent, list[Event]]] = field(default_factory=list)
    missed: list[GoldEvent] = field(default_factory=list)
    spurious: list[list[Event]] = field(default_factory=list)
    error: str | None = None

    def to_json(self) -> dict[str, Any]:
        def pred(events: list[Event]) -> dict[str, Any]:
            first = events[0]
            return {"type": first.type.value, "status": first.status.value,
                    "actors": sorted({a.name or a.text for e in events for a in e.actors}),
                    "dates": sorted({e.date.isoformat() for e in events if e.date}),
                    "sentences": [e.sentence for e in events]}

        return {
            "id": self.id, "lang": self.lang, "error": self.error,
            "matched": [{"gold": vars(g), "predicted": pred(p)} for g, p in self.matched],
            "missed": [vars(g) for g in self.missed],
            "spurious": [pred(p) for p in self.spurious],
        }


@dataclass
class Report:
    """Counts per (event type, language) and the per-passage results."""

    cells: dict[tuple[str, str], Counts]
    passages: list[PassageResult]

    def total(self, type_: str | None = None, lang: str | None = None) -> Counts:
        """The counts summed over the cells of one type and/or language (all when None)."""
        out = Counts()
        for (t, lg), counts in self.cells.items():
            if type_ in (None, t) and lang in (None, lg):
                out.add(counts)
        return out

    @property
    def langs(self) -> list[str]:
        return sorted({lang for _, lang in self.cells})

    def to_json(self, details: bool = False) -> dict[str, Any]:
        out: dict[str, Any] = {
            "passages": len(self.passages),
            "errors": [{"id": p.id, "error": p.error} for p in self.passages if p.error],
            "by_type": {t: self.total(t).to_json() for t in SCORED_TYPES},
            "by_lang": {lg: self.total(lang=lg).to_json() for lg in self.langs},
            "by_type_lang": {f"{t}/{lg}": self.total(t, lg).to_json() for t in SCORED_TYPES for lg in self.langs},
            "all": self.total().to_json(),
        }
        if details:
            out["details"] = [p.to_json() for p in self.passages]
        return out


def score(gold: Iterable[GoldPassage], predictions: Mapping[str, Sequence[Event] | Exception]) -> Report:
    """Score ``predictions`` (events per passage id; an Exception for a passage the extractor failed on)."""
    cells: dict[tuple[str, str], Counts] = {}
    results = []
    for passage in gold:
        predicted = predictions.get(passage.id, [])
        result = PassageResult(passage.id, passage.lang)
        if isinstance(predicted, Exception):
            result.error = f"{type(predicted).__name__}: {predicted}"
            predicted = []
        _score_passage(passage, list(predicted), result, cells)
        results.append(result)
    return Report(cells, results)


def _score_passage(passage: GoldPassage, events: list[Event], result: PassageResult,
                   cells: dict[tuple[str, str], Counts]) -> None:
    gold = _merge_gold_statements(passage.events) if passage.actors_scored else passage.events
    predicted = _reduce_predictions(events, passage.actors_scored)
    pairs = []
    for gi, g in enumerate(gold):
        for pi, p in enumerate(predicted):
            quality = _compatibility(g, p, passage.actors_scored)
            if quality is not None:
                pairs.append((quality + (0.01 if g.status in p.statuses else 0.0), gi, pi))
    used_gold: set[int] = set()
    used_pred: set[int] = set()
    published = _full_date(passage.published)
    for _, gi, pi in sorted(pairs, key=lambda t: (-t[0], t[1], t[2])):
        if gi in used_gold or pi in used_pred:
            continue
        used_gold.add(gi)
        used_pred.add(pi)
        g, p = gold[gi], predicted[pi]
        cell = cells.setdefault((g.type, passage.lang), Counts())
        cell.tp += 1
        if g.status:
            cell.status_n += 1
            cell.status_ok += g.status in p.statuses
        gold_date = (resolve_date(g.date_text, published, passage.lang, future=g.status == "planned")
                     if g.date_text else None)
        if gold_date:
            cell.date_n += 1
            cell.date_ok += gold_date in p.dates
        if g.quote:
            cell.quote_n += 1
            cell.quote_ok += any(quote_overlaps(g.quote, e.quote) for e in p.events if e.quote)
        result.matched.append((g, p.events))
    for gi, g in enumerate(gold):
        if gi not in used_gold:
            cells.setdefault((g.type, passage.lang), Counts()).fn += 1
            result.missed.append(g)
    for pi, p in enumerate(predicted):
        if pi not in used_pred:
            cells.setdefault((p.type, passage.lang), Counts()).fp += 1
            result.spurious.append(p.events)


def _compatibility(gold: GoldEvent, pred: _Predicted, actors_scored: bool) -> float | None:
    """How well the actor sets agree (0..1], None when they are not compatible or the types differ."""
    if gold.type != pred.type:
        return None
    if not actors_scored or not gold.actors:
        return 1.0
    if gold.type == "VOTE_ABSTENTION" and any(_is_count(n) for names in pred.actors for n in names):
        return 0.5
    matched = _matched_pairs(gold.actors, pred.actors + pred.extra)
    if matched == 0 or 2 * matched < len(pred.actors):
        return None
    return min(matched / max(len(gold.actors), len(pred.actors)), 1.0)


def _is_count(name: str) -> bool:
    """Whether a mention is a counted group ("Dix députés", "29 Liberals")."""
    first = name.split(maxsplit=1)[0].casefold() if name.strip() else ""
    return first.isdigit() or first in _name_words()[1]


def _merge_gold_statements(events: list[GoldEvent]) -> list[GoldEvent]:
    """Same-speaker STATEMENTs of one passage as one event (the first one's fields; statuses are all happened)."""
    out: list[GoldEvent] = []
    for event in events:
        if event.type == "STATEMENT":
            same = next((o for o in out if o.type == "STATEMENT" and _same_names(o.actors, event.actors)), None)
            if same is not None:
                same.date_text = same.date_text or event.date_text
                same.quote = same.quote or event.quote
                continue
        out.append(GoldEvent(**vars(event)))
    return out


def _same_names(a: Sequence[str], b: Sequence[str]) -> bool:
    return len(a) == len(b) and _matched_pairs(a, [[n] for n in b]) == len(a)


def _reduce_predictions(events: list[Event], actors_scored: bool) -> list[_Predicted]:
    """Scored predictions: other types dropped, same-speaker STATEMENTs merged (all of one type at type level)."""
    out: list[_Predicted] = []
    for event in events:
        type_ = _PREDICTED_TYPE.get(event.type)
        if type_ is None:
            continue
        actors = [_actor_names(a) for a in event.actors_in(*_ACTOR_ROLES[type_])]
        extra = [_actor_names(event.place)] if event.place and type_ == "MEETING" else []
        merge_into = None
        if not actors_scored:
            merge_into = next((o for o in out if o.type == type_), None)
        elif type_ == "STATEMENT" and actors:
            speakers = [names[0] for names in actors]
            merge_into = next((o for o in out if o.type == type_
                               and _same_names([n[0] for n in o.actors], speakers)), None)
        if merge_into is not None:
            merge_into.events.append(event)
        else:
            out.append(_Predicted(type_, actors, extra, [event]))
    return out
