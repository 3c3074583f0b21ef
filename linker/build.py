"""Building a gazetteer index from records (JSON Lines, Wikidata dump, SPARQL results)."""

from __future__ import annotations

import csv
import json
import math
import os
import sqlite3
import uuid
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

from polkg.linker.index import ALIAS, FORMAT, FUZZY, LABEL, PREFERRED, SCHEMA, SHORT, STRENGTH, SURNAME
from polkg.linker.names import fold, load_data, short_names, spelling, surnames
from polkg.linker.roles import classifier
from polkg.linker.sources import GazetteerError, Skipped, read_source
from polkg.linker.wikidata import LANGS

LEADERS = ("head_of_state", "head_of_government")
TOP_CATEGORIES = LEADERS + ("foreign_minister", "defence_minister", "national_security_advisor", "secretary_general")
HOW = {"label": LABEL, "alias": ALIAS, "preferred": PREFERRED}


@dataclass
class BuildReport:
    """What a build read and wrote."""

    entities: int = 0
    names: int = 0
    skipped: list[Skipped] = field(default_factory=list)


def merge(records: Iterable[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """Records by QID; a later record of the same QID fills the gaps of the first."""
    merged: dict[str, dict[str, Any]] = {}
    for record in records:
        qid = record.get("qid")
        if not qid:
            continue
        first = merged.setdefault(qid, record)
        if first is record:
            continue
        for lang in LANGS:
            first.setdefault("labels", {}).setdefault(lang, None)
            first["labels"][lang] = first["labels"][lang] or (record.get("labels") or {}).get(lang)
            extra = (record.get("aliases") or {}).get(lang) or []
            first.setdefault("aliases", {}).setdefault(lang, [])
            first["aliases"][lang] = list(dict.fromkeys(first["aliases"][lang] + extra))
        first["positions"] = (first.get("positions") or []) + (record.get("positions") or [])
        for key, value in record.items():
            if first.get(key) in (None, [], {}):
                first[key] = value
    return merged


def curated_aliases() -> list[tuple[str, str, str, str]]:
    """(qid, lang, how, name) rows of ``linker/data/aliases.tsv``."""
    text = resources.files("polkg.linker").joinpath("data", "aliases.tsv").read_text("utf-8")
    rows = csv.reader((line for line in text.splitlines() if line and not line.startswith("#")), delimiter="\t")
    return [(qid, lang, how, name) for qid, lang, how, name, *_ in rows]


def _prior(record: dict[str, Any], positions: list[list], holders: Counter) -> float:
    kind = record["type"]
    if kind == "human":
        categories = {c for *_, cats in positions for c in cats}
        leader = bool(categories & set(LEADERS))
        top = bool(categories & set(TOP_CATEGORIES))
        return min(1.0, 0.1 * min(3, len({p[0] or p[1] for p in positions})) + 0.4 * leader + 0.3 * top)
    if kind == "country":
        return 1.0 if record.get("un_member", True) else 0.8
    if kind == "territory":
        return 0.7
    if kind == "city":
        size = math.log10(max(0, record.get("population") or 0) + 1) / 7
        return round(min(1.0, 0.8 * size + (0.2 if record.get("capital_of") else 0.0)), 4)
    if kind == "international_organization":
        return 0.7
    if kind == "position":
        return min(1.0, 0.1 * holders[record["qid"]])
    return 0.4


def country_codes(records: list[dict[str, Any]]) -> dict[str, str]:
    """ISO 3166 alpha-2/alpha-3 code → QID; a sovereign country wins over a territory sharing its code."""
    ranked = sorted((r for r in records if r.get("type") in ("country", "territory")),
                    key=lambda r: (r["type"] != "country", int(r["qid"][1:])))
    codes: dict[str, str] = {}
    for record in ranked:
        for field_name in ("iso_a2", "iso_a3"):
            code = (record.get(field_name) or "").upper()
            if code.isalpha() and len(code) in (2, 3):
                codes.setdefault(code, record["qid"])
    return codes


def family_name_first(records: dict[str, dict[str, Any]]) -> set[str]:
    """QIDs of the countries of ``name_order.json`` among ``records`` (matched on English labels)."""
    wanted = {fold(name) for name in load_data("name_order.json")["family_name_first"]}
    return {q for q, r in records.items() if r.get("type") in ("country", "territory")
            and fold((r.get("labels") or {}).get("en") or "") in wanted}


def _names(record: dict[str, Any], family_first: bool = False) -> dict[tuple[str, str], tuple[int, str]]:
    """(key, qid) → (how, lang): labels, aliases, surnames of people and their spelling keys.

    ``family_first``: the person's name starts with the family name, which is then a surname too.
    """
    qid = record["qid"]
    found: dict[tuple[str, str], tuple[int, str]] = {}

    def add(key: str, how: int, lang: str) -> None:
        old = found.get((key, qid))
        if key.strip(FUZZY) and (old is None or STRENGTH[how] > STRENGTH[old[0]]):
            found[(key, qid)] = (how, lang)

    keyer = spelling()
    for lang in LANGS:
        texts = [(LABEL, (record.get("labels") or {}).get(lang))] + [
            (ALIAS, a) for a in (record.get("aliases") or {}).get(lang) or []
        ] + [(h, name) for h, name in record.get("_curated", {}).get(lang, [])]
        for how, text in texts:
            if not text:
                continue
            key = fold(text)
            add(key, how, lang)
            add(FUZZY + keyer.key(key), how, lang)
            if record["type"] == "human":
                tails = surnames(key, lang)
                if family_first and 2 <= len(key.split()) <= 3:
                    tails.append(key.split()[0])
                for tail in tails:
                    add(tail, SURNAME, lang)
                    add(FUZZY + keyer.key(tail), SURNAME, lang)
                for short in short_names(key, lang):
                    add(short, SHORT, lang)
                    add(FUZZY + keyer.key(short), SHORT, lang)
    return found


def entity_row(record: dict[str, Any], position_info: dict[str, dict[str, Any]], holders: Counter) -> tuple:
    """The entity-table row of a record; positions get their label/country from ``position_info``."""
    classify = classifier().categories
    positions = []
    for held in record.get("positions") or []:
        pqid = held.get("position_qid")
        info = position_info.get(pqid) or {}
        label = held.get("label") or (info.get("labels") or {}).get("en")
        country = info.get("country_qid") or held.get("country_qid")
        positions.append([pqid, label, held.get("start"), held.get("end"), country, list(classify(label))])
    countries = sorted({c for c in [record.get("country_qid")] + [p[4] for p in positions] if c})
    labels = record.get("labels") or {}
    description = (record.get("description") or {}).get("en")
    return (record["qid"], record["type"], labels.get("en"), labels.get("fr"), description,
            " ".join(countries), _prior(record, positions, holders),
            json.dumps(positions, ensure_ascii=False) if positions else None)


def build_index(sources: list[Path], output: Path) -> BuildReport:
    """Read ``sources`` (JSON Lines / Wikidata dump, plain/.gz/.bz2) and write the index to ``output``.

    The file is written next to ``output`` and moved into place at the end, so a failed build
    leaves any previous index untouched.
    """
    report = BuildReport()
    records = merge(r for path in sources for r in read_source(Path(path), report.skipped))
    if not records:
        raise GazetteerError(f"{', '.join(map(str, sources))}: no entity found")
    return write_index(records, output, [Path(p).name for p in sources], report)


def write_index(records: dict[str, dict[str, Any]], output: Path, source_names: list[str],
                report: BuildReport | None = None) -> BuildReport:
    """Write merged ``records`` (by QID) as an index file at ``output``."""
    report = report or BuildReport()
    for qid, lang, how, name in curated_aliases():
        if qid in records:
            records[qid].setdefault("_curated", {}).setdefault(lang, []).append((HOW[how], name))
            if how == "label" and not (records[qid].get("labels") or {}).get(lang):
                records[qid].setdefault("labels", {})[lang] = name
    position_info = {q: r for q, r in records.items() if r.get("type") == "position"}
    holders: Counter = Counter()
    entity_rows, name_rows, position_rows = [], {}, {}
    sorted_records = [records[q] for q in sorted(records)]
    for record in sorted_records:
        for held in record.get("positions") or []:
            holders[held.get("position_qid")] += 1
    codes = country_codes(sorted_records)
    family_first = family_name_first(records)
    for record in sorted_records:
        row = entity_row(record, position_info, holders)
        entity_rows.append(row)
        name_rows.update(_names(record, record["type"] == "human" and bool(family_first & set(row[5].split()))))
        if record["type"] == "position":
            label = (record.get("labels") or {}).get("en")
            for category in classifier().categories(label):
                row_key = (category, record.get("country_qid") or "", record["qid"])
                position_rows[row_key] = (label, holders[record["qid"]])
    output.parent.mkdir(parents=True, exist_ok=True)
    tmp = output.with_name(f".{output.name}.{os.getpid()}.{uuid.uuid4().hex[:8]}.tmp")  # concurrent builds
    db = sqlite3.connect(tmp)
    try:
        db.executescript(SCHEMA)
        db.executemany("INSERT INTO entity VALUES (?, ?, ?, ?, ?, ?, ?, ?)", entity_rows)
        db.executemany("INSERT INTO name VALUES (?, ?, ?, ?)",
                       ((k, q, how, lang) for (k, q), (how, lang) in sorted(name_rows.items())))
        db.executemany("INSERT INTO code VALUES (?, ?)", sorted(codes.items()))
        db.executemany("INSERT INTO position VALUES (?, ?, ?, ?, ?)",
                       (k + v for k, v in sorted(position_rows.items())))
        meta = {"format": FORMAT, "entities": str(len(entity_rows)), "names": str(len(name_rows)),
                "sources": json.dumps(source_names)}
        db.executemany("INSERT INTO meta VALUES (?, ?)", sorted(meta.items()))
        db.commit()
        db.execute("VACUUM")
        db.close()
        tmp.replace(output)
    finally:
        db.close()
        tmp.unlink(missing_ok=True)
    report.entities, report.names = len(entity_rows), len(name_rows)
    return report
