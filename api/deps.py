"""FastAPI dependencies shared by every router: settings, the store, the query executor, the write token check.

They are ``async def`` because they only read application state: FastAPI would run a sync dependency in its thread
pool, one thread hop per dependency per request.
"""

from __future__ import annotations

import hmac
from typing import TYPE_CHECKING, Annotated

from fastapi import Depends, HTTPException, Request, status
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from polkg.api.settings import Settings

from polkg.api.executor import QueryExecutor

if TYPE_CHECKING:
    from polkg.api.remote import RemoteExecutor
    from polkg.graph.store import GraphStore

bearer = HTTPBearer(auto_error=False, description="POLKG_TOKEN, needed for writes")
Credentials = Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)]


async def get_settings(request: Request) -> Settings:
    """The settings the application was created with."""
    return request.app.state.settings


async def get_store(request: Request) -> GraphStore:
    """The application's open GraphStore (opened at start-up, closed at shutdown)."""
    return request.app.state.store


async def get_executor(request: Request) -> QueryExecutor | RemoteExecutor:
    """Where SPARQL runs: killable worker processes over the local store, or the remote store's endpoint."""
    return request.app.state.executor


async def get_local_executor(request: Request) -> QueryExecutor:
    """The local store's query executor; 501 when the store is remote (its own Graph Store serves it)."""
    executor = request.app.state.executor
    if not isinstance(executor, QueryExecutor):
        raise HTTPException(
            status.HTTP_501_NOT_IMPLEMENTED,
            f"the store {request.app.state.store.location} is remote: use its own Graph Store at /store",
        )
    return executor


def authorize_write(settings: Settings, credentials: HTTPAuthorizationCredentials | None) -> None:
    """Allow a write only with ``Authorization: Bearer <POLKG_TOKEN>``: 401 without, 403 wrong or unconfigured."""
    if not settings.token:
        raise HTTPException(status.HTTP_403_FORBIDDEN, "writes are disabled: the server has no POLKG_TOKEN")
    if credentials is None:
        raise HTTPException(
            status.HTTP_401_UNAUTHORIZED,
            "this operation needs Authorization: Bearer <token>",
            headers={"WWW-Authenticate": "Bearer"},
        )
    if not hmac.compare_digest(credentials.credentials.encode(), settings.token.encode()):
        raise HTTPException(status.HTTP_403_FORBIDDEN, "wrong token")


async def require_token(settings: Annotated[Settings, Depends(get_settings)], credentials: Credentials) -> None:
    """Dependency form of :func:`authorize_write` for write routes."""
    authorize_write(settings, credentials)


async def request_body(request: Request) -> bytes:
    """The raw request body (read asynchronously, so that the handler itself can stay a sync ``def``)."""
    return await request.body()
