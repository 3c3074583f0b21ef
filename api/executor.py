"""Run SPARQL queries where they can be killed: a pool of forked worker processes over the open store.

pyoxigraph has no query timeout and a thread cannot be stopped, so each query runs in a worker process forked from
the server after the store is open (the worker shares the store's pages copy-on-write, no reload). A query that
outlives the timeout is stopped by killing its worker; the others keep answering. A fork sees the store as it was at
fork time, so every write bumps a generation number and workers of an older generation are retired and re-forked on
demand (a fork costs a few milliseconds). Updates run in the server process itself, serialised by a lock.
"""

from __future__ import annotations

import io
import itertools
import multiprocessing
import os
import threading
import time
from dataclasses import dataclass
from multiprocessing.connection import Connection
from typing import Any

import pyoxigraph as ox

from polkg.graph.terms import EXPORT_PREFIXES

_FORK = multiprocessing.get_context("fork")

# Media types in order of preference: the first one answers "*/*" or a missing Accept header.
RESULT_FORMATS: dict[str, ox.QueryResultsFormat] = {
    "application/sparql-results+json": ox.QueryResultsFormat.JSON,
    "application/sparql-results+xml": ox.QueryResultsFormat.XML,
    "text/csv": ox.QueryResultsFormat.CSV,
    "text/tab-separated-values": ox.QueryResultsFormat.TSV,
    "application/json": ox.QueryResultsFormat.JSON,
    "application/xml": ox.QueryResultsFormat.XML,
}
RDF_FORMATS: dict[str, ox.RdfFormat] = {
    "text/turtle": ox.RdfFormat.TURTLE,
    "application/n-triples": ox.RdfFormat.N_TRIPLES,
    "application/ld+json": ox.RdfFormat.JSON_LD,
    "application/rdf+xml": ox.RdfFormat.RDF_XML,
    "application/trig": ox.RdfFormat.TRIG,
    "application/n-quads": ox.RdfFormat.N_QUADS,
    "text/n3": ox.RdfFormat.N3,
}


def choose(accept: tuple[str, ...], formats: dict[str, Any]) -> str | None:
    """The media type of ``formats`` that the Accept header values ``accept`` prefer, or None (a 406)."""
    ranges: list[tuple[float, int, str]] = []
    for position, item in enumerate(part for header in accept for part in header.split(",")):
        media_range, *params = (piece.strip() for piece in item.split(";"))
        quality = 1.0
        for param in params:
            key, _, value = param.partition("=")
            if key.strip().lower() == "q":
                try:
                    quality = float(value)
                except ValueError:
                    quality = 0.0
        if media_range and quality > 0:
            ranges.append((-quality, position, media_range.lower()))
    if not ranges:
        ranges = [(-1.0, 0, "*/*")]
    for _, _, media_range in sorted(ranges):
        kind, _, subtype = media_range.partition("/")
        for media_type in formats:
            if media_range in ("*/*", "*", media_type) or (subtype == "*" and media_type.startswith(kind + "/")):
                return media_type
    return None


