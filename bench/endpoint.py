"""HTTP benchmark of ``polkg serve`` against ``oxigraph serve``, in the same run on the same data.

The ~1M-quad synthetic event graph of ``bench/graph.py`` (one named graph per document) is loaded into two on-disk
stores, one served by ``oxigraph serve --union-default-graph``, one by ``polkg serve`` (union default graph too).
Then, for an ASK and the "meetings of one actor" query, at concurrency 1 and 10, a bounded number of GET requests
on 127.0.0.1 (keep-alive clients, one per thread) measures requests/s and the p50/p99 latency of each server.
The ratio is polkg's throughput over Oxigraph's (target ≥ 0.8).

    .venv/bin/python bench/endpoint.py [--events 50000] [--actors 5000] [--requests 400]
"""

from __future__ import annotations

import argparse
import concurrent.futures
import contextlib
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pyoxigraph as ox
from rich.console import Console
from rich.table import Table

sys.path.insert(0, str(Path(__file__).resolve().parent))
from graph import QUERIES, generate  # noqa: E402  (bench/graph.py: the shared synthetic data)

from polkg.graph.terms import EXPORT_PREFIXES  # noqa: E402

BIN = Path(sys.executable).parent
PROLOGUE = "".join(f"PREFIX {prefix}: <{iri}>\n" for prefix, iri in EXPORT_PREFIXES.items())
MOST_MET = """SELECT ?actor (COUNT(*) AS ?n) WHERE {
  ?e a pk:Meeting ; pk:participant ?actor FILTER(STRSTARTS(STR(?actor), STR(wd:)))
} GROUP BY ?actor ORDER BY DESC(?n)"""


