"""How a case looks on the terminal and in JSON."""

from __future__ import annotations

import textwrap
from typing import Any

from guildhall.bargaining.records import Case, Event, Source
from guildhall.bargaining.rules import Step
from guildhall.bargaining.serialise import event_to_data, sources_to_data

WIDTH = 100


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
                "in_force": _setting_value(case, c.setting),
                "readings": [
                    {"value": r.value, "note": r.note, "sources": sources_to_data(r.sources)}
                    for r in c.readings
                ],
            }
            for c in case.conflicts
        ],
    }


def _setting_value(case: Case, setting: str | None) -> Any:
    if not setting:
        return None
    value: Any = case.settings
    for part in setting.split("."):
        value = value.get(part) if isinstance(value, dict) else None
    return value


def _wrap(text: str, indent: str) -> str:
    return textwrap.fill(text, WIDTH, initial_indent=indent, subsequent_indent=indent)


def _source_line(source: Source, indent: str) -> str:
    quote = source.quote if len(source.quote) < 160 else source.quote[:157] + "..."
    return _wrap(f"source: {source.document} — “{quote}”", indent)


def _event_lines(event: Event, guild: str) -> list[str]:
    who = "" if event.union == guild else f"[{event.union}] "
    flag = "" if event.certainty == "stated" else " (inferred)"
    head = f"{event.date.isoformat()}  {event.kind}{flag}"
    lines = [head, _wrap(f"{who}{event.summary}", "    ")]
    if event.assumption:
        lines.append(_wrap(f"assumption: {event.assumption}", "    "))
    lines.extend(_source_line(s, "    ") for s in event.sources)
    return lines


def case_to_text(case: Case, rules: dict[str, Any]) -> str:
    lines = [f"{case.id}: {case.title}", f"rules: {rules['title']}"]
    for question, vote in rules["votes"].items():
        window = f", within {vote['max_window_days']} days" if vote["max_window_days"] else ""
        lines.append(f"  {question}: {vote['describe']}{window}")
    lines.append("")
    lines.append(f"Timeline ({len(case.events)} events)")
    for event in case.timeline():
        lines.extend(_event_lines(event, case.guild))
    lines.append("")
    lines.append(f"Conflicts between sources ({len(case.conflicts)})")
    for conflict in case.conflicts:
        in_force = _setting_value(case, conflict.setting)
        setting = f"  [setting {conflict.setting} = {in_force}]" if conflict.setting else ""
        lines.append(f"! {conflict.topic}{setting}")
        for reading in conflict.readings:
            docs = ", ".join(dict.fromkeys(s.document for s in reading.sources))
            lines.append(_wrap(f"- {reading.value}  ({docs})", "    "))
        if conflict.note:
            lines.append(_wrap(f"note: {conflict.note}", "    "))
    return "\n".join(lines)


def steps_to_text(case: Case, steps: list[Step]) -> str:
    allowed = [s for s in steps if s.allowed]
    refused = [s for s in steps if not s.allowed]
    lines = [f"{case.id}: what the rules allow next", "", "Allowed now:"]
    for step in allowed:
        lines.append(f"  + {step.label}")
        lines.extend(_wrap(f"if: {c}", "      ") for c in step.conditions)
    lines.append("")
    lines.append("Refused now:")
    for step in refused:
        lines.append(f"  - {step.label}")
        for r in step.refusals:
            lines.append(_wrap(f"rule {r.rule}: {r.says} ({r.detail})", "      "))
    return "\n".join(lines)


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
