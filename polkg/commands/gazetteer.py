"""``polkg gazetteer``: build, fetch and query the Wikidata gazetteer index the linker uses."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Annotated

import typer

from polkg.model import Kind

app = typer.Typer(help="Build, fetch and query the Wikidata gazetteer index used to link actors.",
                  no_args_is_help=True)


@app.command()
def build(
    sources: Annotated[list[Path], typer.Argument(help="Gazetteer JSON Lines or Wikidata dump files (.gz/.bz2).")],
    output: Annotated[Path, typer.Option("--output", "-o", help="Index file to write (SQLite).")],
) -> None:
    """Build an index from gazetteer records or the Wikidata JSON dump (streamed)."""
    from polkg.linker.build import build_index
    from polkg.linker.sources import GazetteerError

    try:
        report = build_index(sources, output)
    except GazetteerError as err:
        typer.echo(f"error: {err}", err=True)
        raise typer.Exit(1) from err
    for skipped in report.skipped[:20]:
        typer.echo(f"skipped {skipped}", err=True)
    if len(report.skipped) > 20:
        typer.echo(f"... and {len(report.skipped) - 20} more skipped lines", err=True)
    typer.echo(f"{output}: {report.entities} entities, {report.names} names, {len(report.skipped)} lines skipped")


@app.command()
def fetch(
    output: Annotated[Path, typer.Option("--output", "-o", help="Index file to write.")] = Path("gazetteer.sqlite"),
    endpoint: Annotated[str, typer.Option(help="SPARQL endpoint URL.")] = "https://query.wikidata.org/sparql",
) -> None:
    """Query the Wikidata Query Service for states, organisations, leaders, ministers, parties and capitals."""
    from polkg.linker.fetch import QueryService
    from polkg.linker.fetch import fetch as run
    from polkg.linker.online import Unavailable

    service = QueryService(endpoint)
    try:
        report = run(output, service, progress=lambda name, rows: typer.echo(f"{name}: {rows} rows", err=True))
    except Unavailable as err:
        typer.echo(f"error: {err}", err=True)
        raise typer.Exit(1) from err
    finally:
        service.close()
    typer.echo(f"{output}: {report.entities} entities, {report.names} names")


@app.command()
def lookup(
    name: Annotated[str, typer.Argument(help="The mention, e.g. 'M. Netanyahou'.")],
    kind: Annotated[Kind | None, typer.Option(help="person, country, organization, place.")] = None,
    context: Annotated[str | None, typer.Option(help="Role words near the mention.")] = None,
    date: Annotated[str | None, typer.Option(help="Date of the event (YYYY-MM-DD).")] = None,
    lang: Annotated[str, typer.Option(help="Language of the document.")] = "fr",
    gazetteer: Annotated[Path | None, typer.Option("--gazetteer", envvar="POLKG_GAZETTEER", help="Index file.")] = None,
    online: Annotated[bool, typer.Option("--online", help="Also ask the Wikidata API.")] = False,
) -> None:
    """Show how a mention links: the chosen QID (or NIL) and the scored candidates, as JSON."""
    from polkg.linker import GazetteerError, Linker

    try:
        linker = Linker.open(gazetteer, online=online)
    except GazetteerError as err:
        typer.echo(f"error: {err}", err=True)
        raise typer.Exit(1) from err
    day = dt.date.fromisoformat(date) if date else None
    chosen = linker.resolve(name, kind, context, day, lang)
    ranked = linker.candidates(name, kind, context, day, lang)[:5]
    typer.echo(json.dumps({"qid": chosen.qid if chosen else None,
                           "candidates": [{"qid": c.qid, "type": c.type, "label": c.label(lang), "score": c.score}
                                          for c in ranked]}, ensure_ascii=False, indent=1))


def register(root: typer.Typer) -> None:
    """Add ``gazetteer build|fetch|lookup`` to the command line."""
    root.add_typer(app, name="gazetteer")
