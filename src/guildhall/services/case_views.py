"""Plain-data views of a case, shared by the CLI's JSON output and the web API."""

from __future__ import annotations

from typing import Any

from guildhall.bargaining.records import Case
from guildhall.bargaining.rules import Step
from guildhall.bargaining.serialise import event_to_data, sources_to_data


def case_to_json(case: Case, rules: dict[str, Any]) -> dict[str, Any]:
    """The whole record: identity, rules in force, timeline and conflicts."""
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
        "documents": [
            {
                "id": d.id,
                "title": d.title,
                "publisher": d.publisher,
                "published_on": d.published_on.isoformat() if d.published_on else None,
                "published_note": d.published_note,
                "url": d.url,
            }
            for d in case.documents
        ],
        "events": [event_to_data(e) for e in case.timeline()],
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
