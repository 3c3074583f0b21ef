"""SPARQL queries and updates forwarded to a remote SPARQL 1.1 endpoint, when the store is an http(s) URL.

The remote endpoint evaluates the query (so its own timeout, if it has one, is the one that stops it); this side
waits at most the query timeout, and turns the remote's answers and failures into the endpoint's status codes.
"""

from __future__ import annotations

import httpx

from polkg.api.executor import DumpJob, QueryAnswer, QueryError, QueryJob
from polkg.graph.terms import EXPORT_PREFIXES

PROLOGUE = "".join(f"PREFIX {prefix}: <{iri}>\n" for prefix, iri in EXPORT_PREFIXES.items())


class RemoteExecutor:
    """The :class:`~polkg.api.executor.QueryExecutor` interface over a remote store's query and update URLs."""

    def __init__(self, query_url: str, update_url: str, *, timeout: float) -> None:
        self.query_url = query_url
        self.update_url = update_url
        self.timeout = timeout
        self._http = httpx.Client(timeout=timeout, headers={"User-Agent": "polkg"})

    def query(self, job: QueryJob | DumpJob) -> QueryAnswer:
        """Forward a query with its protocol dataset and Accept header; the remote's answer is passed through."""
        if isinstance(job, DumpJob):
            raise QueryError(501, f"the store is remote: read it from {self.query_url.rsplit('/', 1)[0]}/store")
        form = {
            "query": PROLOGUE + job.query,
            "default-graph-uri": list(job.default_graphs),
            "named-graph-uri": list(job.named_graphs),
        }
        response = self._send(self.query_url, data=form, headers={"Accept": ", ".join(job.accept)})
        return QueryAnswer(response.content, response.headers.get("content-type", "application/octet-stream"))

    def update(self, text: str, *, base_iri: str | None = None) -> None:
        """Forward an update (the remote applies it, as one transaction if it is Oxigraph)."""
        self._send(self.update_url, content=(PROLOGUE + text).encode(),
                   headers={"Content-Type": "application/sparql-update"})

    def invalidate(self) -> None:
        """Nothing is cached on this side."""

    def close(self) -> None:
        self._http.close()

    def _send(self, url: str, **request: object) -> httpx.Response:
        try:
            response = self._http.post(url, **request)  # type: ignore[arg-type]
        except httpx.TimeoutException as error:
            raise QueryError(503, f"the remote store did not answer within {self.timeout:g} s: {error}") from error
        except httpx.HTTPError as error:
            raise QueryError(502, f"cannot reach the remote store at {url}: {error}") from error
        if response.status_code >= 400:
            status = response.status_code if response.status_code in (400, 406, 413, 415) else 502
            raise QueryError(status, f"the remote store answered {response.status_code}: {response.text.strip()}")
        return response
