"""The linker: actors, places and bodies of events → Wikidata entities (or NIL)."""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import re
import sqlite3
import tempfile
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING

from rapidfuzz.fuzz import ratio

from polkg.linker.index import ALIAS, FORMAT, FUZZY, LABEL, STRENGTH, SURNAME, Entry, Index
from polkg.linker.names import fold, has_title, spelling, strip_mention, surnames
from polkg.linker.roles import Cue, context_reader
from polkg.linker.sources import GazetteerError
from polkg.model import Actor, Document, Event, Kind

if TYPE_CHECKING:
    from polkg.linker.online import OnlineBackend

CURATED_TABLE = "curated.jsonl.gz"
BUILD_INPUTS = (CURATED_TABLE, "aliases.tsv", "titles.json", "transliteration.json", "positions.json",
                "name_order.json")
ENV_VAR = "POLKG_GAZETTEER"

# How well an entity type fits a mention kind (absent: not a candidate). Places prefer the larger unit.
TYPE_FIT: dict[Kind | None, dict[str, float]] = {
    Kind.PERSON: {"human": 1.0},
    Kind.COUNTRY: {"country": 1.0, "territory": 1.0, "city": 0.85},
    Kind.PLACE: {"country": 1.0, "territory": 1.0, "city": 0.95},
    Kind.ORGANIZATION: {"international_organization": 1.0, "government_body": 1.0, "party": 1.0, "country": 0.8},
    None: {"human": 1.0, "country": 1.0, "territory": 1.0, "international_organization": 1.0, "party": 1.0,
           "government_body": 0.9, "city": 0.9},
}
FUZZY_FACTOR = 0.8
OTHER_LANGUAGE = 0.88
W_CONTEXT, W_PRIOR = 0.4, 0.25
THRESHOLD = 0.7
MARGIN = 0.08
MIN_FUZZY = 5  # letters a mention needs before spelling keys are used ('Hu' is not 'Hou')
STALE = 0.25  # a surname alone, no supporting context, for someone out of office for years
STALE_YEARS = 5
ROLE_MISMATCH = 0.3  # a surname alone whose context names a role (not just "minister") the person never held


@dataclass(frozen=True)
class Candidate:
    """A scored entity for a mention."""

    qid: str
    type: str
    labels: dict[str, str] = field(default_factory=dict)
    score: float = 0.0
    description: str | None = None

    def label(self, lang: str | None) -> str | None:
        """The label in ``lang``, else English, else any."""
        return self.labels.get(lang or "") or self.labels.get("en") or next(iter(self.labels.values()), None)


def shipped_index() -> Path:
    """The default index: built from the shipped curated table at first use, then kept in the cache.

    The cache file's name carries a digest of the table and of the data files the builder reads, so
    a new polkg version rebuilds it. The cache is ``$POLKG_CACHE``, else ``~/.cache/polkg``.
    """
    from polkg.linker.build import build_index

    data = resources.files("polkg.linker").joinpath("data")
    digest = hashlib.sha256(FORMAT.encode())
    for name in BUILD_INPUTS:
        digest.update(data.joinpath(name).read_bytes())
    name = f"gazetteer-{digest.hexdigest()[:16]}.sqlite"
    caches = [Path(os.environ.get("POLKG_CACHE") or Path.home() / ".cache" / "polkg"),
              Path(tempfile.gettempdir()) / f"polkg-{os.getuid()}"]
    for cache in caches:
        if (cache / name).is_file():
            return cache / name
    with resources.as_file(data.joinpath(CURATED_TABLE)) as table:
        for cache in caches:
            try:
                build_index([table], cache / name)
            except (OSError, sqlite3.Error):
                continue  # not writable: try the next place
            for old in cache.glob("gazetteer-*.sqlite"):
                if old.name != name:
                    old.unlink(missing_ok=True)  # built by an earlier polkg version
            return cache / name
    raise GazetteerError(f"{caches[0] / name}: cannot build the default gazetteer index (no writable cache)")