class QueryError(Exception):
    """A query or update that cannot be answered; ``status`` is the HTTP status to send with the message."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


@dataclass(frozen=True)
class QueryJob:
    """Everything a worker needs to run one query and serialize its answer."""

    query: str
    accept: tuple[str, ...] = ("*/*",)
    base_iri: str | None = None
    default_graphs: tuple[str, ...] = ()
    named_graphs: tuple[str, ...] = ()
    union_default_graph: bool = False
    max_rows: int = 100_000


@dataclass(frozen=True)
class DumpJob:
    """Write the whole store, every graph, in the dataset format ``media_type`` (a key of :data:`RDF_FORMATS`)."""

    media_type: str
    max_rows: int = 100_000


@dataclass(frozen=True)
class QueryAnswer:
    """A serialized answer: the body bytes and their media type."""

    body: bytes
    media_type: str


@dataclass
class _Worker:
    process: Any
    conn: Connection
    generation: int

    def stop(self) -> None:
        self.conn.close()
        self.process.kill()
        self.process.join(timeout=5)


class QueryExecutor:
    """A bounded pool of forked query workers with a hard per-query timeout, plus serialised in-process updates."""

    def __init__(self, store: ox.Store, *, workers: int = 4, timeout: float = 30.0) -> None:
        self.store = store
        self.timeout = timeout
        self.max_workers = workers
        self.generation = 0
        self._idle: list[_Worker] = []
        self._running = 0
        self._lock = threading.Condition()
        self._write_lock = threading.Lock()
        self._closed = False

    def query(self, job: QueryJob | DumpJob) -> QueryAnswer:
        """Run ``job`` in a worker; raise :class:`QueryError` (400 bad query, 406 no format, 503 timeout or busy)."""
        deadline = time.monotonic() + self.timeout
        worker = self._acquire(deadline)
        healthy = False
        try:
            worker.conn.send(job)
            if not worker.conn.poll(max(0.0, deadline - time.monotonic())):
                raise QueryError(
                    503,
                    f"query stopped after the {self.timeout:g} s timeout (POLKG_QUERY_TIMEOUT); "
                    "narrow it or add a LIMIT",
                )
            outcome, payload = worker.conn.recv()
            healthy = True
        except (EOFError, OSError) as error:
            raise QueryError(500, f"query worker died: {error}") from error
        finally:
            self._release(worker, healthy)
        if outcome == "ok":
            return payload
        raise QueryError(*payload)

    def update(self, text: str, *, base_iri: str | None = None) -> None:
        """Apply a SPARQL update atomically in this process; a syntax error is a 400 and writes nothing."""
        with self._write_lock:
            try:
                self.store.update(text, base_iri=base_iri, prefixes=EXPORT_PREFIXES)
            except SyntaxError as error:
                raise QueryError(400, f"malformed update: {error}") from error
            except (ValueError, OSError) as error:
                raise QueryError(400, f"update failed, nothing written: {error}") from error
            finally:
                self.invalidate()

    def invalidate(self) -> None:
        """Mark every worker's snapshot stale: the next queries run in freshly forked workers."""
        with self._lock:
            self.generation += 1
            stale, self._idle = self._idle, []
        for worker in stale:
            worker.stop()

    def close(self) -> None:
        """Kill every idle worker; busy ones are killed when their query returns."""
        with self._lock:
            self._closed = True
            stale, self._idle = self._idle, []
            self._lock.notify_all()
        for worker in stale:
            worker.stop()

    def _acquire(self, deadline: float) -> _Worker:
        with self._lock:
            while not self._closed:
                while self._idle:
                    worker = self._idle.pop()
                    if worker.generation == self.generation and worker.process.is_alive():
                        self._running += 1
                        return worker
                    worker.stop()
                if self._running < self.max_workers:
                    self._running += 1
                    break
                remaining = deadline - time.monotonic()
                if remaining <= 0 or not self._lock.wait(remaining):
                    raise QueryError(503, f"all {self.max_workers} query workers stayed busy for {self.timeout:g} s")
            else:
                raise QueryError(503, "the server is shutting down")
            generation = self.generation
        try:
            return self._fork(generation)
        except BaseException:
            with self._lock:
                self._running -= 1
                self._lock.notify()
            raise

    def _fork(self, generation: int) -> _Worker:
        ours, theirs = _FORK.Pipe()
        with self._write_lock:  # never fork in the middle of a write
            process = _FORK.Process(target=_serve, args=(self.store, theirs, ours), daemon=True, name="polkg-query")
            process.start()
        theirs.close()
        return _Worker(process, ours, generation)

    def _release(self, worker: _Worker, healthy: bool) -> None:
        with self._lock:
            self._running -= 1
            keep = healthy and not self._closed and worker.generation == self.generation
            if keep:
                self._idle.append(worker)
            self._lock.notify()
        if not keep:
            worker.stop()


def _serve(store: ox.Store, conn: Connection, parent_end: Connection) -> None:
    """Worker loop: answer jobs until the server closes the pipe, then leave without running destructors."""
    parent_end.close()
    while True:
        try:
            job = conn.recv()
        except (EOFError, OSError, KeyboardInterrupt):
            os._exit(0)
        try:
            conn.send(("ok", run_query(store, job) if isinstance(job, QueryJob) else run_dump(store, job)))
        except QueryError as error:
            conn.send(("error", (error.status, error.message)))
        except Exception as error:  # an engine failure on one query must not kill the worker
            conn.send(("error", (500, f"{type(error).__name__}: {error}")))


def run_query(store: ox.Store, job: QueryJob) -> QueryAnswer:
    """Evaluate ``job`` on ``store`` and serialize the answer in the best format the client accepts."""
    options: dict[str, Any] = {
        "base_iri": job.base_iri,
        "prefixes": EXPORT_PREFIXES,
        "use_default_graph_as_union": job.union_default_graph,
    }
    if job.default_graphs or job.named_graphs:  # the protocol's dataset replaces the query's FROM / FROM NAMED
        options["default_graph"] = [ox.NamedNode(iri) for iri in job.default_graphs]
        options["named_graphs"] = [ox.NamedNode(iri) for iri in job.named_graphs]
    try:
        result = store.query(job.query, **options)
    except SyntaxError as error:
        raise QueryError(400, f"malformed query: {error}") from error
    except ValueError as error:
        raise QueryError(400, f"query rejected: {error}") from error
    except OSError as error:
        raise _read_failure(job, error) from error
    try:
        return _serialize(result, job)
    except (ValueError, TypeError) as error:
        raise QueryError(400, f"query evaluation failed: {error}") from error
    except OSError as error:  # results are lazy: a SERVICE call or a store read can fail while they are written
        raise _read_failure(job, error) from error


