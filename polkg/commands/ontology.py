"""``polkg ontology``: print the polkg OWL ontology."""

from __future__ import annotations

from enum import Enum

import typer
from rdflib import Graph

from polkg.ontology import ONTOLOGY_TTL, SHAPES_TTL


class OntologyFormat(str, Enum):
    turtle = "turtle"
    xml = "xml"
    nt = "nt"
    jsonld = "json-ld"


def ontology(
    fmt: OntologyFormat = typer.Option(OntologyFormat.turtle, "--format", "-f", help="Serialisation to print."),
    shapes: bool = typer.Option(False, "--shapes", help="Print the SHACL shapes instead of the ontology."),
) -> None:
    """Print the polkg OWL ontology (or its SHACL shapes) in Turtle, RDF/XML, N-Triples or JSON-LD."""
    source = SHAPES_TTL if shapes else ONTOLOGY_TTL
    if fmt is OntologyFormat.turtle:
        typer.echo(source.read_text(encoding="utf-8"), nl=False)
        return
    graph = Graph().parse(source, format="turtle")
    typer.echo(graph.serialize(format=fmt.value), nl=False)


def register(app: typer.Typer) -> None:
    """Add ``ontology`` to the command line."""
    app.command("ontology")(ontology)
