"""Benchmark of the graph layer against pyoxigraph used directly, in the same run on the same data.

A synthetic graph shaped by polkg's own mapping (``document_triples``: events, actors, mentions, PROV, one named
graph per document) of ~1M quads (100k events, 5k actors) is written once as N-Quads. Then:

- bulk load: ``polkg load`` (GraphStore.load) into a fresh on-disk store vs ``pyoxigraph.Store.load`` (and, for
  information, ``bulk_load``, which is not transactional);
- export: GraphStore.dump vs ``pyoxigraph.Store.dump`` (TriG of the dataset; Turtle of the union of the graphs);
- five typical queries through ``GraphStore.query`` (rdflib results) vs ``store.ox.query`` (pyoxigraph results).

Each figure is the median of ``--repeat`` runs; the ratio is polkg's speed over pyoxigraph's (1.0 = as fast).
Targets: load/export ratio ≥ 0.5, queries within 1.5× of pyoxigraph's time.

    .venv/bin/python bench/graph.py [--events 100000] [--actors 5000] [--repeat 5]
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import random
import shutil
import statistics
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pyoxigraph as ox
from rich.console import Console
from rich.table import Table

from polkg.graph.mapping import Run, document_triples, graph_iri
from polkg.graph.store import open_store
from polkg.graph.terms import EXPORT_PREFIXES, to_ox_quads
from polkg.model import Actor, Document, Event, EventType, Kind, Mention, Role, Status

EVENTS_PER_DOC = 10
TYPES = [EventType.MEETING] * 4 + [EventType.STATEMENT] * 4 + [EventType.VOTE_ABSTENTION, EventType.VOTE_AGAINST]
KINDS = [Kind.PERSON] * 16 + [Kind.COUNTRY, Kind.ORGANIZATION, Kind.ORGANIZATION, Kind.GROUP]
START = dt.date(2015, 1, 1)


def make_actors(count: int, rng: random.Random) -> list[Actor]:
    """``count`` actors, 70 % linked to a (made-up) Wikidata id with fr/en labels."""
    actors = []
    for i in range(count):
        name = f"Actor {i}"
        kind = rng.choice(KINDS)
        if rng.random() < 0.7:
            actors.append(Actor(name, kind, qid=f"Q{1000 + i}", labels={"fr": name, "en": f"{name} (en)"}))
        else:
            actors.append(Actor(name, kind))
    return actors


def make_documents(events: int, actors: list[Actor], rng: random.Random) -> Iterator[tuple[Document, list[Event]]]:
    """Documents of :data:`EVENTS_PER_DOC` events each, dated over ten years."""
    for d in range(events // EVENTS_PER_DOC):
        published = START + dt.timedelta(days=rng.randrange(3650))
        doc = Document(id=f"doc{d}", text="x" * 2000, lang=rng.choice(["fr", "en"]), published=published,
                       title=f"Article {d}", url=f"https://news.example/{d}", source="bench")
        batch = []
        for e in range(EVENTS_PER_DOC):
            kind = rng.choice(TYPES)
            chosen = rng.sample(actors, 3)
            if kind is EventType.MEETING:
                cast = [Actor(a.text, a.kind, Role.PARTICIPANT, qid=a.qid, labels=a.labels) for a in chosen[:2]]
            elif kind is EventType.STATEMENT:
                cast = [Actor(chosen[0].text, chosen[0].kind, Role.SPEAKER, qid=chosen[0].qid, labels=chosen[0].labels)]
            else:
                cast = [Actor(chosen[0].text, chosen[0].kind, Role.ABSTAINER if kind is EventType.VOTE_ABSTENTION
                              else Role.VOTER, qid=chosen[0].qid, labels=chosen[0].labels)]
            start = e * 150
            batch.append(Event(
                doc=doc.id, id=f"e{e}", type=kind, status=Status.HAPPENED, actors=cast,
                date=published - dt.timedelta(days=rng.randrange(3)), quote="Texte cité" if cast[0].role is Role.SPEAKER
                else None, confidence=round(rng.random(), 2), sentence=f"Sentence {e}.", start=start, end=start + 100,
                mentions=[Mention(f"Sentence {e}.", start, start + 100)],
            ))
        yield doc, batch


def generate(path: Path, events: int, actors: int) -> int:
    """Write the synthetic dataset as N-Quads; returns its number of quads."""
    rng = random.Random(5)
    run = Run(started=dt.datetime(2024, 1, 1, tzinfo=dt.timezone.utc))
    models = [("fr_core_news_md", "3.8.0")]
    store = ox.Store()
    for doc, batch in make_documents(events, make_actors(actors, rng), rng):
        store.extend(to_ox_quads(set(document_triples(doc, batch, run, models)), graph_iri(doc.id)))
    store.dump(str(path), ox.RdfFormat.N_QUADS)
    return len(store)


def median_time(action: Callable[[], object], repeat: int, setup: Callable[[], object] | None = None) -> float:
    times = []
    for _ in range(repeat):
        if setup:
            setup()
        started = time.perf_counter()
        action()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


QUERIES = {
    "meetings with their dates (by type)": """
        SELECT ?e ?date WHERE { ?e a pk:Meeting ; pk:date ?date }""",
    "meetings of one actor, with whom, when": """
        SELECT ?other ?label ?date WHERE {
          ?e a pk:Meeting ; pk:participant wd:Q1010, ?other ; pk:date ?date .
          FILTER(?other != wd:Q1010) OPTIONAL { ?other rdfs:label ?label FILTER(LANG(?label) = "fr") } }
        ORDER BY ?date""",
    "top-10 speakers": """
        SELECT ?speaker (COUNT(DISTINCT ?e) AS ?n) WHERE { ?e a pk:Statement ; pk:speaker ?speaker }
        GROUP BY ?speaker ORDER BY DESC(?n) LIMIT 10""",
    "events in a date range": """
        SELECT ?e ?type ?date WHERE { ?e pk:date ?date ; a ?type .
          FILTER(?date >= "2020-03-01"^^xsd:date && ?date < "2020-04-01"^^xsd:date) }""",
    "CONSTRUCT one actor's neighbourhood": """
        CONSTRUCT { ?e ?p ?o . ?o rdfs:label ?l } WHERE {
          ?e ?role wd:Q1010 ; ?p ?o . OPTIONAL { ?o rdfs:label ?l } }""",
}


def consume(result: object) -> int:
    """Read a pyoxigraph result completely (rows or triples)."""
    return sum(1 for _ in result)  # type: ignore[attr-defined]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=100_000)
    parser.add_argument("--actors", type=int, default=5_000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    console = Console()
    work = Path(tempfile.mkdtemp(prefix="polkg-bench-"))
    try:
        data = work / "data.nq"
        started = time.perf_counter()
        quads = generate(data, args.events, args.actors)
        console.print(f"generated {quads:,} quads ({args.events:,} events, {args.actors:,} actors, "
                      f"{data.stat().st_size / 1e6:.0f} MB N-Quads) in {time.perf_counter() - started:.1f} s")
        rows: list[tuple[str, float, float, str]] = []
        load_repeat = max(1, min(args.repeat, 3))

        def fresh(name: str) -> Path:
            target = work / name
            shutil.rmtree(target, ignore_errors=True)
            return target

        def polkg_load() -> None:
            with open_store(fresh("polkg-load")) as store:
                store.load(data, ox.RdfFormat.N_QUADS)

        def ox_load() -> None:
            ox.Store(str(fresh("ox-load"))).load(path=str(data), format=ox.RdfFormat.N_QUADS)

        def ox_bulk_load() -> None:
            ox.Store(str(fresh("ox-bulk"))).bulk_load(path=str(data), format=ox.RdfFormat.N_QUADS)

        rows.append(("bulk load (N-Quads, on disk)", median_time(polkg_load, load_repeat),
                     median_time(ox_load, load_repeat), "speed"))
        bulk = median_time(ox_bulk_load, load_repeat)

        with open_store(work / "polkg-load") as store:
            assert store.ox is not None
            direct = store.ox
            for label, fmt in (("export TriG (dataset)", ox.RdfFormat.TRIG), ("export N-Quads", ox.RdfFormat.N_QUADS)):
                rows.append((label, median_time(lambda: store.dump(io.BytesIO(), fmt), args.repeat),
                             median_time(lambda: direct.dump(io.BytesIO(), fmt, prefixes=EXPORT_PREFIXES),
                                         args.repeat), "speed"))
            union = "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }"
            rows.append(("export Turtle (union of graphs)",
                         median_time(lambda: store.dump(io.BytesIO(), ox.RdfFormat.TURTLE), args.repeat),
                         median_time(lambda: ox.serialize(direct.query(union, use_default_graph_as_union=True),
                                                          io.BytesIO(), ox.RdfFormat.TURTLE,
                                                          prefixes=EXPORT_PREFIXES), args.repeat), "speed"))
            for label, sparql in QUERIES.items():
                text = "".join(f"PREFIX {p}: <{ns}>\n" for p, ns in EXPORT_PREFIXES.items()) + sparql
                size = consume(direct.query(text, use_default_graph_as_union=True))
                rows.append((f"{label} ({size:,} results)",
                             median_time(lambda: consume(store.query(sparql)), args.repeat),
                             median_time(lambda: consume(direct.query(text, use_default_graph_as_union=True)),
                                         args.repeat), "time"))
        table = Table(title=f"polkg graph store vs pyoxigraph, {quads:,} quads (median of {args.repeat})")
        for column in ("operation", "polkg", "pyoxigraph", "ratio", "target", ""):
            table.add_column(column, justify="left" if column == "operation" else "right")
        for label, ours, theirs, kind in rows:
            if kind == "speed":
                ratio, target, ok = theirs / ours, "≥ 0.5 of its speed", theirs / ours >= 0.5
            else:
                ratio, target, ok = ours / theirs, "≤ 1.5× its time", ours / theirs <= 1.5
            table.add_row(label, f"{ours * 1000:,.1f} ms", f"{theirs * 1000:,.1f} ms", f"{ratio:.2f}", target,
                          "ok" if ok else "MISSED")
        console.print(table)
        console.print(f"(pyoxigraph bulk_load, not transactional: {bulk * 1000:,.0f} ms)")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
