"""Linker benchmark: index build time, load time and mentions linked per second on the full shared gazetteer.

    .venv/bin/python bench/link.py [--shared ../shared] [--mentions 20000]

Each number is printed with a reference measured in the same run: load time against reading the
gazetteer JSON Lines into memory (what a naive linker would do at start-up), linking speed against
the bare indexed name lookup it is built on. Linking speed is also given per CPU second, which other
jobs on a shared machine disturb less than wall time. Targets: load < 1 s, > 5,000 mentions/s.
"""

from __future__ import annotations

import argparse
import json
import random
import tempfile
import time
from pathlib import Path

from polkg.linker import Linker
from polkg.linker.build import build_index
from polkg.linker.names import fold
from polkg.model import Kind

ROOT = Path(__file__).resolve().parents[1]
CONTEXTS = ["le ministre des Affaires étrangères", "le président", "le Premier ministre", "ministre de la défense",
            "le porte-parole", None, None, None]


def mentions(records: list[dict], count: int, seed: int = 7) -> list[tuple[str, Kind | None, str | None]]:
    """Distinct, realistic mentions: full names, 'M. surname', country and organisation names, unknown names."""
    rng = random.Random(seed)
    people = [r for r in records if r["type"] == "human" and r["labels"]["en"]]
    places = [r for r in records if r["type"] in ("country", "territory", "city")]
    orgs = [r for r in records if r["type"] == "international_organization"]
    out: set[tuple[str, Kind | None, str | None]] = set()
    while len(out) < count:
        pick = rng.random()
        if pick < 0.45:
            name = rng.choice(people)["labels"]["en"]
            out.add((name if rng.random() < 0.6 else f"M. {name.split()[-1]}", Kind.PERSON, rng.choice(CONTEXTS)))
        elif pick < 0.7:
            r = rng.choice(places)
            out.add((r["labels"]["fr"] or r["labels"]["en"], Kind.PLACE if r["type"] == "city" else Kind.COUNTRY, None))
        elif pick < 0.85:
            r = rng.choice(orgs)
            names = [r["labels"]["fr"], r["labels"]["en"], *r["aliases"]["en"], *r["aliases"]["fr"]]
            out.add((rng.choice([n for n in names if n]), Kind.ORGANIZATION, None))
        else:
            out.add((f"{rng.choice(['Jean', 'Ana', 'Omar', 'Li'])} {rng.randrange(10**6):x}zq", Kind.PERSON, None))
    return sorted(out, key=lambda m: (m[0], m[1].value if m[1] else "", m[2] or ""))


def best_of(runs: int, action) -> float:
    times = []
    for _ in range(runs):
        began = time.perf_counter()
        action()
        times.append(time.perf_counter() - began)
    return min(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    parser.add_argument("--mentions", type=int, default=20000)
    args = parser.parse_args()
    sources = [args.shared / "wikidata" / "gazetteer.jsonl", args.shared / "wikidata" / "officeholders_extra.jsonl"]
    with tempfile.TemporaryDirectory() as tmp:
        index = Path(tmp) / "full.sqlite"
        began = time.perf_counter()
        report = build_index(sources, index)
        build = time.perf_counter() - began
        print(f"build: {report.entities} entities, {report.names} names in {build:.2f} s "
              f"({index.stat().st_size / 1e6:.1f} MB)")

        records: list[dict] = []
        naive = best_of(3, lambda: records.__setitem__(slice(None), [
            json.loads(line) for path in sources for line in path.read_text("utf-8").splitlines()]))

        def first_link() -> None:
            Linker.open(index).resolve("Benjamin Netanyahu", Kind.PERSON)

        first = best_of(1, first_link)
        load = best_of(5, first_link)
        print(f"load (open + first link): first {first * 1000:.1f} ms, best {load * 1000:.1f} ms; "
              f"reference (read the JSON Lines): {naive * 1000:.0f} ms; "
              f"ratio {first / naive:.4f}; target < 1 s: {'ok' if first < 1 else 'MISSED'}")

        sample = mentions(records, args.mentions)
        linker = Linker.open(index)
        began, cpu = time.perf_counter(), time.process_time()
        linked = sum(linker.resolve(name, kind, context) is not None for name, kind, context in sample)
        cold, cpu = time.perf_counter() - began, time.process_time() - cpu
        began = time.perf_counter()
        for name, kind, context in sample:
            linker.resolve(name, kind, context)
        warm = time.perf_counter() - began
        keys = [fold(name) for name, _, _ in sample]
        lookup = best_of(3, lambda: [linker.index.lookup([k]) for k in keys])
        rate = len(sample) / cold
        print(f"link: {len(sample)} distinct mentions in {cold:.2f} s = {rate:,.0f} mentions/s "
              f"({len(sample) / cpu:,.0f} per CPU second) "
              f"({linked / len(sample):.0%} linked); repeated mentions (cached): {len(sample) / warm:,.0f}/s; "
              f"reference (bare indexed lookup of the names): {len(sample) / lookup:,.0f}/s; "
              f"ratio {cold / lookup:.1f}x; "
              f"target > 5,000/s per CPU second: {'ok' if len(sample) / cpu > 5000 else 'MISSED'}")


if __name__ == "__main__":
    main()