class Linker:
    """Resolves mentions against an offline index and, when allowed, the Wikidata API."""

    def __init__(self, index: Index, online: OnlineBackend | None = None) -> None:
        self.index = index
        self.online = online
        self._resolve = lru_cache(maxsize=100000)(self._resolve_uncached)
        self._cue = lru_cache(maxsize=20000)(self._read_cue)

    @classmethod
    def open(cls, path: Path | None = None, online: bool = False, **online_options) -> Linker:
        """Open ``path``, else ``$POLKG_GAZETTEER``, else the shipped index; ``online`` adds the Wikidata API."""
        chosen = Path(path) if path else Path(os.environ[ENV_VAR]) if os.environ.get(ENV_VAR) else shipped_index()
        index = Index(chosen)
        backend = None
        if online:
            from polkg.linker.online import OnlineBackend

            backend = OnlineBackend(index, **online_options)
        return cls(index, backend)

    # ---- one mention -------------------------------------------------------------------------

    def resolve(self, name: str, kind: Kind | None = None, context: str | None = None,
                date: dt.date | None = None, lang: str = "fr", country: str | None = None) -> Candidate | None:
        """The entity ``name`` refers to, or None (NIL) when nothing scores well enough.

        ``context``: role words near the mention; ``country``: the country the mention is tied to, as a QID,
        an ISO 3166 code ("IL", as the extractor gives it) or a name.
        """
        if kind == Kind.GROUP or not name or not name.strip():
            return None
        return self._resolve(name, kind, context, date, lang, country)

    def _resolve_uncached(self, name: str, kind: Kind | None, context: str | None, date: dt.date | None,
                          lang: str, country: str | None) -> Candidate | None:
        ranked = self.candidates(name, kind, context, date, lang, country)
        if not ranked:
            return None
        best = ranked[0]
        if best.score < THRESHOLD:
            return None
        if len(ranked) > 1 and best.score - ranked[1].score < MARGIN:
            return None
        return best

    def candidates(self, name: str, kind: Kind | None = None, context: str | None = None,
                   date: dt.date | None = None, lang: str = "fr", country: str | None = None) -> list[Candidate]:
        """Every entity ``name`` may refer to, best first, with its score."""
        fits = TYPE_FIT.get(kind, TYPE_FIT[None])
        key, title_roles = strip_mention(fold(name), lang)
        if not key:
            return []
        strengths = self._name_strengths(key, lang)
        if not strengths and kind == Kind.COUNTRY and (country_name := context_reader(lang).country_of(key)):
            countries = self._countries(country_name.split(), lang, whole=True)
            strengths = {qid: (None, STRENGTH[ALIAS]) for qid in countries}
        if self.online:
            for entry, strength in self.online.candidates(name, key, lang):
                if strength > strengths.get(entry.qid, (None, 0.0))[1]:
                    strengths[entry.qid] = (entry, strength)
        if not strengths:
            return []
        cue = self._cue(context, lang, country)
        cue = Cue(cue.categories + tuple(r for r in title_roles if r not in cue.categories), cue.hints, cue.countries)
        scored = []
        for qid, (entry, strength) in strengths.items():
            entry = entry or self.index.entry(qid)
            if entry is None or entry.type not in fits:
                continue
            fit = fits[entry.type]
            support = _support(entry, cue, date) if entry.type == "human" else 0.0
            score = strength * fit + W_CONTEXT * support + W_PRIOR * entry.prior
            if strength <= STRENGTH[SURNAME] and entry.type == "human":
                if support == 0.0 and _out_of_office(entry, date):
                    score -= STALE
                if _lacks_role(entry, cue):
                    score -= ROLE_MISMATCH
            scored.append(Candidate(qid, entry.type, entry.labels, round(score, 4), entry.description))
        scored.sort(key=lambda c: (-c.score, c.qid))
        return scored

    def _name_strengths(self, key: str, lang: str) -> dict[str, tuple[Entry | None, float]]:
        """QID → how strongly the folded ``key`` names it (exact beats spelling key; surnames are weak)."""
        single = len(key.split()) == 1
        found: dict[str, tuple[Entry | None, float]] = {}
        keys = [key, FUZZY + spelling().key(key)] if len(key.replace(" ", "")) >= MIN_FUZZY else [key]
        rows = sorted(self.index.lookup(keys), key=lambda row: row[0].startswith(FUZZY))  # exact keys first
        for row_key, qid, how, row_lang, entry in rows:
            if how == SURNAME and not single and len(row_key.lstrip(FUZZY).split()) < 2:
                continue
            strength = STRENGTH[how]
            if how == LABEL and row_lang != lang:
                strength *= OTHER_LANGUAGE
            if row_key.startswith(FUZZY):
                if found.get(qid, (None, 0.0))[1] >= strength:
                    continue  # an exact key already did better
                strength *= _spelling_factor(key, entry, how)
            if strength > found.get(qid, (None, 0.0))[1]:
                found[qid] = (entry, strength)
        return found

    def _read_cue(self, context: str | None, lang: str, country: str | None) -> Cue:
        """Roles and country QIDs named by the context (demonyms, country names) and the country hint."""
        cue = context_reader(lang).read(context)
        qids: list[str] = []
        if country and re.fullmatch(r"Q\d+", country):
            qids.append(country)
        elif country and re.fullmatch(r"[A-Za-z]{2,3}", country):  # an ISO 3166 code, as the extractor gives
            qids += [qid] if (qid := self.index.country_of_code(country)) else []
        elif country:
            qids += self._countries(fold(country).split(), lang)
        for folded in cue.countries:
            qids += self._countries(folded.split(), lang, whole=True)
        qids += self._countries(cue.rest.split(), lang)
        return Cue(cue.categories, cue.hints, tuple(dict.fromkeys(qids)))

    def _countries(self, tokens: list[str], lang: str, whole: bool = False) -> list[str]:
        """QIDs of countries named in ``tokens`` (any 1-3 word span, or the whole when ``whole``)."""
        spans = [" ".join(tokens)] if whole else [
            " ".join(tokens[i:i + n]) for n in (3, 2, 1) for i in range(len(tokens) - n + 1)
        ]
        found = []
        for _, qid, how, _, entry in self.index.lookup(spans) if spans else []:
            if how != SURNAME and entry.type in ("country", "territory"):
                found.append(qid)
        return found

    # ---- positions -------------------------------------------------------------------------

    def position(self, words: str, lang: str = "fr", date: dt.date | None = None, holder: str | None = None,
                 country: str | None = None) -> Candidate | None:
        """The position role words name ('ministre israélien de la défense' → Minister of Defence of Israel).

        The holder's own positions come first (the office they held at ``date``), then the positions of the
        role category in the countries named; NIL when the words name no role or no country narrows it.
        """
        cue = self._cue(words, lang, country)
        if not cue.categories:
            return None
        category = cue.categories[0]
        person = self.index.entry(holder) if holder else None
        if person:
            held = [p for p in person.positions if category in p.categories and p.qid
                    and (not cue.countries or p.country in cue.countries)]
            held.sort(key=lambda p: (not (date and p.held_on(date)), not _hinted(p.label, cue), p.qid))
            if held:
                return self._position_candidate(held[0].qid)
        countries = list(cue.countries) or ([c for c in person.countries] if person else [])
        options = [row for c in countries for row in self.index.positions(category, c)]
        if not options and cue.hints:
            options = self.index.positions(category, None)
        options = [o for o in options if _hinted(o[1], cue)] or options
        return self._position_candidate(options[0][0]) if options else None

    def _position_candidate(self, qid: str) -> Candidate | None:
        entry = self.index.entry(qid)
        return Candidate(qid, entry.type, entry.labels, 1.0, entry.description) if entry else None

    # ---- a document's events -----------------------------------------------------------------

    def link(self, events: list[Event], doc: Document) -> None:
        """Fill ``qid``/``label``/``labels`` of the events' actors, places and bodies (groups stay unlinked).

        Full names are resolved first; a surname alone then takes the entity a fuller name of the same
        document was linked to ("M. Gallant" after "Yoav Gallant").
        """
        lang = doc.lang or "fr"
        mentions = [(a, e.date or doc.published) for e in events for a in [*e.actors, e.place, e.body]
                    if a is not None and a.kind != Kind.GROUP]
        by_surname: dict[str, Candidate] = {}
        later = []
        for actor, date in mentions:
            name = _mention_name(actor, lang)
            if _kind(actor, lang) == Kind.PERSON and len(name.split()) < 2:
                later.append((actor, date))
                continue
            found = self.resolve(actor.name or actor.text, _kind(actor, lang), actor.context, date, lang, actor.country)
            _fill(actor, found, lang)
            if found and found.type == "human":
                for tail in surnames(name, lang):
                    by_surname.setdefault(tail, found)
        for actor, date in later:
            name = _mention_name(actor, lang)
            found = by_surname.get(name) or self.resolve(actor.name or actor.text, Kind.PERSON, actor.context,
                                                         date, lang, actor.country)
            _fill(actor, found, lang)

    def close(self) -> None:
        self.index.close()
        if self.online:
            self.online.close()


