"""Pydantic models in and out of the REST API (documents in, events, actors and health out)."""

from __future__ import annotations

import datetime as dt
import hashlib
from enum import StrEnum
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from polkg.model import Document, EventType, Kind, Role, Status, Subtype

QID_PATTERN = r"^Q[1-9][0-9]*$"

#: The ``type`` filter of ``GET /events``: an event type, or a kind of meeting.
EventClass = StrEnum("EventClass", [(m.value, m.value) for m in (*EventType, *Subtype)])


def event_kind(value: EventClass) -> EventType | Subtype:
    """The model's EventType or Subtype named by an ``EventClass``."""
    return Subtype(value.value) if value.value in Subtype._value2member_map_ else EventType(value.value)


class DocumentIn(BaseModel):
    """A news text and its metadata, as ``POST /documents`` takes it (alone or in a list)."""

    model_config = ConfigDict(extra="ignore")

    id: str | None = Field(None, min_length=1, max_length=300, description="Defaults to a hash of the text")
    text: str = Field(min_length=1, description="The document's plain text")
    lang: Literal["fr", "en"] | None = Field(None, description="Detected when absent")
    published: dt.date | None = Field(None, description="Publication day; relative dates resolve against it")
    title: str | None = None
    url: str | None = None
    source: str | None = None

    def to_document(self) -> Document:
        """The pipeline's Document; the id defaults to the first 16 hex digits of the text's SHA-1."""
        default_id = hashlib.sha1(self.text.encode("utf-8")).hexdigest()[:16]
        return Document(
            id=self.id or default_id,
            text=self.text,
            lang=self.lang,
            published=self.published,
            title=self.title,
            url=self.url,
            source=self.source or "api",
        )


class ActorOut(BaseModel):
    """An actor of an extracted event (``Event.to_json`` shape)."""

    role: Role
    text: str
    name: str | None = None
    label: str | None = None
    qid: str | None = None
    kind: Kind
    start: int | None = None
    end: int | None = None


class MentionOut(BaseModel):
    """A span of the document reporting the event."""

    text: str
    start: int
    end: int


class EventOut(BaseModel):
    """An extracted event, exactly as ``polkg extract`` prints it (``Event.to_json``)."""

    doc: str
    id: str
    type: EventType
    subtype: Subtype | None = None
    status: Status
    actors: list[ActorOut]
    quote: str | None = None
    topic: str | None = None
    date: dt.date | None = None
    place: ActorOut | None = None
    body: ActorOut | None = None
    resolution: str | None = None
    sentence: str
    start: int
    end: int
    confidence: float
    mentions: list[MentionOut]


class DocumentProblem(BaseModel):
    """A document of the request that was skipped, and why."""

    index: int = Field(description="Position in the request (0 for a single document)")
    id: str | None = None
    reason: str


class IngestedDocument(BaseModel):
    """A document that was extracted, linked and stored."""

    id: str
    graph: str = Field(description="IRI of the document's named graph")
    status: Literal["stored", "unchanged"] = Field(
        description="unchanged: the same text and metadata were already stored (send force=true to redo it)"
    )
    events: int = Field(description="Events created (0 when unchanged)")


class IngestReport(BaseModel):
    """What ``POST /documents`` did: stored documents, skipped ones, and the events created."""

    documents: list[IngestedDocument]
    errors: list[DocumentProblem]
    events: list[EventOut]


class EventActor(BaseModel):
    """An actor as stored in the graph, with its role in one event."""

    iri: str
    role: str = Field(description="participant, speaker, addressee, abstainer, voter or body")
    qid: str | None = None
    label: str | None = None
    kind: Kind | None = None


class StoredEvent(BaseModel):
    """An event read back from the graph."""

    iri: str
    type: EventType
    subtype: Subtype | None = None
    status: Status | None = None
    date: dt.date | None = None
    graph: str | None = Field(None, description="The named graph (document) holding the event")
    document: str | None = Field(None, description="The document the event was extracted from")
    same_as: str | None = Field(None, description="The canonical event, when several documents report this one")
    actors: list[EventActor]
    quote: str | None = None
    topic: str | None = None
    resolution: str | None = None
    place: str | None = Field(None, description="The place's label")


class EventPage(BaseModel):
    """One page of ``GET /events``."""

    total: int
    limit: int
    offset: int
    items: list[StoredEvent]


class ActorDetail(BaseModel):
    """``GET /actors/{qid}``: a Wikidata-linked actor, its labels and its events."""

    qid: str
    iri: str
    label: str | None
    labels: dict[str, str] = Field(description="Labels by language tag")
    kind: Kind | None = None
    wikidata: str = Field(description="The entity's Wikidata page")
    events: list[StoredEvent]


class Health(BaseModel):
    """``GET /health``: the server is up and its store answers."""

    status: Literal["ok"] = "ok"
    version: str
    store: Literal["disk", "memory", "remote"]
    empty: bool = Field(description="True while the store holds no triple")


