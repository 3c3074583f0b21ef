"""The store: an rdflib :class:`~rdflib.Dataset` on Oxigraph (embedded, in memory) or on a remote SPARQL 1.1 store.

``open_store(location)`` picks the backend from the location:

- ``None`` or a path: the embedded, persistent Oxigraph store (RocksDB) in that directory (default ``./polkg-data``);
- ``"memory"``: an in-memory Oxigraph store (tests, throw-away runs);
- ``"http://…"`` / ``"https://…"``: a remote SPARQL 1.1 store reached through the Protocol (``<url>/query``),
  Update (``<url>/update``) and Graph Store HTTP Protocol (``<url>/store``) — the layout of ``oxigraph serve``.

Queries see the union of all named graphs as their default graph (locally; start a remote store with its
union-default-graph option for the same behaviour). Every write is one transaction: a document's graph is
replaced by a single SPARQL Update, so a failure leaves the store as it was.
"""

from __future__ import annotations

import io
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterable
from pathlib import Path
from types import TracebackType
from typing import IO, Any

import httpx
import pyoxigraph as ox
from oxrdflib import OxigraphStore
from rdflib import Dataset, Graph, URIRef
from rdflib.plugins.stores.sparqlstore import SPARQLUpdateStore
from rdflib.query import Result

from polkg.graph.terms import EXPORT_PREFIXES, Triple, insert_data, to_result

DEFAULT_LOCATION = Path("polkg-data")
MEMORY = "memory"

#: ``--format`` names of ``polkg export`` / ``load`` and their pyoxigraph formats.
FORMATS: dict[str, ox.RdfFormat] = {
    "turtle": ox.RdfFormat.TURTLE,
    "trig": ox.RdfFormat.TRIG,
    "nquads": ox.RdfFormat.N_QUADS,
    "ntriples": ox.RdfFormat.N_TRIPLES,
    "jsonld": ox.RdfFormat.JSON_LD,
}


#: polkg's prefixes, predeclared in every query and update (a query may redeclare them).
PROLOGUE = "".join(f"PREFIX {prefix}: <{ns}>\n" for prefix, ns in EXPORT_PREFIXES.items())


class QueryError(ValueError):
    """A SPARQL query or update that the store rejected (syntax or evaluation error): the caller's fault."""


class StoreError(RuntimeError):
    """The store could not be opened, read or written."""


def format_for(path: str | Path, name: str | None = None) -> ox.RdfFormat:
    """The RDF format named ``name``, else the one of ``path``'s suffix (``.ttl``, ``.nq``, ``.jsonld``…)."""
    if name:
        try:
            return FORMATS[name]
        except KeyError:
            raise ValueError(f"unknown format {name!r}: one of {', '.join(FORMATS)}") from None
    suffix = Path(path).suffix.lstrip(".").lower()
    found = ox.RdfFormat.from_extension(suffix) if suffix else None
    if found is None and suffix == "json":
        found = ox.RdfFormat.JSON_LD
    if found is None:
        raise ValueError(f"cannot tell the RDF format of {path}: use .ttl, .nt, .nq, .trig, .jsonld or --format")
    return found


class GraphStore(ABC):
    """An open store: ``.dataset`` (rdflib), ``.ox`` (pyoxigraph, or None when remote), queries and writes."""

    dataset: Dataset
    ox: ox.Store | None
    location: str
    read_only: bool = False

    @abstractmethod
    def query(self, sparql: str) -> Result:
        """Run a SPARQL query over the union of the graphs; the result is read completely (a half-read pyoxigraph
        iterator would keep the store locked). Raises :class:`QueryError` on a bad query."""

    @abstractmethod
    def query_serialized(self, sparql: str, accept: str) -> tuple[bytes, str]:
        """Run a query and serialise its result without building rdflib terms (the fast path).

        ``accept`` lists media types as an HTTP Accept header does: the first results format (SPARQL JSON, XML, CSV,
        TSV) for SELECT/ASK, the first RDF format (N-Triples, Turtle, JSON-LD…) for CONSTRUCT/DESCRIBE; SPARQL
        JSON / N-Triples otherwise. Returns (body, media type).
        """

    @abstractmethod
    def update(self, sparql: str) -> None:
        """Run a SPARQL 1.1 Update as one transaction."""

    def replace_graph(self, graph: URIRef, triples: Iterable[Triple]) -> None:
        """Make ``graph`` hold exactly ``triples``, in one transaction (on failure the old graph is kept)."""
        body = insert_data(triples, graph)  # built completely before anything is written
        self.update(f"DROP SILENT GRAPH {_iri(graph)} ;\n{body}")

    def drop_graph(self, graph: URIRef) -> None:
        """Remove a named graph and its triples (nothing happens if it does not exist)."""
        self.update(f"DROP SILENT GRAPH {_iri(graph)}")

    def graphs(self) -> list[URIRef]:
        """The IRIs of the named graphs."""
        return sorted(row[0] for row in self.query("SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }"))

    def count(self, graph: URIRef | None = None) -> int:
        """Number of quads in one named graph, or in all the named graphs."""
        where = f"GRAPH {_iri(graph)} {{ ?s ?p ?o }}" if graph else "GRAPH ?g { ?s ?p ?o }"
        return int(next(iter(self.query(f"SELECT (COUNT(*) AS ?n) WHERE {{ {where} }}")))[0])

    @abstractmethod
    def load(self, source: str | Path, fmt: ox.RdfFormat, graph: URIRef | None = None, *, bulk: bool = False) -> None:
        """Import an RDF file in one transaction; triples go to ``graph`` (default graph when None).

        ``bulk`` (embedded store only) streams the file with pyoxigraph's ``bulk_load``: about twice as fast and
        memory-light, but not transactional — a file that is bad half-way stays half-loaded.
        """

    @abstractmethod
    def dump(self, output: IO[bytes], fmt: ox.RdfFormat, graph: URIRef | None = None) -> None:
        """Write the store (or one graph) with polkg's prefixes; triple formats get the union of all graphs."""

    def _writable(self) -> None:
        if self.read_only:
            raise StoreError(f"the store at {self.location} was opened read-only")

    def close(self) -> None:
        """Release the store (the RocksDB lock of a local store)."""

    def __enter__(self) -> GraphStore:
        return self

    def __exit__(self, kind: type[BaseException] | None, value: BaseException | None, tb: TracebackType | None) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.location}>"


