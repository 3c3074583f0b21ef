"""The wiring of polkg: documents → extractor → linker → graph.

:func:`build` streams outcomes, one per input document: ``stored`` (its named graph was replaced in one
transaction), ``unchanged`` (the stored content hash matches: skipped unless ``force``) or ``failed`` (unreadable,
extraction, linking or writing failed — the store keeps what it had and the batch goes on).
:func:`ingest` runs a whole batch and recomputes the cross-document links.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Literal, Protocol

from rdflib.namespace import DCTERMS

from polkg.documents import DocumentError
from polkg.graph.links import relink
from polkg.graph.mapping import CONTENT_HASH, Run, content_hash, document_triples, graph_iri
from polkg.graph.store import GraphStore, QueryError, StoreError
from polkg.model import Document, Event

if TYPE_CHECKING:
    from polkg.linker import Linker

Status = Literal["stored", "unchanged", "failed"]


class EventExtractor(Protocol):
    """What the pipeline needs from :class:`polkg.extractor.Extractor`."""

    def extract_stream(self, docs: Iterable[Document]) -> Iterator[tuple[Document, list[Event] | Exception]]: ...


class ActorLinker(Protocol):
    """What the pipeline needs from :class:`polkg.linker.Linker`."""

    def link(self, events: list[Event], doc: Document) -> list[Event] | None: ...


@dataclass
class Outcome:
    """What happened to one input document."""

    where: str
    status: Status
    doc_id: str | None = None
    graph: str | None = None
    events: list[Event] = field(default_factory=list)
    reason: str | None = None


def make_extractor() -> EventExtractor:
    """The project's extractor (spaCy models are loaded on first use)."""
    from polkg.extractor import Extractor

    return Extractor()


def open_linker(gazetteer: Path | None = None, online: bool = False) -> Linker:
    """The Wikidata linker over the offline gazetteer (and the Wikidata API when ``online``)."""
    from polkg.linker import Linker

    return Linker.open(gazetteer, online)


def models_used(lang: str | None) -> list[tuple[str, str]]:
    """(name, version) of the spaCy model that reads documents in ``lang``, for the PROV activity."""
    import spacy.util

    from polkg.extractor.pipeline import MODELS

    name = MODELS.get(lang or "")
    return [(name, spacy.util.get_package_version(name) or "unknown")] if name else []


def stored_hashes(store: GraphStore) -> dict[str, str]:
    """Content hash of every stored document, by document id."""
    rows = store.query(f"SELECT ?id ?hash WHERE {{ GRAPH ?g {{ ?doc <{CONTENT_HASH}> ?hash ; <{DCTERMS.identifier}> ?id }} }}")
    return {str(doc_id): str(digest) for doc_id, digest in rows}


def _language(doc: Document, lang: str | None) -> str:
    if doc.lang:
        return doc.lang
    if lang:
        return lang
    from polkg.extractor.language import detect_language

    return detect_language(doc.text)


def build(
    items: Iterable[Document | DocumentError],
    store: GraphStore,
    extractor: EventExtractor,
    linker: ActorLinker | None = None,
    *,
    force: bool = False,
    lang: str | None = None,
    run: Run | None = None,
) -> Iterator[Outcome]:
    """Extract, link and store every document of ``items``; yields one :class:`Outcome` per item."""
    run = run or Run()
    known = {} if force else stored_hashes(store)
    waiting: deque[Outcome] = deque()

    def to_extract() -> Iterator[Document]:
        for item in items:
            if isinstance(item, DocumentError):
                waiting.append(Outcome(item.where, "failed", reason=item.reason))
                continue
            item.lang = _language(item, lang)
            if known.get(item.id) == content_hash(item):
                waiting.append(Outcome(item.path or item.id, "unchanged", item.id, str(graph_iri(item.id))))
                continue
            yield item

    for doc, result in extractor.extract_stream(to_extract()):
        while waiting:
            yield waiting.popleft()
        yield _store(doc, result, store, linker, run)
    while waiting:
        yield waiting.popleft()


def _store(
    doc: Document, result: list[Event] | Exception, store: GraphStore, linker: ActorLinker | None, run: Run
) -> Outcome:
    where = doc.path or doc.id
    if isinstance(result, Exception):
        return Outcome(where, "failed", doc.id, reason=f"extraction failed: {result}")
    events = result
    if linker is not None:
        try:
            events = linker.link(events, doc) or events
        except Exception as err:  # one document's linking bug must not stop the batch
            return Outcome(where, "failed", doc.id, reason=f"linking failed: {type(err).__name__}: {err}")
    graph = graph_iri(doc.id)
    try:
        store.replace_graph(graph, document_triples(doc, events, run, models_used(doc.lang)))
    except (KeyError, ValueError, TypeError, OSError, QueryError, StoreError) as err:
        return Outcome(where, "failed", doc.id, reason=f"not stored: {type(err).__name__}: {err}")
    return Outcome(where, "stored", doc.id, str(graph), events)


def ingest(
    items: Iterable[Document | DocumentError],
    store: GraphStore,
    extractor: EventExtractor,
    linker: ActorLinker | None = None,
    *,
    force: bool = False,
) -> list[Outcome]:
    """Build a whole batch, then recompute the cross-document links (what ``POST /documents`` needs)."""
    outcomes = list(build(items, store, extractor, linker, force=force))
    if any(outcome.status == "stored" for outcome in outcomes):
        relink(store)
    return outcomes
