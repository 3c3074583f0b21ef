"""The query page at ``/``: YASGUI on ``/sparql`` with example queries, a timeline and an actor network.

The page's own files are in ``static/``; the front-end packages (YASGUI, vis-timeline, vis-network) are
served from ``node_modules`` (``make node``), found through ``POLKG_ASSETS`` or next to the checkout, so
nothing is fetched from the internet.
"""

from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path

from fastapi import APIRouter
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import FileResponse, HTMLResponse
from fastapi.staticfiles import StaticFiles
from pydantic import BaseModel

STATIC = Path(__file__).with_name("static")
QUERIES = STATIC / "queries"
#: URL prefix → folder inside node_modules.
PACKAGES = {
    "yasgui": "@zazuko/yasgui/build",
    "vis-timeline": "vis-timeline",
    "vis-network": "vis-network",
    "swagger-ui": "swagger-ui-dist",
}

router = APIRouter(tags=["page"])


class ExampleQuery(BaseModel):
    """A ready-made SPARQL query offered on the page."""

    name: str
    title: str
    description: str
    query: str


def node_modules() -> Path:
    """``POLKG_ASSETS`` if set, else the ``node_modules`` folder at the repository's root."""
    configured = os.environ.get("POLKG_ASSETS")
    return Path(configured) if configured else Path(__file__).resolve().parents[1] / "node_modules"


@router.get("/", include_in_schema=False)
def index() -> FileResponse:
    """The query page."""
    return FileResponse(STATIC / "index.html", media_type="text/html")


@router.get("/docs", include_in_schema=False)
def api_docs() -> HTMLResponse:
    """The OpenAPI documentation (Swagger UI), served from node_modules rather than a CDN."""
    return get_swagger_ui_html(
        openapi_url="/openapi.json",
        title="polkg API",
        swagger_js_url="/assets/swagger-ui/swagger-ui-bundle.js",
        swagger_css_url="/assets/swagger-ui/swagger-ui.css",
        swagger_favicon_url="/static/favicon.svg",
    )


@router.get("/examples")
def examples() -> list[ExampleQuery]:
    """The page's example SPARQL queries (from ``static/queries/*.rq``)."""
    return _examples()


@lru_cache(maxsize=1)
def _examples() -> list[ExampleQuery]:
    return [_read_example(path) for path in sorted(QUERIES.glob("*.rq"))]


def _read_example(path: Path) -> ExampleQuery:
    """An ``.rq`` file whose first comment lines are ``# title: …`` and ``# description: …``."""
    text = path.read_text(encoding="utf-8")
    header = {}
    for line in text.splitlines():
        if not line.startswith("#"):
            break
        key, _, value = line[1:].partition(":")
        header[key.strip()] = value.strip()
    return ExampleQuery(
        name=path.stem.split("-", 1)[-1],
        title=header.get("title", path.stem),
        description=header.get("description", ""),
        query=text,
    )


router.mount("/static", StaticFiles(directory=STATIC), name="static")
for _prefix, _folder in PACKAGES.items():
    router.mount(f"/assets/{_prefix}", StaticFiles(directory=node_modules() / _folder, check_dir=False), name=_prefix)
