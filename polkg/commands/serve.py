"""``polkg serve``: the SPARQL endpoint, REST API and query page, on uvicorn."""

from __future__ import annotations

from typing import Annotated

import typer


def register(app: typer.Typer) -> None:
    """Add ``polkg serve``."""

    @app.command()
    def serve(
        store: Annotated[str | None, typer.Option(help='Store: a directory, "memory" or an http(s) SPARQL URL')] = None,
        host: Annotated[str, typer.Option(help="Interface to listen on")] = "127.0.0.1",
        port: Annotated[int, typer.Option(help="TCP port")] = 8000,
        gazetteer: Annotated[str | None, typer.Option(help="Gazetteer for the ingest endpoint's linker")] = None,
        online: Annotated[bool, typer.Option(help="Let the ingest endpoint's linker call the Wikidata API")] = False,
        timeout: Annotated[
            float | None, typer.Option(help="Query timeout in seconds (default: POLKG_QUERY_TIMEOUT or 30)")
        ] = None,
    ) -> None:
        """Serve SPARQL 1.1 (/sparql, /store), the REST API and the query page. Writes need POLKG_TOKEN."""
        import uvicorn

        from polkg.api.app import create_app
        from polkg.api.settings import Settings
        from polkg.graph.store import StoreError, open_store

        try:
            settings = Settings.from_env(store=store, gazetteer=gazetteer, online=online or None, query_timeout=timeout)
        except ValueError as error:
            raise typer.BadParameter(str(error)) from error
        try:
            opened = open_store(settings.store)
        except StoreError as error:
            typer.echo(f"polkg serve: {error}", err=True)
            raise typer.Exit(1) from error
        if settings.token is None:
            typer.echo("POLKG_TOKEN is not set: the endpoint is read-only.", err=True)
        uvicorn.run(create_app(settings, store=opened), host=host, port=port, log_level="warning")
