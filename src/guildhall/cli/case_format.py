"""How a case looks on the terminal."""

from __future__ import annotations

import textwrap
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from guildhall.bargaining.corrections import superseded
from guildhall.bargaining.records import Case, Document, Event, Source
from guildhall.bargaining.rules import Step
from guildhall.services.case_loading import LoadResult
from guildhall.services.case_views import setting_value, web_address
from guildhall.services.cases import Loaded

WIDTH = 100


def _wrap(text: str, indent: str) -> str:
    return textwrap.fill(text, WIDTH, initial_indent=indent, subsequent_indent=indent)


def document_line(document: Document) -> str:
    """``Title — Publisher, 2008-10-31 <https://...>``: how a cited document is named."""
    parts = [document.title]
    where = ", ".join(
        p
        for p in (document.publisher, document.published_on and document.published_on.isoformat())
        if p
    )
    if where:
        parts.append(f"— {where}")
    url = web_address(document.url)
    if url:
        parts.append(f"<{url}>")
    return " ".join(parts)


def _source_lines(source: Source, documents: Mapping[str, Document], indent: str) -> list[str]:
    quote = source.quote if len(source.quote) < 160 else source.quote[:157] + "..."
    lines = [_wrap(f"source: “{quote}”", indent)]
    document = documents.get(source.document)
    named = document_line(document) if document else "(a document not in the record)"
    lines.append(_wrap(f"from {source.document}: {named}", indent + "  "))
    url = web_address(source.url)
    if url:
        lines.append(_wrap(f"at <{url}>", indent + "  "))
    return lines


def _event_lines(
    event: Event, case: Case, documents: Mapping[str, Document], later: Mapping[int, Event]
) -> list[str]:
    who = "" if event.union == case.guild else f"[{event.union}] "
    flag = "" if event.certainty == "stated" else " (inferred)"
    marks = []
    if event.corrects is not None:
        marks.append(f"{'retracts' if event.retracts else 'corrects'} #{event.corrects}")
    by = later.get(event.seq) if event.seq is not None else None
    if by is not None:
        marks.append(f"{'RETRACTED' if by.retracts else 'CORRECTED'} by #{by.seq}")
    mark = f"  [{'; '.join(marks)}]" if marks else ""
    head = f"{event.date.isoformat()}  {event.kind}{flag}  #{event.seq}{mark}"
    lines = [head, _wrap(f"{who}{event.summary}", "    ")]
    if event.assumption:
        lines.append(_wrap(f"assumption: {event.assumption}", "    "))
    for s in event.sources:
        lines.extend(_source_lines(s, documents, "    "))
    if event.recorded_by or event.recorded_at:
        at = event.recorded_at.isoformat(timespec="seconds") if event.recorded_at else "?"
        lines.append(f"    recorded {at} by {event.recorded_by or 'unknown'}")
    return lines


def case_to_text(case: Case, rules: dict[str, Any]) -> str:
    documents = {d.id: d for d in case.all_documents()}
    later = {k: v for k, v in superseded(case.events).items() if k is not None}
    lines = [f"{case.id}: {case.title}", f"rules: {rules['title']}"]
    for question, vote in rules["votes"].items():
        window = f", within {vote['max_window_days']} days" if vote["max_window_days"] else ""
        lines.append(f"  {question}: {vote['describe']}{window}")
    lines.append("")
    lines.append(f"Timeline ({len(case.events)} events)")
    for event in case.timeline():
        lines.extend(_event_lines(event, case, documents, later))
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
    lines.append("")
    lines.append(f"Source documents ({len(documents)})")
    for document in documents.values():
        held = "" if document.text is not None else "  (text not held)"
        lines.append(_wrap(f"{document.id}: {document_line(document)}{held}", "  "))
    return "\n".join(lines)


def event_recorded_text(event: Event) -> str:
    what = ""
    if event.corrects is not None:
        what = f" ({'retracts' if event.retracts else 'corrects'} #{event.corrects})"
    return f"recorded #{event.seq}: {event.date.isoformat()} {event.kind}{what}"


def load_to_text(result: LoadResult, file: Path) -> str:
    case = result.case
    if result.status == "loaded":
        return f"loaded {case.id}: {len(case.events)} events, {len(case.conflicts)} conflicts"
    if result.status == "unchanged":
        return f"{case.id} is in the store already; {file} is unchanged (version {result.version})"
    head = (
        f"{case.id} in the store (version {result.version}) differs from {file}:"
        if result.status == "differs"
        else f"replaced {case.id}: version {result.version}, {len(case.events)} events; "
        f"version {result.version - 1} is kept (guildhall case show {case.id} "
        f"--at-version {result.version - 1}). What changed:"
    )
    return "\n".join([head, *(f"  {d}" for d in result.differences)])


def versions_to_text(case_id: str, rows: list[Loaded]) -> str:
    lines = [f"{case_id}: versions"]
    for v in rows:
        mark = "  (in force)" if v.in_force else ""
        lines.append(
            f"  {v.version:>3}  {v.loaded_at.isoformat(timespec='seconds')}  "
            f"by {v.loaded_by or 'unknown'}  {v.events} events  {v.source_file or ''}{mark}"
        )
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
