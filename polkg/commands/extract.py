"""``polkg extract``: documents in, one JSON object per event out (or a table)."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import sys
from collections.abc import Iterator
from enum import Enum
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from polkg.documents import DocumentError, read_documents
from polkg.model import Document, Event

err_console = Console(stderr=True, soft_wrap=True)


class Lang(str, Enum):
    auto = "auto"
    fr = "fr"
    en = "en"


class OutputFormat(str, Enum):
    jsonl = "jsonl"
    table = "table"


def register(app: typer.Typer) -> None:
    """Add the ``extract`` command."""
    app.command("extract")(extract)


def extract(
    inputs: Annotated[list[str], typer.Argument(help='Files (.txt with NAME.meta.json, .jsonl), directories, or "-" for stdin.')],
    lang: Annotated[Lang, typer.Option("--lang", help="Language of the documents; auto: metadata, else detected.")] = Lang.auto,
    published: Annotated[str | None, typer.Option("--published", help="Publication date YYYY-MM-DD for documents without one.")] = None,
    format: Annotated[OutputFormat, typer.Option("--format", help="jsonl (one event per line) or table.")] = OutputFormat.jsonl,
    gazetteer: Annotated[Path | None, typer.Option("--gazetteer", help="Gazetteer index for linking (default: the shipped one).")] = None,
    online: Annotated[bool, typer.Option("--online", help="Also ask the Wikidata API when linking.")] = False,
    no_link: Annotated[bool, typer.Option("--no-link", help="Do not link actors to Wikidata.")] = False,
) -> None:
    """Extract meetings, statements and votes from French and English news."""
    from polkg.extractor import Extractor

    default_date = _parse_date(published)
    linker = None if no_link else _open_linker(gazetteer, online)
    extractor = Extractor()
    processed = failed = 0
    table = _table() if format is OutputFormat.table else None
    unreadable: list[DocumentError] = []
    docs = _documents(inputs, lang, default_date, unreadable)
    for doc, result in extractor.extract_stream(docs):
        if isinstance(result, Exception):
            failed += 1
            err_console.print(f"[red]error[/red] {doc.path or doc.id}: extraction failed: {type(result).__name__}: {result}", highlight=False)
            continue
        if linker is not None:
            try:
                linker.link(result, dataclasses.replace(doc, lang=doc.lang or extractor.language_of(doc)))
            except Exception as err:  # noqa: BLE001 - the events are still worth printing
                err_console.print(f"[yellow]warning[/yellow] {doc.path or doc.id}: linking failed: {err}", highlight=False)
        processed += 1
        for event in result:
            if table is not None:
                _add_row(table, event)
            else:
                sys.stdout.write(json.dumps(event.to_json(), ensure_ascii=False) + "\n")
    failed += len(unreadable)
    if table is not None:
        Console().print(table)
    if processed == 0 and failed:
        raise typer.Exit(code=1)


def _parse_date(value: str | None) -> dt.date | None:
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise typer.BadParameter(f"not a date YYYY-MM-DD: {value!r}", param_hint="--published") from None


def _documents(inputs: list[str], lang: Lang, published: dt.date | None, unreadable: list[DocumentError]) -> Iterator[Document]:
    """The readable documents, with the command-line language and date applied; unreadable ones
    are reported on stderr and appended to ``unreadable``."""
    for item in read_documents(inputs):
        if isinstance(item, DocumentError):
            unreadable.append(item)
            err_console.print(f"[red]error[/red] {item}", highlight=False)
            continue
        if lang is not Lang.auto:
            item.lang = lang.value
        if item.published is None:
            item.published = published
        yield item


def _open_linker(gazetteer: Path | None, online: bool):
    """The Wikidata linker, or None when the linker package is not available."""
    try:
        from polkg.linker import Linker
    except ImportError:
        return None
    try:
        return Linker.open(gazetteer, online=online)
    except Exception as err:  # noqa: BLE001 - extraction goes on without links
        err_console.print(f"[yellow]warning[/yellow] linking disabled: {err}", highlight=False)
        return None


def _table() -> Table:
    table = Table(title="events")
    for column in ("id", "type", "status", "actors", "date", "quote / sentence"):
        table.add_column(column, overflow="fold")
    return table


def _add_row(table: Table, event: Event) -> None:
    actors = "; ".join(f"{a.role.value}: {a.name or a.text}" + (f" ({a.qid})" if a.qid else "") for a in event.actors)
    kind = event.type.value + (f"/{event.subtype.value}" if event.subtype else "")
    text = event.quote or event.sentence
    table.add_row(event.id, kind, event.status.value, actors, event.date.isoformat() if event.date else "",
                  text[:160])
