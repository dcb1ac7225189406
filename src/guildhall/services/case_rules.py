"""A case's rulebook, and the rules' verdict on a log turned into problems to show."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from guildhall.bargaining.records import Case, Event
from guildhall.bargaining.rulebook import Rulebook, parse_rulebook
from guildhall.bargaining.rules import Breach, check_log
from guildhall.core.errors import InvalidInput
from guildhall.core.problems import Location, Problem
from guildhall.files.reading import YAML_LIMIT, read_text
from guildhall.settings import repository_root


def rules_file(rules_id: str) -> Path:
    return repository_root() / "rules" / f"{rules_id}.yaml"


def rules_text_for(case: Case, where: Location) -> str:
    path = rules_file(case.rules)
    text, unreadable = read_text(path, limit=YAML_LIMIT)
    if text is None:
        raise InvalidInput(
            Problem(where, f"rules file {path}: {p.what}", hint="rules: names a file in rules/")
            for p in unreadable
        )
    return text


_RULEBOOKS: dict[tuple[str, str, str], Rulebook] = {}
_RULEBOOKS_KEPT = 64
"""Rulebooks parsed by this process, by their text, file and the case's settings: a page
of the case does not parse the rules again on every request."""


def rulebook_for(case: Case, rules_text: str) -> Rulebook:
    file = str(rules_file(case.rules))
    key = (rules_text, file, repr(case.settings))
    found = _RULEBOOKS.get(key)
    if found is not None:
        return found
    rulebook, problems = parse_rulebook(rules_text, file, case.settings)
    if problems or rulebook is None:
        raise InvalidInput(problems)
    if len(_RULEBOOKS) >= _RULEBOOKS_KEPT:
        _RULEBOOKS.clear()
    _RULEBOOKS[key] = rulebook
    return rulebook


def new_breaches(
    rulebook: Rulebook, guild: str, before: Sequence[Event], after: Sequence[Event]
) -> list[Breach]:
    """The rules broken in the log ``after`` that were not broken in ``before``: what a new
    event causes, in itself or in the events it would be judged before."""
    known = {b.key() for b in check_log(rulebook, guild, before)}
    return [b for b in check_log(rulebook, guild, after) if b.key() not in known]


def breach_problem(breach: Breach, new: Event | None, where: Location) -> Problem:
    """A breach as a problem: of the new event itself, or of a later event it would spoil."""
    r = breach.refusal
    if new is None or breach.event.seq == new.seq:
        return Problem(where, f"refused: {r.says}", hint=r.detail, rule=r.rule)
    e = breach.event
    return Problem(
        where,
        f"refused: with this event, {e.label()} of {e.date} ({e.kind}) would break a rule: "
        f"{r.says}",
        hint=r.detail,
        rule=r.rule,
    )
