"""``POST /documents``: documents in, extracted, linked and stored by :func:`polkg.pipeline.ingest`; events out.

The extractor (spaCy models) and the linker (gazetteer) load once, on the first ingest, and are kept on
the application; a lock serialises ingests so the spaCy pipelines are never run by two threads at once.
"""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

from fastapi import HTTPException, Request, status
from pydantic import ValidationError

from polkg import pipeline
from polkg.api.models import DocumentIn, DocumentProblem, EventOut, IngestedDocument, IngestReport
from polkg.api.settings import Settings
from polkg.graph.store import GraphStore, QueryError, StoreError
from polkg.model import Document


class Ingestor:
    """Validates request items into Documents and runs the pipeline over them."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self._lock = threading.Lock()
        self._extractor: pipeline.EventExtractor | None = None
        self._linker: pipeline.ActorLinker | None = None

    def ingest(self, items: list[Any], store: GraphStore, force: bool = False) -> IngestReport:
        """Store every valid document of ``items``; report the others with their position in the request."""
        documents: list[Document] = []
        errors: list[DocumentProblem] = []
        for index, item in enumerate(items):
            try:
                document = DocumentIn.model_validate(item).to_document()
            except ValidationError as err:
                errors.append(DocumentProblem(index=index, id=_item_id(item), reason=_reason(err)))
                continue
            document.path = _where(index)
            documents.append(document)
        report = IngestReport(documents=[], errors=errors, events=[])
        if documents:
            with self._lock:
                extractor, linker = self._pipeline()
                try:
                    outcomes = pipeline.ingest(documents, store, extractor, linker, force=force)
                except (StoreError, QueryError) as err:
                    raise HTTPException(status.HTTP_503_SERVICE_UNAVAILABLE, f"the store failed: {err}") from err
            for outcome in outcomes:
                if outcome.status == "failed":
                    errors.append(DocumentProblem(index=_index(outcome.where), id=outcome.doc_id, reason=outcome.reason))
                    continue
                report.documents.append(
                    IngestedDocument(id=outcome.doc_id, graph=outcome.graph, status=outcome.status,
                                     events=len(outcome.events))
                )
                report.events.extend(EventOut.model_validate(event.to_json()) for event in outcome.events)
        errors.sort(key=lambda problem: problem.index)
        return report

    def _pipeline(self) -> tuple[pipeline.EventExtractor, pipeline.ActorLinker]:
        if self._extractor is None or self._linker is None:
            gazetteer = Path(self.settings.gazetteer) if self.settings.gazetteer else None
            try:
                self._linker = pipeline.open_linker(gazetteer, self.settings.online)
                self._extractor = pipeline.make_extractor()
            except (ImportError, OSError, ValueError) as err:
                raise HTTPException(
                    status.HTTP_503_SERVICE_UNAVAILABLE, f"the extractor or linker cannot load: {err}"
                ) from err
        return self._extractor, self._linker


def get_ingestor(request: Request) -> Ingestor:
    """The application's Ingestor, created on first use."""
    state = request.app.state
    if getattr(state, "ingestor", None) is None:
        state.ingestor = Ingestor(state.settings)
    return state.ingestor


def _where(index: int) -> str:
    return f"request[{index}]"


def _index(where: str) -> int:
    return int(where[len("request["):-1])


def _item_id(item: Any) -> str | None:
    value = item.get("id") if isinstance(item, dict) else None
    return value if isinstance(value, str) else None


def _reason(err: ValidationError) -> str:
    return "; ".join(f"{'.'.join(map(str, e['loc'])) or 'document'}: {e['msg']}" for e in err.errors())
