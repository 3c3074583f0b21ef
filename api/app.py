"""The application factory: one FastAPI app over one open store, with a router per area."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from polkg.api import graph_store, page, rest, sparql
from polkg.api.executor import QueryExecutor
from polkg.api.remote import RemoteExecutor
from polkg.api.settings import Settings
from polkg.graph.store import GraphStore, open_store

#: Routes that tell the executor about their own writes; a successful write elsewhere refreshes its workers.
SELF_INVALIDATING = ("/sparql", "/store")


class RefreshAfterWrites:
    """ASGI middleware: after a successful POST/PUT/PATCH/DELETE outside ``/sparql`` and ``/store`` (an ingest),
    retire the query workers, whose forked snapshot of an in-memory store no longer shows the new data."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] in ("GET", "HEAD", "OPTIONS") or (
            scope["path"].startswith(SELF_INVALIDATING)
        ):
            await self.app(scope, receive, send)
            return

        async def watch(message: Message) -> None:
            if message["type"] == "http.response.start" and message["status"] < 400:
                executor = scope["app"].state.executor
                if executor is not None:
                    executor.invalidate()
            await send(message)

        await self.app(scope, receive, watch)


def create_app(settings: Settings | None = None, *, store: GraphStore | None = None) -> FastAPI:
    """Build the polkg web application over ``store`` (else the store of ``settings``, opened at start-up);
    the application closes the store at shutdown."""
    settings = settings or Settings.from_env()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        app.state.store = store or open_store(settings.store, read_only=False)
        ox_store = app.state.store.ox
        app.state.executor = (
            QueryExecutor(ox_store, workers=settings.query_workers, timeout=settings.query_timeout)
            if ox_store is not None
            else RemoteExecutor(app.state.store.query_url, app.state.store.update_url, timeout=settings.query_timeout)
        )
        try:
            yield
        finally:
            app.state.executor.close()
            app.state.store.close()

    app = FastAPI(
        title="polkg",
        summary="Political events from French and English news as a knowledge graph, over SPARQL 1.1",
        lifespan=lifespan,
        docs_url=None,  # served by the page router from node_modules, so it works offline
        redoc_url=None,
        max_body_size=settings.max_body_bytes,
    )
    app.state.settings = settings
    app.state.executor = None
    app.add_middleware(RefreshAfterWrites)
    app.include_router(sparql.router)
    app.include_router(graph_store.router)
    app.include_router(rest.router)
    app.include_router(page.router)
    return app
