"""Bargaining cases: load a case file, read the record, append events the rules allow."""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import Any

from guildhall.bargaining.casefile import read_case
from guildhall.bargaining.eventfile import read_event
from guildhall.bargaining.records import Case, Event
from guildhall.bargaining.rulebook import Rulebook, parse_rulebook
from guildhall.bargaining.rules import Refusal, Step, check, next_steps
from guildhall.core.clock import Clock, SystemClock
from guildhall.core.errors import InvalidInput, NotFound, RuleRefused
from guildhall.core.problems import Location, Problem
from guildhall.files.located_yaml import YamlDocument, read_yaml
from guildhall.files.reading import YAML_LIMIT, read_text, require_bytes
from guildhall.files.shape import Shape
from guildhall.services import terms
from guildhall.settings import repository_root
from guildhall.store import cases_repo
from guildhall.store.db import Session, Store


def rules_file(rules_id: str) -> Path:
    return repository_root() / "rules" / f"{rules_id}.yaml"


def default_case_file(case_id: str) -> Path:
    return repository_root() / "cases" / case_id / "case.yaml"


def rulebook_for(case: Case, rules_text: str) -> Rulebook:
    rulebook, problems = parse_rulebook(rules_text, str(rules_file(case.rules)), case.settings)
    if problems or rulebook is None:
        raise InvalidInput(problems)
    return rulebook


def load_case_file(database_url: str, path: Path, *, clock: Clock | None = None) -> Case:
    """Check a case file (shape, sources, rules over its whole log) and store it."""
    doc, problems = read_yaml(path)
    if problems:
        raise InvalidInput(problems)
    case, problems = read_case(doc, path.parent)
    if problems or case is None:
        raise InvalidInput(problems)
    rules_path = rules_file(case.rules)
    rules_text, unreadable = read_text(rules_path, limit=YAML_LIMIT)
    if rules_text is None:
        raise InvalidInput(
            Problem(
                doc.where(("rules",)),
                f"rules file {rules_path}: {p.what}",
                hint="rules: names a file in rules/",
            )
            for p in unreadable
        )
    rulebook = rulebook_for(case, rules_text)
    _check_agreements(case, doc)
    _replay(case, rulebook, doc)
    raw = require_bytes(path, limit=YAML_LIMIT)
    store = Store(database_url)
    try:
        with store.session() as session:
            cases_repo.save_case(
                session,
                case,
                rules_text=rules_text,
                source_file=str(path),
                source_sha256=hashlib.sha256(raw).hexdigest(),
                at=(clock or SystemClock()).now(),
            )
    finally:
        store.close()
    return case


def _check_agreements(case: Case, doc: YamlDocument) -> None:
    """Every agreement the case names must be a terms file in ``agreements/``."""
    known = {a["id"] for a in terms.list_terms()}
    problems = [
        doc.problem(
            ("agreements", i, "id"),
            f"no agreement {a.id!r} in the terms files",
            hint="guildhall terms list shows them",
        )
        for i, a in enumerate(case.agreements)
        if a.id not in known
    ]
    problems += [
        doc.problem(
            ("events", i, "agreement"),
            f"no agreement {e.detail('agreement')!r} in the terms files",
            hint="guildhall terms list shows them",
        )
        for i, e in enumerate(case.events)
        if e.detail("agreement") is not None and e.detail("agreement") not in known
    ]
    if problems:
        raise InvalidInput(problems)


def _replay(case: Case, rulebook: Rulebook, doc: YamlDocument) -> None:
    """Every event of the file must be allowed by the rules, given the ones before it."""
    problems: list[Problem] = []
    for index, event in enumerate(case.events):
        for refusal in check(rulebook, case.guild, case.events[:index], event):
            problems.append(_refusal_problem(refusal, doc.where(("events", index))))
    if problems:
        raise RuleRefused(problems)


def _refusal_problem(refusal: Refusal, where: Location) -> Problem:
    return Problem(where, f"refused: {refusal.says}", hint=refusal.detail, rule=refusal.rule)


def list_cases(database_url: str) -> list[tuple[str, str, int]]:
    store = Store(database_url)
    try:
        with store.session() as session:
            return cases_repo.list_cases(session)
    finally:
        store.close()


def get_case_and_rules(database_url: str, case_id: str) -> tuple[Case, Rulebook]:
    store = Store(database_url)
    try:
        with store.session() as session:
            case, rules_text = cases_repo.load_case(session, case_id)
    finally:
        store.close()
    return case, rulebook_for(case, rules_text)


def get_case(database_url: str, case_id: str) -> Case:
    return get_case_and_rules(database_url, case_id)[0]


def add_event(
    database_url: str, case_id: str, event: Mapping[str, Any], *, clock: Clock | None = None
) -> Event:
    """Append one event given as plain data (the fields of a case file's event)."""
    return _append(database_url, case_id, YamlDocument("<event>", dict(event)), clock)


def add_event_file(
    database_url: str, case_id: str, path: Path, *, clock: Clock | None = None
) -> Event:
    """Append the event written in a YAML file; problems name the file's lines."""
    doc, problems = read_yaml(path)
    if problems:
        raise InvalidInput(problems)
    return _append(database_url, case_id, doc, clock)


def _append(database_url: str, case_id: str, doc: YamlDocument, clock: Clock | None) -> Event:
    store = Store(database_url)
    try:
        with store.session() as session:
            return _append_in(session, case_id, doc, clock)
    finally:
        store.close()


def add_event_in(
    session: Session, case_id: str, event: Mapping[str, Any], *, clock: Clock | None = None
) -> Event:
    """``add_event`` inside a transaction the caller holds, so that what the event records
    (a vote opened, a result certified) and the event itself are written together or not at all.
    """
    return _append_in(session, case_id, YamlDocument("<event>", dict(event)), clock)


def _append_in(session: Session, case_id: str, doc: YamlDocument, clock: Clock | None) -> Event:
    cases_repo.lock_case(session, case_id)
    case, rules_text = cases_repo.load_case(session, case_id)
    rulebook = rulebook_for(case, rules_text)
    shape = Shape(doc)
    event = read_event(
        shape, doc.data, (), guild=case.guild, actors=case.actor_ids(), documents=None
    )
    if shape.problems or event is None:
        raise InvalidInput(shape.problems)
    refusals = check(rulebook, case.guild, case.timeline(), event)
    if refusals:
        raise RuleRefused([_refusal_problem(r, doc.where(())) for r in refusals])
    seq = cases_repo.append_event(session, case_id, event, at=(clock or SystemClock()).now())
    return replace(event, seq=seq)


def steps(
    database_url: str, case_id: str, on: date | None = None, *, clock: Clock | None = None
) -> tuple[Case, list[Step]]:
    """Which events the rules allow next, on ``on`` (by default the date of the last event,
    or today by ``clock`` for a case with no events yet)."""
    case, rulebook = get_case_and_rules(database_url, case_id)
    timeline = case.timeline()
    day = on or (timeline[-1].date if timeline else (clock or SystemClock()).today())
    return case, next_steps(rulebook, case.guild, timeline, day)


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


def load_demo_case(database_url: str, case_id: str = "sag-2008") -> Case:
    path = default_case_file(case_id)
    if not path.is_file():
        raise NotFound(f"no case file {path}")
    return load_case_file(database_url, path)
