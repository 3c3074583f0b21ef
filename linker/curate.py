"""The curated table behind the shipped default index, selected from ``../shared/wikidata``.

``python -m polkg.linker.curate [SHARED_WIKIDATA_DIR]`` rewrites ``linker/data/curated.jsonl.gz`` (each row
keeps its ``source`` and gets ``curated_from``); the default index is built from it by polkg's own
builder at first use (see :func:`polkg.linker.linker.shipped_index`).

Selection: every country, territory and international organisation; capitals and cities over a million
people; people who held a head of state/government, foreign or defence minister, national security or
international post ending in 2010 or later, or sat in a 2022 cabinet (their positions since 2000); the
entities the seed's expected links name; the positions of a top role category those people held.
"""

from __future__ import annotations

import gzip
import json
import sys
from pathlib import Path
from typing import Any

from polkg.linker.build import TOP_CATEGORIES
from polkg.linker.linker import shipped_index
from polkg.linker.roles import classifier

DATA = Path(__file__).resolve().parent / "data"
TABLE = DATA / "curated.jsonl.gz"
CORE_ROLES = {"head_of_state_or_government", "foreign_minister", "defence_minister", "national_security_advisor",
              "international_post"}
KEEP = ("qid", "type", "labels", "aliases", "description", "positions", "country_qid", "un_member", "population",
        "capital_of", "source")
SINCE = "2010"
POSITIONS_SINCE = "2000"


def _recent_core(record: dict[str, Any]) -> bool:
    if "cabinet_member_2022" in record.get("roles", []):
        return True
    if not CORE_ROLES & set(record.get("roles", [])):
        return False
    return any(p.get("end") is None or p["end"] >= SINCE for p in record.get("positions") or [])


def select(shared: Path) -> list[dict[str, Any]]:
    """The curated rows, in QID order."""
    source = shared / "gazetteer.jsonl"
    records = [json.loads(line) for line in source.read_text("utf-8").splitlines() if line.strip()]
    expected = json.loads((shared / "seed_000_expected_links.json").read_text("utf-8"))
    wanted = {link["expected_qid"] for link in expected["links"] if link["expected_qid"]}
    chosen = {
        r["qid"]: r for r in records
        if r["type"] in ("country", "territory", "international_organization")
        or (r["type"] == "city" and (r.get("capital_of") or (r.get("population") or 0) >= 1_000_000))
        or (r["type"] == "human" and _recent_core(r))
        or r["qid"] in wanted
    }
    held = {p.get("position_qid") for r in chosen.values() for p in r.get("positions") or []}
    top = set(TOP_CATEGORIES)
    chosen.update({r["qid"]: r for r in records if r["type"] == "position" and r["qid"] in held
                   and top & set(classifier().categories(r["labels"]["en"]))})
    rows = []
    for qid in sorted(chosen, key=lambda q: int(q[1:])):
        row = {k: chosen[qid][k] for k in KEEP if chosen[qid].get(k) not in (None, [], {})}
        if "positions" in row:
            row["positions"] = [p for p in row["positions"] if (p.get("end") or "9999") >= POSITIONS_SINCE]
        row["curated_from"] = f"../shared/wikidata/{source.name}"
        rows.append(row)
    return rows


def main(shared: Path) -> None:
    rows = select(shared)
    text = "".join(json.dumps(r, ensure_ascii=False, sort_keys=True) + "\n" for r in rows)
    TABLE.write_bytes(gzip.compress(text.encode("utf-8"), mtime=0))
    index = shipped_index()
    print(f"{TABLE}: {len(rows)} rows; default index built at {index}")


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).resolve().parents[2] / "shared" / "wikidata")
