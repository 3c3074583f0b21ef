"""``polkg evaluate``: run the extractor on annotated passages and print precision / recall / F1."""

from __future__ import annotations

import json
from enum import Enum
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from polkg.extractor.evaluate import SCORED_TYPES, Counts, Report, read_gold, score


class Format(str, Enum):
    table = "table"
    json = "json"


def register(app: typer.Typer) -> None:
    """Add the ``evaluate`` command."""
    app.command("evaluate")(evaluate)


def evaluate(
    gold: Annotated[Path, typer.Argument(exists=True, dir_okay=False, readable=True,
                                         help="Gold JSONL (news_dev format, or the PETRARCH subset).")],
    format: Annotated[Format, typer.Option("--format", help="table or json.")] = Format.table,
    details: Annotated[bool, typer.Option("--details", help="Also list matched, missed and spurious events.")] = False,
) -> None:
    """Precision / recall / F1 of the extractor per event type and language against GOLD, with the status, date
    and quote accuracy of the matched events."""
    try:
        passages = read_gold(gold)
    except ValueError as err:
        typer.echo(f"error: {err}", err=True)
        raise typer.Exit(2) from None
    from polkg.extractor import Extractor  # loads spaCy: only once the gold file is known to be good

    extractor = Extractor()
    predictions = {doc.id: result for doc, result in extractor.extract_stream(p.document() for p in passages)}
    report = score(passages, predictions)
    if format is Format.json:
        typer.echo(json.dumps(report.to_json(details=details), ensure_ascii=False, indent=2, default=str))
    else:
        _print_table(report, details, gold.name)


def _cell(value: float | None) -> str:
    return "-" if value is None else f"{value:.2f}"


def _row(table: Table, label: str, counts: Counts, bold: bool = False) -> None:
    values = [label, str(counts.tp), str(counts.fp), str(counts.fn), _cell(counts.precision), _cell(counts.recall),
              _cell(counts.f1), _cell(counts.status_accuracy), _cell(counts.date_accuracy),
              _cell(counts.quote_accuracy)]
    table.add_row(*values, style="bold" if bold else None)


def _print_table(report: Report, details: bool, title: str) -> None:
    console = Console(width=120)
    table = Table(title=f"{title}: {len(report.passages)} passages")
    for column in ("type / lang", "TP", "FP", "FN", "P", "R", "F1", "status acc", "date acc", "quote acc"):
        table.add_column(column, justify="left" if column == "type / lang" else "right")
    for type_ in SCORED_TYPES:
        for lang in report.langs:
            _row(table, f"{type_} {lang}", report.total(type_, lang))
        _row(table, f"{type_} all", report.total(type_), bold=True)
    for lang in report.langs:
        _row(table, f"all {lang}", report.total(lang=lang))
    _row(table, "all", report.total(), bold=True)
    console.print(table)
    for passage in report.passages:
        if passage.error:
            console.print(f"[red]{passage.id}: extractor failed: {passage.error}[/red]")
    if details:
        for passage in report.passages:
            console.print(json.dumps(passage.to_json(), ensure_ascii=False, default=str), soft_wrap=True)
