"""``POST /documents``: documents in, extracted, linked and stored; the events created out.

The extractor (spaCy models) and the linker (gazetteer) load once, on the first ingest, and are kept on
the application; a lock serialises ingests so the spaCy pipelines are never run by two threads at once.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable
from typing import Any

from fastapi import Request
from pydantic import ValidationError

from polkg.api.models import DocumentIn, DocumentProblem, EventOut, IngestedDocument, IngestReport
from polkg.api.settings import Settings
from polkg.graph.mapping import Run, document_triples, graph_iri
from polkg.graph.store import GraphStore, QueryError, StoreError
from polkg.model import Document, Event


class Ingestor:
    """Extract → link → store, one transaction per document."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self._lock = threading.Lock()
        self._extractor: Any = None
        self._linker: Any = None

    def ingest(self, items: Iterable[Any], store: GraphStore) -> IngestReport:
        """Store every valid document of ``items``; report the others."""
        documents: list[tuple[int, Document]] = []
        errors: list[DocumentProblem] = []
        for index, item in enumerate(items):
            try:
                documents.append((index, DocumentIn.model_validate(item).to_document()))
            except ValidationError as err:
                errors.append(DocumentProblem(index=index, id=_item_id(item), reason=_reason(err)))
        report = IngestReport(documents=[], errors=errors, events=[])
        if not documents:
            return report
        positions = {id(doc): index for index, doc in documents}
        with self._lock:
            extractor, linker = self._pipeline()
            run = Run(models=extractor_models(extractor))
            for doc, result in extractor.extract_stream(doc for _, doc in documents):
                index = positions[id(doc)]
                try:
                    if isinstance(result, Exception):
                        raise result
                    events = self._store(doc, result, linker, store, run)
                except (StoreError, QueryError, ValueError, RuntimeError) as err:
                    errors.append(DocumentProblem(index=index, id=doc.id, reason=f"{type(err).__name__}: {err}"))
                    continue
                report.documents.append(IngestedDocument(id=doc.id, graph=str(graph_iri(doc.id)), events=len(events)))
                report.events.extend(EventOut.model_validate(event.to_json()) for event in events)
        errors.sort(key=lambda problem: problem.index)
        return report

    @staticmethod
    def _store(doc: Document, events: list[Event], linker: Any, store: GraphStore, run: Run) -> list[Event]:
        linker.link(events, doc)
        store.replace_graph(graph_iri(doc.id), document_triples(doc, events, run))
        return events

    def _pipeline(self) -> tuple[Any, Any]:
        if self._extractor is None:
            from polkg.extractor import Extractor
            from polkg.linker import Linker

            self._linker = Linker.open(self.settings.gazetteer, online=self.settings.online)
            self._extractor = Extractor()
        return self._extractor, self._linker


def extractor_models(extractor: Any) -> tuple[tuple[str, str], ...]:
    """The (name, version) of the spaCy models the extractor has loaded, for the run's provenance."""
    return tuple(getattr(extractor, "models", ()) or ())


def get_ingestor(request: Request) -> Ingestor:
    """The application's Ingestor, created on first use."""
    state = request.app.state
    if getattr(state, "ingestor", None) is None:
        state.ingestor = Ingestor(state.settings)
    return state.ingestor


def _item_id(item: Any) -> str | None:
    value = item.get("id") if isinstance(item, dict) else None
    return value if isinstance(value, str) else None


def _reason(err: ValidationError) -> str:
    return "; ".join(f"{'.'.join(map(str, e['loc'])) or 'document'}: {e['msg']}" for e in err.errors())
