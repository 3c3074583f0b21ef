"""Placeholder until the graph commands land (see the issue tracker)."""

import typer


def register(app: typer.Typer) -> None:
    """Nothing registered yet."""
