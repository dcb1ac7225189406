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
    }
    return out


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
        "documents": tuple(
            Document(
                d["id"],
                d["title"],
                d["publisher"],
                date.fromisoformat(d["published_on"]) if d["published_on"] else None,
                d["published_note"],
                d["url"],
                d["text"],
            )
            for d in data["documents"]
        ),
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
