"""Plain-data views of a case, shared by the CLI's JSON output and the web API."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from guildhall.bargaining.corrections import superseded
from guildhall.bargaining.documents import is_web_address
from guildhall.bargaining.records import Case, Document, Event, Source
from guildhall.bargaining.rules import Step
from guildhall.bargaining.serialise import document_to_data, event_to_data
from guildhall.services.case_loading import LoadResult
from guildhall.store.cases_repo import Loaded


def web_address(url: str | None) -> str | None:
    """``url`` when it may be shown as a link (http or https), else ``None``."""
    return url if url is not None and is_web_address(url) else None


def cited(sources: tuple[Source, ...], documents: Mapping[str, Document]) -> list[dict[str, Any]]:
    """Sources with the record of the document each cites: title, publisher, date, URL."""
    out: list[dict[str, Any]] = []
    for source in sources:
        item: dict[str, Any] = dict(source.as_dict())
        document = documents.get(source.document)
        if document is not None:
            item["cites"] = {
                "title": document.title,
                "publisher": document.publisher,
                "published_on": document.published_on.isoformat()
                if document.published_on
                else None,
                "url": document.url,
            }
        out.append(item)
    return out


def document_to_json(document: Document) -> dict[str, Any]:
    """A document's record and its text (``None`` when the record does not hold it)."""
    return document_to_data(document, text=True)


def event_to_json(event: Event, documents: Mapping[str, Document] | None = None) -> dict[str, Any]:
    """An event as data; with ``documents``, each source names the document it cites."""
    data = event_to_data(event)
    if documents is not None:
        data["sources"] = cited(event.sources, documents)
    return data


def timeline_to_json(case: Case) -> list[dict[str, Any]]:
    """Every logged event in date order, each saying whether it is in force and, if not,
    which later event corrected or retracted it."""
    documents = {d.id: d for d in case.all_documents()}
    later = superseded(case.events)
    out = []
    for event in case.timeline():
        data = event_to_json(event, documents)
        by = later.get(event.seq) if event.seq is not None else None
        data["in_force"] = by is None and not event.retracts
        data["corrected_by"] = by.seq if by is not None and not by.retracts else None
        data["retracted_by"] = by.seq if by is not None and by.retracts else None
        out.append(data)
    return out


def load_to_json(result: LoadResult) -> dict[str, Any]:
    return {
        "case": result.case.id,
        "status": result.status,
        "version": result.version,
        "events": len(result.case.events),
        "conflicts": len(result.case.conflicts),
        "differences": [d.as_dict() for d in result.differences],
        "needs_force": result.needs_force,
    }


def versions_to_json(rows: list[Loaded]) -> list[dict[str, Any]]:
    return [
        {
            "version": v.version,
            "loaded_at": v.loaded_at.isoformat(),
            "loaded_by": v.loaded_by,
            "source_file": v.source_file,
            "source_sha256": v.source_sha256,
            "events": v.events,
            "in_force": v.in_force,
        }
        for v in rows
    ]


def case_to_json(case: Case, rules: dict[str, Any]) -> dict[str, Any]:
    """The whole record: identity, rules in force, documents, timeline and conflicts; every
    source names the document it cites."""
    documents = {d.id: d for d in case.all_documents()}

    def sources_to_data(sources: tuple[Source, ...]) -> list[dict[str, Any]]:
        return cited(sources, documents)

    return {
        "case": {
            "id": case.id,
            "title": case.title,
            "guild": case.guild,
            "description": case.description,
            "rules": case.rules,
            "settings": dict(case.settings),
        },
        "rules": rules,
        "parties": [{"id": p.id, "name": p.name, "role": p.role} for p in case.parties],
        "bodies": [
            {"id": b.id, "party": b.party, "name": b.name, "powers": b.powers, "size": b.size}
            for b in case.bodies
        ],
        "people": [
            {
                "id": p.id,
                "name": p.name,
                "party": p.party,
                "roles": list(p.roles),
                "sources": sources_to_data(p.sources),
            }
            for p in case.people
        ],
        "agreements": [
            {
                "id": a.id,
                "role": a.role,
                "summary": a.summary,
                "sources": sources_to_data(a.sources),
            }
            for a in case.agreements
        ],
        "facts": [
            {
                "id": f.id,
                "topic": f.topic,
                "value": f.value,
                "unit": f.unit,
                "sources": sources_to_data(f.sources),
            }
            for f in case.facts
        ],
        "documents": [document_to_data(d, text=False) for d in case.all_documents()],
        "events": timeline_to_json(case),
        "conflicts": [
            {
                "id": c.id,
                "topic": c.topic,
                "note": c.note,
                "setting": c.setting,
                "in_force": setting_value(case, c.setting),
                "readings": [
                    {"value": r.value, "note": r.note, "sources": sources_to_data(r.sources)}
                    for r in c.readings
                ],
            }
            for c in case.conflicts
        ],
    }


def setting_value(case: Case, setting: str | None) -> Any:
    if not setting:
        return None
    value: Any = case.settings
    for part in setting.split("."):
        value = value.get(part) if isinstance(value, dict) else None
    return value


def steps_to_json(steps: list[Step]) -> list[dict[str, Any]]:
    return [
        {
            "kind": s.kind,
            "variant": dict(s.variant),
            "allowed": s.allowed,
            "refusals": [{"rule": r.rule, "says": r.says, "detail": r.detail} for r in s.refusals],
            "conditions": list(s.conditions),
        }
        for s in steps
    ]