def run_dump(store: ox.Store, job: DumpJob) -> QueryAnswer:
    """The whole store as N-Quads (one line per quad, counted against the row limit), then in the asked format."""
    buffer = _LineCappedBuffer(job.max_rows)
    try:
        store.dump(buffer, format=ox.RdfFormat.N_QUADS)
    except _TooManyRows:
        raise QueryError(400, _too_many(job.max_rows, "quads") + "; GET /export streams the whole store") from None
    body = bytes(buffer.data)
    fmt = RDF_FORMATS[job.media_type]
    if fmt != ox.RdfFormat.N_QUADS:
        body = ox.serialize(ox.parse(body, format=ox.RdfFormat.N_QUADS), format=fmt, prefixes=EXPORT_PREFIXES)
    return QueryAnswer(body, job.media_type)


def _read_failure(job: QueryJob, error: OSError) -> QueryError:
    """A failed federated SERVICE call is the remote endpoint's fault (502); anything else is ours (500)."""
    if "SERVICE" in job.query.upper():
        return QueryError(502, f"the query failed, probably in a SERVICE call: {error}")
    return QueryError(500, f"reading the store failed: {error}")


def _serialize(result: ox.QueryBoolean | ox.QuerySolutions | ox.QueryTriples, job: QueryJob) -> QueryAnswer:
    """The answer in the best format the client accepts."""
    if isinstance(result, ox.QueryBoolean):
        media_type, fmt = _pick(job.accept, RESULT_FORMATS, "ASK")
        return QueryAnswer(result.serialize(format=fmt), media_type)
    if isinstance(result, ox.QuerySolutions):
        media_type, fmt = _pick(job.accept, RESULT_FORMATS, "SELECT")
        return _solutions(result, fmt, media_type, job.max_rows)
    media_type, fmt = _pick(job.accept, RDF_FORMATS, "CONSTRUCT/DESCRIBE")
    triples = _bounded(result, job.max_rows, "triples")
    if fmt in (ox.RdfFormat.N_QUADS, ox.RdfFormat.TRIG):
        triples = [ox.Quad(t.subject, t.predicate, t.object, ox.DefaultGraph()) for t in triples]
    return QueryAnswer(ox.serialize(triples, format=fmt), media_type)


def _pick(accept: tuple[str, ...], formats: dict[str, Any], form: str) -> tuple[str, Any]:
    chosen = choose(accept, formats)
    if chosen is None:
        raise QueryError(406, f"cannot answer a {form} query in {', '.join(accept)}; use one of {', '.join(formats)}")
    return chosen, formats[chosen]


def _too_many(max_rows: int, unit: str) -> str:
    return f"the answer has more than {max_rows} {unit} (POLKG_MAX_RESULT_ROWS); add a LIMIT or narrow the query"


def _bounded(items: Any, max_rows: int, unit: str) -> list[Any]:
    taken = list(itertools.islice(items, max_rows + 1))
    if len(taken) > max_rows:
        raise QueryError(400, _too_many(max_rows, unit))
    return taken


class _TooManyRows(Exception):
    """Raised from inside pyoxigraph's serializer to stop it."""


class _LineCappedBuffer(io.RawIOBase):
    """A growing byte buffer that stops the writer once it holds more than ``max_lines`` lines."""

    def __init__(self, max_lines: int) -> None:
        super().__init__()
        self.data = bytearray()
        self.lines = 0
        self.max_lines = max_lines

    def writable(self) -> bool:
        return True

    def write(self, chunk: bytes) -> int:  # type: ignore[override]
        self.lines += chunk.count(b"\n")
        if self.lines > self.max_lines:
            raise _TooManyRows
        self.data += chunk
        return len(chunk)


def _solutions(result: ox.QuerySolutions, fmt: ox.QueryResultsFormat, media_type: str, max_rows: int) -> QueryAnswer:
    """Serialize natively as TSV (one line per row, so rows are counted on the fly and the query stops at the limit),
    then convert to the requested format with pyoxigraph (TSV is lossless)."""
    buffer = _LineCappedBuffer(max_rows + 1)  # the header line, then the rows
    try:
        result.serialize(buffer, format=ox.QueryResultsFormat.TSV)
    except _TooManyRows:
        raise QueryError(400, _too_many(max_rows, "rows")) from None
    body = bytes(buffer.data)
    if fmt != ox.QueryResultsFormat.TSV:
        body = ox.parse_query_results(body, format=ox.QueryResultsFormat.TSV).serialize(format=fmt)
    return QueryAnswer(body, media_type)


