"""Bargaining cases: read the record, and append events that pass every check a case file's
events pass (sources, ids, parties, dates, corrections) and leave the whole log within the
rules. Loading case files is in ``case_loading``."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import Any

from guildhall.bargaining.checks import check_against_log
from guildhall.bargaining.corrections import in_force
from guildhall.bargaining.eventfile import read_event
from guildhall.bargaining.records import Case, Document, Event
from guildhall.bargaining.rulebook import Rulebook
from guildhall.bargaining.rules import Step, next_steps
from guildhall.core.clock import Clock, SystemClock
from guildhall.core.errors import InvalidInput, NotFound, RuleRefused
from guildhall.core.problems import Location
from guildhall.files.located_yaml import PathKey, YamlDocument, read_yaml
from guildhall.files.shape import Shape
from guildhall.services.case_loading import (
    LoadResult,
    check_case_file,
    default_case_file,
    load_case_file,
    load_demo_case,
)
from guildhall.services.case_rules import breach_problem, new_breaches, rulebook_for, rules_file
from guildhall.store import cases_repo
from guildhall.store.cases_repo import Loaded
from guildhall.store.db import Session, Store

__all__ = [
    "LoadResult",
    "Loaded",
    "add_event",
    "add_event_file",
    "add_event_in",
    "check_case_file",
    "default_case_file",
    "get_case",
    "get_case_and_rules",
    "get_document",
    "list_cases",
    "load_case_file",
    "load_demo_case",
    "rulebook_for",
    "rulebook_summary",
    "rules_file",
    "rules_summary",
    "steps",
    "versions",
]


class _Body(YamlDocument):
    """An event given as data (an API request's body): problems name the field, not a line."""

    def where(self, path: PathKey, *, key: bool = False) -> Location:
        return Location(self.file, field=".".join(str(p) for p in path) or None)


def list_cases(database_url: str) -> list[tuple[str, str, int]]:
    store = Store(database_url)
    try:
        with store.session() as session:
            return cases_repo.list_cases(session)
    finally:
        store.close()


def get_case_and_rules(
    database_url: str, case_id: str, version: int | None = None
) -> tuple[Case, Rulebook]:
    """The case in force (or an earlier ``version`` of it) and its rulebook."""
    store = Store(database_url)
    try:
        with store.session() as session:
            case, rules_text = cases_repo.load_case(session, case_id, version)
    finally:
        store.close()
    return case, rulebook_for(case, rules_text)


def get_case(database_url: str, case_id: str) -> Case:
    return get_case_and_rules(database_url, case_id)[0]


def get_document(database_url: str, case_id: str, document_id: str) -> tuple[Case, Document]:
    """One source document of a case, with its text where the record holds it."""
    case = get_case(database_url, case_id)
    document = case.document(document_id)
    if document is None:
        raise NotFound(f"case {case_id!r} has no document {document_id!r}")
    return case, document


def versions(database_url: str, case_id: str) -> list[Loaded]:
    """Every version of a case as loaded from its file, oldest first."""
    store = Store(database_url)
    try:
        with store.session() as session:
            return cases_repo.versions(session, case_id)
    finally:
        store.close()


def add_event(
    database_url: str,
    case_id: str,
    event: Mapping[str, Any],
    *,
    recorded_by: str,
    clock: Clock | None = None,
) -> Event:
    """Append one event given as plain data (the fields of a case file's event)."""
    doc = _Body("request body", dict(event))
    return _append(database_url, case_id, doc, recorded_by, clock)


def add_event_file(
    database_url: str, case_id: str, path: Path, *, recorded_by: str, clock: Clock | None = None
) -> Event:
    """Append the event written in a YAML file; problems name the file's lines."""
    doc, problems = read_yaml(path)
    if problems:
        raise InvalidInput(problems)
    return _append(database_url, case_id, doc, recorded_by, clock)


def _append(
    database_url: str, case_id: str, doc: YamlDocument, recorded_by: str, clock: Clock | None
) -> Event:
    store = Store(database_url)
    try:
        with store.session() as session:
            return _append_in(session, case_id, doc, recorded_by, clock)
    finally:
        store.close()


def add_event_in(
    session: Session,
    case_id: str,
    event: Mapping[str, Any],
    *,
    recorded_by: str,
    clock: Clock | None = None,
) -> Event:
    """``add_event`` inside a transaction the caller holds, so that what the event records
    (a vote opened, a result certified) and the event itself are written together or not at all.
    """
    doc = _Body("event", dict(event))
    return _append_in(session, case_id, doc, recorded_by, clock)


def _append_in(
    session: Session, case_id: str, doc: YamlDocument, recorded_by: str, clock: Clock | None
) -> Event:
    clock = clock or SystemClock()
    cases_repo.lock_case(session, case_id)
    case, rules_text = cases_repo.load_case(session, case_id)
    rulebook = rulebook_for(case, rules_text)
    event = _checked_event(session, case, doc, clock)
    breaches = new_breaches(rulebook, case.guild, case.events, (*case.events, event))
    if breaches:
        raise RuleRefused([breach_problem(b, event, doc.where(())) for b in breaches])
    at = clock.now()
    seq = cases_repo.append_event(session, case_id, event, at=at, by=recorded_by)
    return replace(event, seq=seq, recorded_by=recorded_by, recorded_at=at)


def _checked_event(session: Session, case: Case, doc: YamlDocument, clock: Clock) -> Event:
    """The event the document holds, checked as a case file's event is checked: its sources
    against the case's documents, its parties, its id, its dates and what it corrects."""
    shape = Shape(doc)
    ids = {e.id: e.seq for e in case.events if e.id and e.seq is not None}
    documents = {d.id: d for d in case.all_documents()}
    event = read_event(shape, doc.data, (), guild=case.guild, actors=case.actor_ids(),
                       documents=documents, event_ids=ids)  # fmt: skip
    if event is not None:
        event = replace(event, seq=cases_repo.next_seq(session, case.id))
        check_against_log(shape, (), event, case.events, today=clock.today())
    if shape.problems or event is None:
        raise InvalidInput(shape.problems)
    return event


def steps(
    database_url: str, case_id: str, on: date | None = None, *, clock: Clock | None = None
) -> tuple[Case, list[Step]]:
    """Which events the rules allow next, on ``on`` (by default the date of the last event,
    or today by ``clock`` for a case with no events yet), judged on the log in force."""
    case, rulebook = get_case_and_rules(database_url, case_id)
    log = in_force(case.events)
    day = on or (log[-1].date if log else (clock or SystemClock()).today())
    return case, next_steps(rulebook, case.guild, log, day)


def rules_summary(database_url: str, case_id: str) -> dict[str, Any]:
    _, rulebook = get_case_and_rules(database_url, case_id)
    return rulebook_summary(rulebook)


def rulebook_summary(rulebook: Rulebook) -> dict[str, Any]:
    return {
        "id": rulebook.id,
        "title": rulebook.title,
        "votes": {
            q: {
                "threshold": f"{v.threshold.ratio.numerator}/{v.threshold.ratio.denominator}",
                "comparison": v.threshold.comparison,
                "max_window_days": v.max_window_days,
                "describe": v.threshold.describe(),
            }
            for q, v in rulebook.votes.items()
        },
        "rules": [{"id": r.id, "says": r.says} for r in rulebook.rules],
    }