def bench_queries(location: Path) -> dict[str, str]:
    """An ASK and the "meetings of X" query of bench/graph.py, X being the actor of median meeting count."""
    store = ox.Store.read_only(str(location))
    ranked = list(store.query(MOST_MET, prefixes=EXPORT_PREFIXES, use_default_graph_as_union=True))
    actor = f"<{ranked[len(ranked) // 2]['actor'].value}>"
    del store
    return {
        "ASK": PROLOGUE + f"ASK {{ ?e a pk:Meeting ; pk:participant {actor} }}",
        "meetings of X": PROLOGUE + QUERIES["meetings of one actor, with whom, when"].replace("wd:Q1010", actor),
    }


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextlib.contextmanager
def running(command: list[str], ready_url: str, env: dict[str, str] | None = None) -> Iterator[None]:
    """Start a server process, wait until ``ready_url`` answers, stop it afterwards."""
    process = subprocess.Popen(command, env={**os.environ, **(env or {})}, stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 120
        while True:
            if process.poll() is not None:
                raise RuntimeError(f"{command[0]} exited with {process.returncode}")
            try:
                if httpx.get(ready_url, timeout=5).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError(f"{ready_url} did not answer")
            time.sleep(0.3)
        yield
    finally:
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()


def load(data: Path, location: Path) -> None:
    store = ox.Store(str(location))
    store.bulk_load(path=str(data), format=ox.RdfFormat.N_QUADS)
    store.flush()
    del store


def measure(url: str, query: str, requests: int, concurrency: int) -> tuple[float, float, float, int]:
    """(requests/s, p50 ms, p99 ms, rows of the last answer) over ``requests`` GETs from ``concurrency`` threads."""
    per_thread = requests // concurrency
    headers = {"Accept": "application/sparql-results+json"}

    def worker(_: int) -> tuple[list[float], int]:
        latencies, rows = [], 0
        with httpx.Client(timeout=60) as client:
            for _ in range(per_thread):
                started = time.perf_counter()
                response = client.get(url, params={"query": query}, headers=headers)
                latencies.append(time.perf_counter() - started)
                response.raise_for_status()
                answer = response.json()
                rows = len(answer["results"]["bindings"]) if "results" in answer else int(answer["boolean"])
        return latencies, rows

    with concurrent.futures.ThreadPoolExecutor(concurrency) as pool:
        worker(0)  # warm-up (caches, worker processes)
        started = time.perf_counter()
        outcomes = list(pool.map(worker, range(concurrency)))
        elapsed = time.perf_counter() - started
    latencies = sorted(latency for outcome in outcomes for latency in outcome[0])
    p99 = latencies[min(len(latencies) - 1, int(len(latencies) * 0.99))]
    return len(latencies) / elapsed, statistics.median(latencies) * 1000, p99 * 1000, outcomes[0][1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=50_000)
    parser.add_argument("--actors", type=int, default=5_000)
    parser.add_argument("--requests", type=int, default=400, help="requests per server, query and concurrency")
    parser.add_argument("--concurrency", type=int, nargs="+", default=[1, 10])
    parser.add_argument("--rounds", type=int, default=3, help="alternate the servers this many times, keep the best")
    args = parser.parse_args()
    console = Console()
    work = Path(tempfile.mkdtemp(prefix="polkg-bench-endpoint-"))
    try:
        data = work / "data.nq"
        started = time.perf_counter()
        quads = generate(data, args.events, args.actors)
        console.print(f"{quads:,} quads generated in {time.perf_counter() - started:.1f} s")
        for name in ("oxigraph", "polkg"):
            load(data, work / name)
        queries = bench_queries(work / "polkg")
        ox_port, pk_port = free_port(), free_port()
        oxigraph = [str(BIN / "oxigraph"), "serve", "--location", str(work / "oxigraph"),
                    "--bind", f"127.0.0.1:{ox_port}", "--union-default-graph"]
        polkg = [sys.executable, "-m", "polkg.cli", "serve", "--store", str(work / "polkg"), "--port", str(pk_port)]
        ox_url, pk_url = f"http://127.0.0.1:{ox_port}/query", f"http://127.0.0.1:{pk_port}/sparql"
        results: dict[tuple[str, int], dict[str, tuple[float, float, float, int]]] = {}
        with running(oxigraph, ox_url + "?query=ASK%7B%7D"), running(polkg, pk_url + "?query=ASK%7B%7D"):
            for label, query in queries.items():
                for concurrency in args.concurrency:
                    cell = results.setdefault((label, concurrency), {})
                    for _ in range(args.rounds):  # alternate, keep each server's best round (the machine is shared)
                        for server, url in (("oxigraph", ox_url), ("polkg", pk_url)):
                            run = measure(url, query, args.requests, concurrency)
                            if server not in cell or run[0] > cell[server][0]:
                                cell[server] = run
        table = Table(title=f"SPARQL over HTTP, {quads:,} quads, {args.requests} requests per cell, best of "
                            f"{args.rounds} alternated rounds, 127.0.0.1")
        for column in ("query", "clients", "server", "req/s", "p50 ms", "p99 ms", "rows", "polkg / oxigraph"):
            table.add_column(column, justify="left" if column in ("query", "server") else "right")
        for (label, concurrency), cell in results.items():
            ratio = cell["polkg"][0] / cell["oxigraph"][0]
            for server in ("oxigraph", "polkg"):
                rate, p50, p99, rows = cell[server]
                table.add_row(label, str(concurrency), server, f"{rate:,.0f}", f"{p50:.1f}", f"{p99:.1f}", str(rows),
                              f"{ratio:.2f}" if server == "polkg" else "")
        console.print(table)
        mismatched = [key for key, cell in results.items() if cell["polkg"][3] != cell["oxigraph"][3]]
        if mismatched:
            console.print(f"[red]different answers for {mismatched}[/red]")
        ratios = [cell["polkg"][0] / cell["oxigraph"][0] for cell in results.values()]
        console.print(f"throughput ratio polkg/oxigraph: min {min(ratios):.2f}, "
                      f"geometric mean {statistics.geometric_mean(ratios):.2f} (target ≥ 0.8)")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
