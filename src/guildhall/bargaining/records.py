"""The case record's facts, as small immutable values."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, Literal

RETRACTION = "retraction"

Certainty = Literal["stated", "inferred"]
CERTAINTIES: tuple[Certainty, ...] = ("stated", "inferred")


@dataclass(frozen=True)
class Source:
    """Where a fact comes from: a document id and the sentence quoted from it."""

    document: str
    quote: str
    url: str | None = None

    def as_dict(self) -> dict[str, str]:
        out = {"document": self.document, "quote": self.quote}
        if self.url:
            out["url"] = self.url
        return out


@dataclass(frozen=True)
class Document:
    """A source document the case cites; ``text`` is held when the case ships it."""

    id: str
    title: str
    publisher: str | None = None
    published_on: date | None = None
    published_note: str | None = None
    url: str | None = None
    text: str | None = None


@dataclass(frozen=True)
class Party:
    id: str
    name: str
    role: str
    sources: tuple[Source, ...] = ()


@dataclass(frozen=True)
class Body:
    """A body of a party that acts on its own: a negotiating committee, a board, the membership."""

    id: str
    party: str
    name: str
    powers: str | None = None
    size: int | None = None
    sources: tuple[Source, ...] = ()


@dataclass(frozen=True)
class Person:
    id: str
    name: str
    party: str
    roles: tuple[str, ...]
    sources: tuple[Source, ...] = ()


@dataclass(frozen=True)
class AgreementInPlay:
    """An agreement or offer the case is about, named by its terms file id."""

    id: str
    role: str
    summary: str
    sources: tuple[Source, ...] = ()


@dataclass(frozen=True)
class Fact:
    """A figure the sources state (120,000 members, ~$60 million owed)."""

    id: str
    topic: str
    value: str
    sources: tuple[Source, ...]
    unit: str | None = None


@dataclass(frozen=True)
class Event:
    """One dated entry of the case log.

    ``union`` names the union the event concerns (the case's guild by default); the
    guild's rules apply only to its own events. ``details`` holds the kind's own fields
    (``question``, ``yes``, ``agreement`` ...). ``seq`` is the log position, set by the store.

    An event is never changed once logged. ``corrects`` is the log position of an earlier
    event this one corrects (it takes that event's place) or, for a ``retraction``, withdraws.
    ``documents`` are source documents the event brings into the record. ``recorded_by`` and
    ``recorded_at`` say who logged it and when, apart from ``date``, when it happened.
    """

    date: date
    kind: str
    summary: str
    certainty: Certainty
    sources: tuple[Source, ...]
    union: str
    id: str | None = None
    assumption: str | None = None
    parties: tuple[str, ...] = ()
    by: str | None = None
    details: Mapping[str, Any] = field(default_factory=dict)
    seq: int | None = None
    corrects: int | None = None
    documents: tuple[Document, ...] = ()
    recorded_by: str | None = None
    recorded_at: datetime | None = None

    @property
    def retracts(self) -> bool:
        return self.kind == RETRACTION

    def label(self) -> str:
        """``#12 final-offer`` or ``#12 (2008-06-30 offer_made)``: how messages name an event."""
        number = f"#{self.seq}" if self.seq is not None else "the new event"
        return f"{number} {self.id}" if self.id else f"{number} ({self.date} {self.kind})"

    def detail(self, name: str) -> Any:
        return self.details.get(name)


@dataclass(frozen=True)
class Reading:
    """One source's version of a disputed fact."""

    value: str
    sources: tuple[Source, ...]
    note: str | None = None


@dataclass(frozen=True)
class Conflict:
    """Sources that disagree; the record keeps every reading."""

    id: str
    topic: str
    readings: tuple[Reading, ...]
    note: str | None = None
    setting: str | None = None


@dataclass(frozen=True)
class Case:
    """A bargaining case: who is in it, what it is about, and what happened, in order."""

    id: str
    title: str
    guild: str
    rules: str
    settings: Mapping[str, Any]
    parties: tuple[Party, ...]
    bodies: tuple[Body, ...]
    people: tuple[Person, ...]
    agreements: tuple[AgreementInPlay, ...]
    facts: tuple[Fact, ...]
    documents: tuple[Document, ...]
    events: tuple[Event, ...]
    conflicts: tuple[Conflict, ...]
    description: str | None = None

    def actor_ids(self) -> set[str]:
        return {p.id for p in self.parties} | {b.id for b in self.bodies}

    def timeline(self) -> tuple[Event, ...]:
        """Every logged event in date order (corrected and retracted ones too); on the same
        date, in the order they were logged."""
        return in_date_order(self.events)

    def all_documents(self) -> tuple[Document, ...]:
        """The case's documents and those its events brought in, in the order they came."""
        return self.documents + tuple(d for e in self.events for d in e.documents)

    def document(self, document_id: str) -> Document | None:
        return next((d for d in self.all_documents() if d.id == document_id), None)


def in_date_order(events: tuple[Event, ...] | list[Event]) -> tuple[Event, ...]:
    return tuple(sorted(events, key=lambda e: (e.date, e.seq if e.seq is not None else 0)))
