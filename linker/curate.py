"""The curated table behind the shipped default index, selected from ``../shared/wikidata``.

``python -m polkg.linker.curate [SHARED_WIKIDATA_DIR]`` rewrites ``linker/data/curated.jsonl.gz`` (each row
keeps its ``source`` and gets ``curated_from``); the default index is built from it by polkg's own
builder at first use (see :func:`polkg.linker.linker.shipped_index`).

Selection (kept small: the full shared files stay outside the repository, and users build a larger index
with ``polkg gazetteer build``): every country, territory and international organisation; cities that are
capitals or have a million inhabitants or more; the people of the core gazetteer with a leading role
(head of state or government, foreign or defence minister, national security adviser, international post);
the entities the seed's expected links name; the positions of a top role category those people held.
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
SOURCES = ("gazetteer.jsonl",)
KEEP = ("qid", "type", "labels", "aliases", "positions", "country_qid", "un_member", "population",
        "capital_of", "iso_a2", "iso_a3", "source")
ALWAYS = ("country", "territory", "international_organization")
LEADING_ROLES = {"head_of_state_or_government", "foreign_minister", "defence_minister", "national_security_advisor",
                 "international_post", "seed_article_person"}
BIG_CITY = 1_000_000


def _wanted(record: dict[str, Any]) -> bool:
    """Whether a record belongs in the shipped table."""
    kind = record["type"]
    if kind == "city":
        return bool(record.get("capital_of")) or (record.get("population") or 0) >= BIG_CITY
    if kind == "human":
        return bool(LEADING_ROLES & set(record.get("roles") or ()))
    return kind in ALWAYS


def select(shared: Path) -> list[dict[str, Any]]:
    """The curated rows, in QID order."""
    records = {}
    for name in SOURCES:
        for line in (shared / name).read_text("utf-8").splitlines():
            if line.strip():
                record = json.loads(line)
                records[record["qid"]] = record | {"curated_from": f"../shared/wikidata/{name}"}
    expected = json.loads((shared / "seed_000_expected_links.json").read_text("utf-8"))
    wanted = {link["expected_qid"] for link in expected["links"] if link["expected_qid"]}
    chosen = {q: r for q, r in records.items() if _wanted(r) or q in wanted}
    held = {p.get("position_qid") for r in chosen.values() for p in r.get("positions") or []}
    top = set(TOP_CATEGORIES)
    chosen.update({q: r for q, r in records.items() if r["type"] == "position" and q in held
                   and top & set(classifier().categories(r["labels"]["en"]))})
    return [{k: chosen[q][k] for k in (*KEEP, "curated_from") if chosen[q].get(k) not in (None, [], {})}
            for q in sorted(chosen, key=lambda q: int(q[1:]))]


def main(shared: Path) -> None:
    rows = select(shared)
    text = "".join(json.dumps(r, ensure_ascii=False, sort_keys=True) + "\n" for r in rows)
    TABLE.write_bytes(gzip.compress(text.encode("utf-8"), mtime=0))
    index = shipped_index()
    print(f"{TABLE}: {len(rows)} rows; default index built at {index}")


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).resolve().parents[2] / "shared" / "wikidata")