def _kind(actor: Actor, lang: str) -> Kind:
    """The actor's kind, or person when the mention starts with a person's title ('PM Modi' read as ORG)."""
    if actor.kind in (Kind.ORGANIZATION, Kind.PLACE, Kind.COUNTRY) and has_title(fold(actor.text), lang):
        return Kind.PERSON
    return actor.kind


def _mention_name(actor: Actor, lang: str) -> str:
    return strip_mention(fold(actor.name or actor.text), lang)[0]


def _fill(actor: Actor, found: Candidate | None, lang: str) -> None:
    if found is None:
        return
    actor.qid = found.qid
    actor.label = found.label(lang)
    actor.labels = dict(found.labels)


def _hinted(label: str | None, cue: Cue) -> bool:
    return any(re.search(h, label or "", re.I) for h in cue.hints)


def _spelling_factor(key: str, entry: Entry, how: int) -> float:
    """Discount of a spelling-key match, by how close the spellings are (Gallant/Galant: small)."""
    names = [fold(label) for label in entry.labels.values()]
    if how == SURNAME:
        names = [tail for name in names for tail in surnames(name)]
    closest = max((ratio(key, name) for name in names), default=0.0) / 100
    return FUZZY_FACTOR + (1 - FUZZY_FACTOR) * closest


def _lacks_role(entry: Entry, cue: Cue) -> bool:
    """Whether the context names a specific role and none of the person's positions has it."""
    wanted = set(cue.categories) - {"minister"}
    return bool(wanted) and not any(wanted & set(p.categories) for p in entry.positions)


def _out_of_office(entry: Entry, date: dt.date | None) -> bool:
    """Whether every dated position of a person ended more than STALE_YEARS before ``date``."""
    if date is None or not entry.positions:
        return False
    limit = date - dt.timedelta(days=365 * STALE_YEARS)
    return all(p.end is not None and p.end < limit for p in entry.positions)


def _support(entry: Entry, cue: Cue, date: dt.date | None) -> float:
    """How well a person's positions fit the context's roles, countries and the date (0..1)."""
    best = 0.0
    for held in entry.positions:
        role = bool(cue.categories and set(held.categories) & set(cue.categories))
        place = bool(cue.countries and held.country in cue.countries)
        value = 0.5 * role + 0.4 * place
        if value and date and held.held_on(date):
            value += 0.2
        elif not cue.categories and not cue.countries and date and held.held_on(date):
            value = 0.3
        best = max(best, value)
    if best == 0.0 and cue.countries and set(entry.countries) & set(cue.countries):
        best = 0.4
    return best