def dump_oxigraph(store: ox.Store, output: IO[bytes], fmt: ox.RdfFormat, graph: URIRef | None) -> None:
    """Serialise a pyoxigraph store: the whole dataset or one graph (named, in TriG, N-Quads, JSON-LD), or in
    Turtle/N-Triples one graph's triples or the union of all graphs."""
    if graph is not None and fmt.supports_datasets:  # keep the graph's name
        quads = store.quads_for_pattern(None, None, None, ox.NamedNode(str(graph)))
        ox.serialize(quads, output, fmt, prefixes=EXPORT_PREFIXES)
    elif graph is not None:
        store.dump(output, fmt, from_graph=ox.NamedNode(str(graph)), prefixes=EXPORT_PREFIXES)
    elif fmt.supports_datasets:
        store.dump(output, fmt, prefixes=EXPORT_PREFIXES)
    else:
        triples = store.query("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }", use_default_graph_as_union=True)
        ox.serialize(triples, output, fmt, prefixes=EXPORT_PREFIXES)


def _iri(iri: URIRef | str) -> str:
    """``<iri>`` for a SPARQL string; ValueError if it is not a valid IRI (nothing can be injected)."""
    return str(ox.NamedNode(str(iri)))


def _first(accept: str, parse: Callable[[str], Any]) -> Any:
    """The first media type of an Accept list that ``parse`` knows (its format), else None."""
    for part in accept.split(","):
        found = parse(part.split(";")[0].strip())
        if found is not None:
            return found
    return None


def _bind_prefixes(dataset: Dataset) -> Dataset:
    for prefix, namespace in EXPORT_PREFIXES.items():
        dataset.bind(prefix, namespace, override=True, replace=True)
    return dataset


class LocalStore(GraphStore):
    """rdflib on an embedded Oxigraph store (on disk, or in memory)."""

    def __init__(self, location: str | Path, *, read_only: bool = False) -> None:
        self.location = str(location)
        try:
            if self.location == MEMORY:
                self.ox = ox.Store()
            elif read_only:
                if not Path(location).is_dir():
                    raise StoreError(f"no store at {location}")
                self.ox = ox.Store.read_only(str(location))
            else:
                self.ox = ox.Store(str(location))
        except OSError as err:
            raise StoreError(f"cannot open the store at {location}: {err}") from err
        self.read_only = read_only
        self.dataset = _bind_prefixes(Dataset(store=OxigraphStore(store=self.ox), default_union=True))

    def query(self, sparql: str) -> Result:
        return to_result(self._raw_query(sparql))

    def _raw_query(self, sparql: str) -> ox.QuerySolutions | ox.QueryBoolean | ox.QueryTriples:
        try:
            return self._ox.query(sparql, use_default_graph_as_union=True, prefixes=EXPORT_PREFIXES)
        except (SyntaxError, ValueError, RuntimeError) as err:
            raise QueryError(str(err)) from err

    def query_serialized(self, sparql: str, accept: str) -> tuple[bytes, str]:
        raw = self._raw_query(sparql)
        if isinstance(raw, ox.QueryTriples):
            fmt = _first(accept, ox.RdfFormat.from_media_type) or ox.RdfFormat.N_TRIPLES
            return ox.serialize(raw, None, fmt, prefixes=EXPORT_PREFIXES), fmt.media_type
        results_format = _first(accept, ox.QueryResultsFormat.from_media_type) or ox.QueryResultsFormat.JSON
        return raw.serialize(None, results_format), results_format.media_type

    def update(self, sparql: str) -> None:
        # Straight to pyoxigraph: rdflib's Dataset would route a union-graph update to its own slow engine.
        self._writable()
        try:
            self._ox.update(sparql, prefixes=EXPORT_PREFIXES)
        except (SyntaxError, ValueError, RuntimeError) as err:
            raise QueryError(str(err)) from err
        except OSError as err:
            raise StoreError(f"write failed on {self.location}: {err}") from err

    def load(self, source: str | Path, fmt: ox.RdfFormat, graph: URIRef | None = None, *, bulk: bool = False) -> None:
        self._writable()
        target = ox.NamedNode(str(graph)) if graph else None
        try:
            (self._ox.bulk_load if bulk else self._ox.load)(path=str(source), format=fmt, to_graph=target)
        except SyntaxError as err:
            raise ValueError(f"{source}: {err}") from err
        except OSError as err:
            raise StoreError(f"cannot load {source}: {err}") from err

    def dump(self, output: IO[bytes], fmt: ox.RdfFormat, graph: URIRef | None = None) -> None:
        dump_oxigraph(self._ox, output, fmt, graph)

    def count(self, graph: URIRef | None = None) -> int:
        """Number of quads in one named graph, or in the whole store (default graph included)."""
        return super().count(graph) if graph else len(self._ox)

    @property
    def _ox(self) -> ox.Store:
        if self.ox is None:
            raise StoreError(f"the store at {self.location} is closed")
        return self.ox

    def close(self) -> None:
        if self.ox is not None:
            self.dataset.close()
            self.ox = None


