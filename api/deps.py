"""FastAPI dependencies shared by every router: settings, the store, and the write token check."""

from __future__ import annotations

import hmac
from typing import TYPE_CHECKING, Annotated

from fastapi import Depends, HTTPException, Request, status
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from polkg.api.settings import Settings

if TYPE_CHECKING:
    from polkg.graph.store import GraphStore

_bearer = HTTPBearer(auto_error=False, description="POLKG_TOKEN, needed for writes")


def get_settings(request: Request) -> Settings:
    """The settings the application was created with."""
    return request.app.state.settings


def get_store(request: Request) -> GraphStore:
    """The application's open GraphStore (opened at start-up, closed at shutdown)."""
    return request.app.state.store


def require_token(
    settings: Annotated[Settings, Depends(get_settings)],
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> None:
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
