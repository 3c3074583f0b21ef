"""The gazetteer index: one SQLite file with an entity table and a name table indexed by key.

Opening it reads only the metadata (well under a second even for the full shared gazetteer);
lookups are indexed queries, entities are cached as they are read.
"""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
import threading
from dataclasses import dataclass
from pathlib import Path

from polkg.linker.sources import GazetteerError

FORMAT = "polkg-gazetteer/2"
LABEL, ALIAS, SURNAME, PREFERRED, SHORT = 0, 1, 2, 3, 4
STRENGTH = {PREFERRED: 1.1, LABEL: 1.0, ALIAS: 0.92, SHORT: 0.85, SURNAME: 0.6}
FUZZY = "~"

CACHE_SIZE = 100_000
ENTITY_COLUMNS = "e.qid, e.type, e.label_en, e.label_fr, e.description, e.countries, e.prior, e.positions"
SCHEMA = """
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;
CREATE TABLE entity (
    qid TEXT PRIMARY KEY, type TEXT NOT NULL, label_en TEXT, label_fr TEXT, description TEXT,
    countries TEXT NOT NULL, prior REAL NOT NULL, positions TEXT
) WITHOUT ROWID;
CREATE TABLE name (
    key TEXT NOT NULL, qid TEXT NOT NULL, how INTEGER NOT NULL, lang TEXT NOT NULL,
    PRIMARY KEY (key, qid)
) WITHOUT ROWID;
CREATE TABLE code (code TEXT PRIMARY KEY, qid TEXT NOT NULL) WITHOUT ROWID;
CREATE TABLE position (
    category TEXT NOT NULL, country TEXT NOT NULL, qid TEXT NOT NULL, label TEXT, holders INTEGER NOT NULL,
    PRIMARY KEY (category, country, qid)
) WITHOUT ROWID;
"""


def parse_date(value: str | None) -> dt.date | None:
    """An ISO date, month or bare year ('2020-05', '2017') as the first day it can mean."""
    if not value:
        return None
    parts = (value.split("-") + ["01", "01"])[:3]
    try:
        return dt.date(int(parts[0]), int(parts[1]), int(parts[2]))
    except ValueError:
        return None


@dataclass(frozen=True)
class Held:
    """A position a person held: its QID (may be unknown), label, dates, country and role categories."""

    qid: str | None
    label: str | None
    start: dt.date | None
    end: dt.date | None
    country: str | None
    categories: tuple[str, ...]

    def held_on(self, day: dt.date) -> bool:
        """Whether the position was held on ``day`` (an open end counts as still held)."""
        return (self.start is None or self.start <= day) and (self.end is None or day <= self.end)


@dataclass(frozen=True)
class Entry:
    """An indexed entity."""

    qid: str
    type: str
    labels: dict[str, str]
    description: str | None
    countries: tuple[str, ...]
    prior: float
    positions: tuple[Held, ...]


def held_from_json(rows: list[list]) -> tuple[Held, ...]:
    return tuple(Held(q, lab, parse_date(s), parse_date(e), c, tuple(cats)) for q, lab, s, e, c, cats in rows)


def entry_from_row(row: tuple) -> Entry:
    """An :class:`Entry` from a row of the entity table."""
    qid, kind, en, fr, description, countries, prior, positions = row
    labels = {lang: text for lang, text in (("fr", fr), ("en", en)) if text}
    return Entry(qid, kind, labels, description, tuple(countries.split()), prior,
                 held_from_json(json.loads(positions)) if positions else ())


class Index:
    """A read-only gazetteer index file."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        if not self.path.is_file():
            raise GazetteerError(f"{self.path}: gazetteer index not found (build one with `polkg gazetteer build`)")
        try:
            self._db = sqlite3.connect(f"file:{self.path}?mode=ro&immutable=1", uri=True, check_same_thread=False)
            meta = dict(self._db.execute("SELECT key, value FROM meta"))
        except sqlite3.DatabaseError as err:
            raise GazetteerError(f"{self.path}: not a polkg gazetteer index ({err})") from err
        if meta.get("format") != FORMAT:
            raise GazetteerError(f"{self.path}: unknown index format {meta.get('format')!r}, expected {FORMAT!r}")
        self.meta = meta
        self._lock = threading.Lock()  # one connection, shared by the threads of a server
        self._entries: dict[str, Entry | None] = {}

    def __len__(self) -> int:
        return int(self.meta["entities"])

    def lookup(self, keys: list[str]) -> list[tuple[str, str, int, str, Entry]]:
        """(key, qid, how, lang, entity) rows for the given name keys: one query, entities included."""
        marks = ",".join("?" * len(keys))
        with self._lock:
            rows = self._db.execute(
                f"SELECT n.key, n.qid, n.how, n.lang, {ENTITY_COLUMNS} FROM name n JOIN entity e ON e.qid = n.qid "
                f"WHERE n.key IN ({marks})", keys).fetchall()
        return [(*row[:4], self._remember(row[1], lambda row=row: entry_from_row(row[4:]))) for row in rows]

    def entry(self, qid: str) -> Entry | None:
        """The entity ``qid``, or None when the index does not have it."""
        if qid in self._entries:
            return self._entries[qid]
        with self._lock:
            row = self._db.execute(f"SELECT {ENTITY_COLUMNS} FROM entity e WHERE e.qid = ?", (qid,)).fetchone()
        return self._remember(qid, lambda: None if row is None else entry_from_row(row))

    def _remember(self, qid: str, make) -> Entry | None:
        """The cached entity, decoded by ``make()`` the first time (the cache is emptied when it grows large)."""
        if qid not in self._entries:
            if len(self._entries) >= CACHE_SIZE:
                self._entries.clear()
            self._entries[qid] = make()
        return self._entries[qid]

    def country_of_code(self, code: str) -> str | None:
        """The QID of the country whose ISO 3166 code (alpha-2 or alpha-3) is ``code``."""
        with self._lock:
            row = self._db.execute("SELECT qid FROM code WHERE code = ?", (code.upper(),)).fetchone()
        return row[0] if row else None

    def positions(self, category: str, country: str | None) -> list[tuple[str, str, int]]:
        """(qid, label, holders) of the positions of a role category, in ``country`` or anywhere."""
        sql = "SELECT qid, label, holders FROM position WHERE category = ?"
        args: tuple = (category,)
        if country:
            sql, args = sql + " AND country = ?", (category, country)
        with self._lock:
            return self._db.execute(sql + " ORDER BY holders DESC, qid", args).fetchall()

    def dump(self) -> dict[str, list[tuple]]:
        """Every table's rows in key order (to compare two builds)."""
        order = {"meta": "1", "entity": "1", "name": "1, 2", "code": "1", "position": "1, 2, 3"}
        return {t: self._db.execute(f"SELECT * FROM {t} ORDER BY {o}").fetchall() for t, o in order.items()}

    def close(self) -> None:
        self._db.close()
