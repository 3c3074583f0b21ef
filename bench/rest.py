"""Benchmark of the REST API against pyoxigraph running the same SPARQL, in the same run on the same data.

The synthetic graph of ``bench/graph.py`` (polkg's own mapping; ~1M quads for 100k events, 5k actors) is loaded
into an in-memory store. Each REST request goes through the whole FastAPI application in process (routing,
validation, the store's rdflib results, pydantic serialisation). Its reference is the set of SPARQL strings that
request sends to the store (recorded on a first call), run with ``pyoxigraph.Store.query`` and read completely.
``/export`` is compared with ``pyoxigraph.Store.dump`` of the same Turtle.

Each figure is the median of ``--repeat`` runs; the ratio is pyoxigraph's time over the request's (1.0 = as fast).

    .venv/bin/python bench/rest.py [--events 100000] [--actors 5000] [--repeat 5]
"""

from __future__ import annotations

import argparse
import datetime as dt
import importlib.util
import io
import random
import statistics
import time
from collections.abc import Callable
from pathlib import Path

import pyoxigraph as ox
from fastapi.testclient import TestClient
from rich.console import Console
from rich.table import Table

from polkg.api.app import create_app
from polkg.api.settings import Settings
from polkg.graph.mapping import Run, document_triples, graph_iri
from polkg.graph.store import GraphStore, open_store
from polkg.graph.terms import EXPORT_PREFIXES, to_ox_quads

_spec = importlib.util.spec_from_file_location("bench_graph", Path(__file__).with_name("graph.py"))
bench_graph = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(bench_graph)

REQUESTS = {
    "/events first page (100)": "/events",
    "/events page 50 (offset 5000)": "/events?offset=5000",
    "/events meetings of one actor": "/events?type=Meeting&actor={qid}",
    "/events one month": "/events?from=2020-03-01&to=2020-03-31",
    "/events statements, planned (none)": "/events?type=Statement&status=planned",
    "/actors/{qid}": "/actors/{qid}",
}


class RecordingStore:
    """The store, noting every SPARQL string the REST handlers send it."""

    def __init__(self, store: GraphStore) -> None:
        self._store = store
        self.queries: list[str] = []

    def __getattr__(self, name: str) -> object:
        return getattr(self._store, name)

    def query(self, sparql: str) -> object:
        self.queries.append(sparql)
        return self._store.query(sparql)


def median_time(action: Callable[[], object], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        action()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def fill(store: GraphStore, events: int, actors: int) -> int:
    rng = random.Random(5)
    run = Run(started=dt.datetime(2024, 1, 1, tzinfo=dt.timezone.utc))
    for doc, batch in bench_graph.make_documents(events, bench_graph.make_actors(actors, rng), rng):
        store.ox.extend(to_ox_quads(set(document_triples(doc, batch, run)), graph_iri(doc.id)))
    return len(store.ox)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=100_000)
    parser.add_argument("--actors", type=int, default=5_000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    console = Console()

    store = open_store("memory")
    started = time.perf_counter()
    quads = fill(store, args.events, args.actors)
    console.print(f"{quads:,} quads ({args.events:,} events) generated in {time.perf_counter() - started:.1f} s")

    qid = next(iter(store.ox.query(
        "SELECT ?a WHERE { ?e <https://w3id.org/polkg/ontology#participant> ?a "
        'FILTER STRSTARTS(STR(?a), "http://www.wikidata.org/entity/") } LIMIT 1',
        use_default_graph_as_union=True,
    )))["a"].value.rsplit("/", 1)[-1]
    recording = RecordingStore(store)
    app = create_app(Settings(store="memory"))
    table = Table("request", "polkg ms", "pyoxigraph ms", "ratio", "items")
    with TestClient(app) as client:
        app.state.store = recording  # the REST routes read the store from app.state
        for name, url in REQUESTS.items():
            url = url.format(qid=qid)
            recording.queries.clear()
            first = client.get(url)
            first.raise_for_status()
            body = first.json()
            items = body.get("total", len(body.get("events", [])))
            queries = list(recording.queries)
            polkg = median_time(lambda: client.get(url).raise_for_status(), args.repeat)
            direct = median_time(
                lambda: [sum(1 for _ in store.ox.query(q, use_default_graph_as_union=True)) for q in queries],
                args.repeat,
            )
            table.add_row(name, f"{polkg * 1000:,.1f}", f"{direct * 1000:,.1f}", f"{direct / polkg:.2f}", f"{items:,}")

        def polkg_export() -> None:
            client.get("/export").raise_for_status()

        def ox_export() -> None:
            triples = store.ox.query("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }", use_default_graph_as_union=True)
            ox.serialize(triples, io.BytesIO(), ox.RdfFormat.TURTLE, prefixes=EXPORT_PREFIXES)

        export_repeat = max(1, args.repeat // 2)
        polkg = median_time(polkg_export, export_repeat)
        direct = median_time(ox_export, export_repeat)
        table.add_row("/export turtle", f"{polkg * 1000:,.0f}", f"{direct * 1000:,.0f}", f"{direct / polkg:.2f}",
                      f"{quads:,} quads")
    console.print(table)


if __name__ == "__main__":
    main()
