"""The data model: the contract between the pipeline's stages.

The extractor produces :class:`Event` objects from a :class:`Document`, the linker fills in
``qid``/``label``/``labels`` on their :class:`Actor` objects, and the graph layer maps them to RDF.
Nothing here knows about spaCy or RDF.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass, field
from enum import Enum
from typing import Any


class EventType(str, Enum):
    """Kinds of event polkg extracts (names match the ontology's classes)."""

    MEETING = "Meeting"
    STATEMENT = "Statement"
    VOTE_ABSTENTION = "VoteAbstention"
    VOTE_FOR = "VoteFor"
    VOTE_AGAINST = "VoteAgainst"
    VETO = "Veto"


class Subtype(str, Enum):
    """Subclasses of Meeting."""

    PHONE_CALL = "PhoneCall"
    VISIT = "Visit"


class Status(str, Enum):
    """Whether an event took place (names match the ontology's EventStatus individuals, lower-cased)."""

    HAPPENED = "happened"
    PLANNED = "planned"
    CANCELLED = "cancelled"
    NEGATED = "negated"


class Role(str, Enum):
    """The part an actor plays in an event."""

    PARTICIPANT = "participant"
    SPEAKER = "speaker"
    ADDRESSEE = "addressee"
    ABSTAINER = "abstainer"
    VOTER = "voter"


class Kind(str, Enum):
    """What sort of entity an actor is."""

    PERSON = "person"
    COUNTRY = "country"
    ORGANIZATION = "organization"
    GROUP = "group"
    PLACE = "place"


@dataclass
class Document:
    """A news text with its metadata. ``id`` is the sidecar/JSONL id, else the file's stem."""

    id: str
    text: str
    lang: str | None = None
    published: dt.date | None = None
    title: str | None = None
    url: str | None = None
    source: str | None = None
    path: str | None = None


@dataclass
class Mention:
    """A span of the document's text, by character offsets (``end`` exclusive)."""

    text: str
    start: int
    end: int


@dataclass
class Actor:
    """An entity taking part in an event.

    ``text`` is the mention as written in the event's sentence ("il", "M. Gallant"); ``name`` is the
    fullest name the document gives for the same entity ("Yoav Gallant") after in-document
    coreference; ``context`` holds role words found near it ("ministre israélien de la défense"),
    which the linker uses to disambiguate. ``qid``/``label``/``labels`` are filled by the linker.
    """

    text: str
    kind: Kind
    role: Role = Role.PARTICIPANT
    name: str | None = None
    start: int | None = None
    end: int | None = None
    context: str | None = None
    country: str | None = None
    qid: str | None = None
    label: str | None = None
    labels: dict[str, str] = field(default_factory=dict)

    @property
    def key(self) -> str:
        """Identity of the entity within its document: its QID when linked, else its folded name."""
        return self.qid or " ".join((self.name or self.text).casefold().split())


@dataclass
class Event:
    """One event, possibly reported by several mentions (sentences) of the same document."""

    doc: str
    id: str
    type: EventType
    status: Status = Status.HAPPENED
    subtype: Subtype | None = None
    actors: list[Actor] = field(default_factory=list)
    quote: str | None = None
    quote_lang: str | None = None
    topic: str | None = None
    date: dt.date | None = None
    place: Actor | None = None
    body: Actor | None = None
    resolution: str | None = None
    sentence: str = ""
    start: int = 0
    end: int = 0
    confidence: float = 0.5
    mentions: list[Mention] = field(default_factory=list)

    def actors_in(self, *roles: Role) -> list[Actor]:
        """The actors having one of ``roles``."""
        return [a for a in self.actors if a.role in roles]

    def to_json(self) -> dict[str, Any]:
        """The JSON object documented in the README (one per line of ``polkg extract``)."""
        return {
            "doc": self.doc,
            "id": self.id,
            "type": self.type.value,
            "subtype": self.subtype.value if self.subtype else None,
            "status": self.status.value,
            "actors": [_actor_json(a) for a in self.actors],
            "quote": self.quote,
            "topic": self.topic,
            "date": self.date.isoformat() if self.date else None,
            "place": _actor_json(self.place) if self.place else None,
            "body": _actor_json(self.body) if self.body else None,
            "resolution": self.resolution,
            "sentence": self.sentence,
            "start": self.start,
            "end": self.end,
            "confidence": round(self.confidence, 3),
            "mentions": [asdict(m) for m in self.mentions],
        }


def _actor_json(actor: Actor) -> dict[str, Any]:
    return {
        "role": actor.role.value,
        "text": actor.text,
        "name": actor.name,
        "label": actor.label,
        "qid": actor.qid,
        "kind": actor.kind.value,
        "start": actor.start,
        "end": actor.end,
    }
