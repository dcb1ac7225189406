"""Case records to plain data (JSON-ready dicts) and back, for the store and for output."""

from __future__ import annotations

from dataclasses import asdict
from datetime import date
from typing import Any

from guildhall.bargaining.records import (
    AgreementInPlay,
    Body,
    Case,
    Conflict,
    Document,
    Event,
    Fact,
    Party,
    Person,
    Reading,
    Source,
)


def sources_to_data(sources: tuple[Source, ...]) -> list[dict[str, str]]:
    return [s.as_dict() for s in sources]


def sources_from_data(items: list[dict[str, Any]]) -> tuple[Source, ...]:
    return tuple(Source(i["document"], i["quote"], i.get("url")) for i in items)


def event_to_data(event: Event) -> dict[str, Any]:
    out: dict[str, Any] = {
        "seq": event.seq,
        "id": event.id,
        "date": event.date.isoformat(),
        "kind": event.kind,
        "union": event.union,
        "summary": event.summary,
        "certainty": event.certainty,
        "assumption": event.assumption,
        "by": event.by,
        "parties": list(event.parties),
        "details": dict(event.details),
        "sources": sources_to_data(event.sources),
        "corrects": event.corrects,
        "documents": [document_to_data(d, text=False) for d in event.documents],
        "recorded_by": event.recorded_by,
        "recorded_at": event.recorded_at.isoformat() if event.recorded_at else None,
    }
    return out


def document_to_data(document: Document, *, text: bool = True) -> dict[str, Any]:
    """A document's record: title, publisher, dates, address and (when asked) its text."""
    out: dict[str, Any] = {
        "id": document.id,
        "title": document.title,
        "publisher": document.publisher,
        "published_on": document.published_on.isoformat() if document.published_on else None,
        "published_note": document.published_note,
        "url": document.url,
        "has_text": document.text is not None,
    }
    if text:
        out["text"] = document.text
    return out


def document_from_data(d: dict[str, Any]) -> Document:
    return Document(
        d["id"],
        d["title"],
        d.get("publisher"),
        date.fromisoformat(d["published_on"]) if d.get("published_on") else None,
        d.get("published_note"),
        d.get("url"),
        d.get("text"),
    )


def record_to_data(case: Case) -> dict[str, Any]:
    """Everything about a case except its events (which the store keeps row by row)."""

    def plain(items: tuple[Any, ...]) -> list[dict[str, Any]]:
        return [_jsonable(asdict(i)) for i in items]

    return {
        "parties": plain(case.parties),
        "bodies": plain(case.bodies),
        "people": plain(case.people),
        "agreements": plain(case.agreements),
        "facts": plain(case.facts),
        "documents": plain(case.documents),
        "conflicts": plain(case.conflicts),
    }


def _jsonable(value: Any) -> Any:
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    return value


def record_from_data(data: dict[str, Any]) -> dict[str, Any]:
    """The keyword arguments of ``Case`` (less the identity and events) from stored data."""

    def src(item: dict[str, Any]) -> tuple[Source, ...]:
        return sources_from_data(item.get("sources", []))

    return {
        "parties": tuple(Party(p["id"], p["name"], p["role"], src(p)) for p in data["parties"]),
        "bodies": tuple(
            Body(b["id"], b["party"], b["name"], b["powers"], b["size"], src(b))
            for b in data["bodies"]
        ),
        "people": tuple(
            Person(p["id"], p["name"], p["party"], tuple(p["roles"]), src(p))
            for p in data["people"]
        ),
        "agreements": tuple(
            AgreementInPlay(a["id"], a["role"], a["summary"], src(a)) for a in data["agreements"]
        ),
        "facts": tuple(
            Fact(f["id"], f["topic"], f["value"], src(f), f["unit"]) for f in data["facts"]
        ),
        "documents": tuple(document_from_data(d) for d in data["documents"]),
        "conflicts": tuple(
            Conflict(
                c["id"],
                c["topic"],
                tuple(Reading(r["value"], src(r), r["note"]) for r in c["readings"]),
                c["note"],
                c["setting"],
            )
            for c in data["conflicts"]
        ),
    }