class RemoteStore(GraphStore):
    """A remote SPARQL 1.1 store (Oxigraph server, Fuseki, GraphDB…) over HTTP."""

    def __init__(self, url: str, *, read_only: bool = False, timeout: float = 60.0) -> None:
        self.location = url.rstrip("/")
        self.read_only = read_only
        self.query_url = self.location + "/query"
        self.update_url = self.location + "/update"
        self.store_url = self.location + "/store"
        self.ox = None
        self._http = httpx.Client(timeout=timeout, headers={"User-Agent": "polkg"})
        self.dataset = _bind_prefixes(
            Dataset(store=SPARQLUpdateStore(self.query_url, self.update_url), default_union=True)
        )

    def _send(self, method: str, url: str, **kwargs: Any) -> httpx.Response:
        try:
            response = self._http.request(method, url, **kwargs)
        except httpx.HTTPError as err:
            raise StoreError(f"cannot reach {url}: {err}") from err
        if 400 <= response.status_code < 500:
            raise QueryError(f"{response.status_code} from {url}: {response.text.strip()}")
        if response.status_code >= 500:
            raise StoreError(f"{response.status_code} from {url}: {response.text.strip()}")
        return response

    def query(self, sparql: str) -> Result:
        accept = "application/sparql-results+json, application/n-triples;q=0.9"
        response = self._send("POST", self.query_url, data={"query": PROLOGUE + sparql}, headers={"Accept": accept})
        media_type = response.headers.get("content-type", "").split(";")[0].strip()
        if media_type == "application/n-triples":
            result = Result("CONSTRUCT")
            result.graph = Graph().parse(data=response.content, format="nt")
            return result
        return Result.parse(io.BytesIO(response.content), format="json")

    def query_serialized(self, sparql: str, accept: str) -> tuple[bytes, str]:
        response = self._send("POST", self.query_url, data={"query": PROLOGUE + sparql}, headers={"Accept": accept})
        return response.content, response.headers.get("content-type", "")

    def update(self, sparql: str) -> None:
        self._writable()
        self._send(
            "POST", self.update_url, content=(PROLOGUE + sparql).encode(),
            headers={"Content-Type": "application/sparql-update"},
        )

    def load(self, source: str | Path, fmt: ox.RdfFormat, graph: URIRef | None = None, *, bulk: bool = False) -> None:
        self._writable()
        params = {"graph": str(graph)} if graph else ({} if fmt.supports_datasets else {"default": ""})
        with open(source, "rb") as handle:
            self._send(
                "POST", self.store_url, params=params, content=handle.read(),
                headers={"Content-Type": fmt.media_type},
            )

    def dump(self, output: IO[bytes], fmt: ox.RdfFormat, graph: URIRef | None = None) -> None:
        params = {"graph": str(graph)} if graph else {}
        accept = ox.RdfFormat.N_TRIPLES if graph else ox.RdfFormat.N_QUADS
        response = self._send("GET", self.store_url, params=params, headers={"Accept": accept.media_type})
        local = ox.Store()
        target = ox.NamedNode(str(graph)) if graph else None
        local.load(response.content, accept, to_graph=target)
        dump_oxigraph(local, output, fmt, graph)

    def close(self) -> None:
        self._http.close()


def open_store(location: str | Path | None = None, *, read_only: bool = False) -> GraphStore:
    """Open the store at ``location`` (a directory, ``"memory"``, or an ``http(s)://`` SPARQL store URL)."""
    if location is None:
        location = DEFAULT_LOCATION
    if isinstance(location, str) and location.startswith(("http://", "https://")):
        return RemoteStore(location, read_only=read_only)
    return LocalStore(location, read_only=read_only)
