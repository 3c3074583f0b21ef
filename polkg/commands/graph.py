"""The graph commands: ``build``, ``load``, ``export``, ``query`` and ``validate``."""

from __future__ import annotations

import sys
import time
from enum import Enum
from pathlib import Path
from typing import Annotated

import pyoxigraph as ox
import typer
from rdflib import URIRef
from rdflib.query import Result
from rich.console import Console
from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn
from rich.table import Table

from polkg.graph.store import FORMATS, GraphStore, QueryError, StoreError, format_for, open_store

err_console = Console(stderr=True, soft_wrap=True)

StoreOption = Annotated[
    str, typer.Option("--store", help='A directory (embedded Oxigraph), "memory", or an http(s) SPARQL store URL.')
]
GraphOption = Annotated[str | None, typer.Option("--graph", help="IRI of one named graph.")]


class ExportFormat(str, Enum):
    turtle = "turtle"
    trig = "trig"
    nquads = "nquads"
    ntriples = "ntriples"
    jsonld = "jsonld"


class QueryFormat(str, Enum):
    table = "table"
    json = "json"
    csv = "csv"


#: What ``--format json|csv`` asks for: a results format for SELECT/ASK, an RDF format for CONSTRUCT/DESCRIBE.
ACCEPT = {
    QueryFormat.json: "application/sparql-results+json, application/ld+json",
    QueryFormat.csv: "text/csv, application/n-triples",
}


def _graph(iri: str | None) -> URIRef | None:
    """The ``--graph`` option as an IRI (exit 2 when it is not one)."""
    if iri is None:
        return None
    try:
        return URIRef(ox.NamedNode(iri).value)
    except ValueError as err:
        err_console.print(f"[red]error:[/red] --graph {iri!r} is not an IRI: {err}")
        raise typer.Exit(2) from None


def _open(location: str, read_only: bool = False) -> GraphStore:
    try:
        return open_store(location, read_only=read_only)
    except StoreError as err:
        err_console.print(f"[red]error:[/red] {err}")
        raise typer.Exit(1) from None


def build(
    inputs: Annotated[list[str], typer.Argument(help="Files (.txt with NAME.meta.json, .jsonl), directories, or -.")],
    store: StoreOption = "polkg-data",
    force: Annotated[bool, typer.Option("--force", help="Rebuild documents whose content is unchanged.")] = False,
    lang: Annotated[str | None, typer.Option("--lang", help="Language of documents that do not give one.")] = None,
    gazetteer: Annotated[Path | None, typer.Option("--gazetteer", help="Offline gazetteer for the linker.")] = None,
    online: Annotated[bool, typer.Option("--online", help="Also ask the Wikidata API.")] = False,
) -> None:
    """Extract events from INPUTS, link their actors to Wikidata and store one named graph per document."""
    from polkg.documents import read_documents
    from polkg.graph.links import distinct_events, relink
    from polkg.pipeline import build as run_build
    from polkg.pipeline import make_extractor, open_linker

    if lang not in (None, "fr", "en"):
        err_console.print(f"[red]error:[/red] --lang must be fr or en, not {lang!r}")
        raise typer.Exit(2)
    counts = {"stored": 0, "unchanged": 0, "failed": 0}
    events = 0
    started = time.perf_counter()
    with _open(store) as graph_store:
        extractor, linker = make_extractor(), open_linker(gazetteer, online)
        columns = (
            SpinnerColumn(),
            TextColumn("{task.completed} documents · {task.fields[events]} events · {task.fields[rate]:.1f} docs/s"),
            TimeElapsedColumn(),
        )
        with Progress(*columns, console=err_console, transient=True) as progress:
            task = progress.add_task("build", total=None, events=0, rate=0.0)
            outcomes = run_build(read_documents(inputs), graph_store, extractor, linker, force=force, lang=lang)
            for outcome in outcomes:
                counts[outcome.status] += 1
                events += len(outcome.events)
                if outcome.status == "failed":
                    progress.console.print(f"[yellow]skipped[/yellow] {outcome.where}: {outcome.reason}")
                elapsed = time.perf_counter() - started
                progress.update(task, advance=1, events=events, rate=sum(counts.values()) / max(elapsed, 1e-9))
        links = relink(graph_store) if counts["stored"] else None
        table = Table(title=f"polkg build → {graph_store.location}")
        table.add_column("")
        table.add_column("", justify="right")
        for label, value in (
            ("documents stored", counts["stored"]),
            ("unchanged (skipped)", counts["unchanged"]),
            ("failed (skipped)", counts["failed"]),
            ("events stored", events),
            ("cross-document links", "not recomputed" if links is None else links),
            ("distinct events in store", distinct_events(graph_store)),
            ("quads in store", graph_store.count()),
            ("seconds", f"{time.perf_counter() - started:.1f}"),
        ):
            table.add_row(label, str(value))
        Console().print(table)
    if counts["failed"] and not (counts["stored"] or counts["unchanged"]):
        raise typer.Exit(1)


