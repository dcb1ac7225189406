"""How a case looks on the terminal and in JSON."""

from __future__ import annotations

import textwrap
from typing import Any

from guildhall.bargaining.records import Case, Event, Source
from guildhall.bargaining.rules import Step
from guildhall.services.case_views import setting_value

WIDTH = 100


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
        in_force = setting_value(case, conflict.setting)
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
