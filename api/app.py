"""The application factory: one FastAPI app over one open store, with a router per area."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI

from polkg.api import page, rest
from polkg.api.settings import Settings


def create_app(settings: Settings | None = None) -> FastAPI:
    """Build the polkg web application; the store is opened at start-up and closed at shutdown."""
    settings = settings or Settings.from_env()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        from polkg.graph.store import open_store

        app.state.store = open_store(settings.store, read_only=False)
        try:
            yield
        finally:
            app.state.store.close()

    app = FastAPI(
        title="polkg",
        summary="Political events from French and English news as a knowledge graph, over SPARQL 1.1",
        lifespan=lifespan,
    )
    app.state.settings = settings
    app.include_router(rest.router)
    app.include_router(page.router)
    return app
