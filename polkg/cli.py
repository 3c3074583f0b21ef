"""The ``polkg`` command line: one Typer app, each area's commands in :mod:`polkg.commands`."""

from __future__ import annotations

import typer

from polkg import __version__
from polkg.commands import evaluate, extract, gazetteer, graph, ontology, serve

app = typer.Typer(
    name="polkg",
    help="Build a knowledge graph of political events (meetings, statements, vote abstentions) "
    "from French and English news, linked to Wikidata, stored in RDF and served over SPARQL.",
    no_args_is_help=True,
    rich_markup_mode="rich",
    pretty_exceptions_show_locals=False,
)



def _version(value: bool) -> None:
    if value:
        typer.echo(f"polkg {__version__}")
        raise typer.Exit()


@app.callback()
def main(
    version: bool = typer.Option(False, "--version", callback=_version, is_eager=True, help="Print the version."),
) -> None:
    """polkg: political events from the news, as a knowledge graph."""


for module in (extract, evaluate, graph, serve, ontology, gazetteer):
    module.register(app)

if __name__ == "__main__":
    app()