def load(
    files: Annotated[list[Path], typer.Argument(help="RDF files: .ttl, .nt, .nq, .trig, .jsonld.")],
    store: StoreOption = "polkg-data",
    graph: GraphOption = None,
    fmt: Annotated[ExportFormat | None, typer.Option("--format", help="Override the format given by the suffix.")] = None,
    bulk: Annotated[bool, typer.Option("--bulk", help="Stream big files (faster, but a bad file may be half-loaded; "
                                                      "embedded store only).")] = False,
) -> None:
    """Bulk-import RDF files; each file is one transaction (a bad file is reported and leaves the store as it was)."""
    failed, target = 0, _graph(graph)
    with _open(store) as graph_store:
        for path in files:
            before = graph_store.count()
            try:
                graph_store.load(path, format_for(path, fmt.value if fmt else None), target,
                                 bulk=bulk)
            except (ValueError, QueryError, StoreError, OSError) as err:
                err_console.print(f"[red]not loaded[/red] {path}: {err}")
                failed += 1
                continue
            err_console.print(f"loaded {path}: {graph_store.count() - before} new quads")
    if failed:
        raise typer.Exit(1)


def export(
    store: StoreOption = "polkg-data",
    fmt: Annotated[ExportFormat, typer.Option("--format", "-f", help="Serialisation.")] = ExportFormat.turtle,
    graph: GraphOption = None,
    output: Annotated[Path | None, typer.Option("--output", "-o", help="File to write (default: stdout).")] = None,
) -> None:
    """Export the store (or one named graph) with polkg's prefixes; Turtle/N-Triples hold the union of the graphs."""
    with _open(store, read_only=True) as graph_store:
        target = _graph(graph)
        if target is not None and not graph_store.count(target):
            err_console.print(f"[red]error:[/red] no graph <{graph}> in {graph_store.location}")
            raise typer.Exit(1)
        if output is None:
            graph_store.dump(sys.stdout.buffer, FORMATS[fmt.value], target)
            sys.stdout.buffer.flush()
            return
        with output.open("wb") as handle:
            graph_store.dump(handle, FORMATS[fmt.value], target)


def query(
    sparql: Annotated[str, typer.Argument(help="A SPARQL query, or - to read it from stdin.")],
    store: StoreOption = "polkg-data",
    fmt: Annotated[QueryFormat, typer.Option("--format", "-f", help="table, json or csv.")] = QueryFormat.table,
) -> None:
    """Run a SPARQL query over the union of the stored graphs (polkg's prefixes are predeclared)."""
    text = sys.stdin.read() if sparql == "-" else sparql
    with _open(store, read_only=True) as graph_store:
        try:
            if fmt is QueryFormat.table:
                _print_result(graph_store.query(text), graph_store)
            else:
                body, _ = graph_store.query_serialized(text, ACCEPT[fmt])
                sys.stdout.buffer.write(body)
                sys.stdout.buffer.flush()
        except QueryError as err:
            err_console.print(f"[red]bad query:[/red] {err}")
            raise typer.Exit(2) from None


def _print_result(result: Result, graph_store: GraphStore) -> None:
    """A SELECT as a table, an ASK as true/false, a graph as Turtle with polkg's prefixes."""
    if result.type == "ASK":
        typer.echo("true" if result.askAnswer else "false")
        return
    if result.graph is not None:
        for prefix, namespace in graph_store.dataset.namespaces():
            result.graph.bind(prefix, namespace)
        typer.echo(result.graph.serialize(format="turtle"))
        return
    names = graph_store.dataset.namespace_manager
    table = Table(*[str(v) for v in result.vars])
    for row in result:
        table.add_row(*("" if v is None else names.normalizeUri(v) if isinstance(v, URIRef) else str(v) for v in row))
    Console().print(table)
    err_console.print(f"{len(result)} rows")


def validate(
    store: StoreOption = "polkg-data",
    graph: GraphOption = None,
) -> None:
    """Check the stored graph against polkg's SHACL shapes; prints the violations and exits 1 when there are any."""
    from polkg.graph.validate import validate_store

    with _open(store, read_only=True) as graph_store:
        violations = validate_store(graph_store, _graph(graph))
    if not violations:
        typer.echo("conforms: no SHACL violation")
        return
    table = Table("severity", "focus node", "path", "message", title=f"{len(violations)} SHACL violations")
    for v in violations:
        table.add_row(v.severity, v.focus, v.path or "", v.message)
    Console().print(table)
    raise typer.Exit(1)


def register(app: typer.Typer) -> None:
    """Add the graph commands."""
    for command in (build, load, export, query, validate):
        app.command(command.__name__)(command)
