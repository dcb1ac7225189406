"""A guild's bargaining rules as data: settings (vote thresholds, windows) and rules.

A rule names the events it governs (``when``: a kind and, optionally, field values) and
what must hold for such an event to be recorded (``require``). The requirement kinds:

``prior``
    an earlier event of the guild matching the given fields (``passed: true`` on a
    ``vote_closed`` is worked out from the counts and the threshold, not taken on trust).
``by``
    the event must be made by one of the named bodies.
``open`` / ``not_open``
    a matching opening event with no matching closing event, keyed by a field
    (a vote that is open, a strike under way) — or none.
``window_at_most_days``
    from ``opens_on`` (or the event date) to ``closes_on`` is at most the setting's days.
``within_window``
    a vote closes no later than the setting's days after it opened.
``outcome``
    a vote's stated ``passed`` agrees with the threshold applied to its counts.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from guildhall.core.problems import Problem
from guildhall.core.thresholds import COMPARISONS, Threshold, parse_fraction
from guildhall.files.located_yaml import parse_yaml
from guildhall.files.shape import Shape

REQUIREMENTS = (
    "prior",
    "by",
    "open",
    "not_open",
    "window_at_most_days",
    "within_window",
    "outcome",
)


@dataclass(frozen=True)
class VoteSetting:
    """How one kind of member vote is decided."""

    threshold: Threshold
    max_window_days: int | None = None


@dataclass(frozen=True)
class Rule:
    id: str
    when: Mapping[str, Any]
    require: Mapping[str, Any]
    says: str
    sources: tuple[Mapping[str, str], ...] = ()

    def applies_to(self, kind: str, details: Mapping[str, Any]) -> bool:
        for key, wanted in self.when.items():
            actual = kind if key == "kind" else details.get(key)
            if actual != wanted:
                return False
        return True


@dataclass(frozen=True)
class Rulebook:
    id: str
    title: str
    votes: Mapping[str, VoteSetting]
    rules: tuple[Rule, ...]

    def vote(self, question: str) -> VoteSetting | None:
        return self.votes.get(question)


def parse_rulebook(
    text: str, file: str, overrides: Mapping[str, Any] | None = None
) -> tuple[Rulebook | None, list[Problem]]:
    """Parse a rules file; ``overrides`` (a case's ``settings``) replace vote settings."""
    doc, problems = parse_yaml(text, file)
    if problems:
        return None, problems
    s = Shape(doc)
    top = s.mapping(
        doc.data, (), required=("id", "title", "votes", "rules"), optional=("guild", "sources")
    )
    if top is None:
        return None, s.problems
    votes: dict[str, VoteSetting] = {}
    raw_votes = s.mapping(top.get("votes"), ("votes",), open_keys=True) or {}
    for question, raw in raw_votes.items():
        merged = dict(raw) if isinstance(raw, dict) else raw
        if overrides and isinstance(overrides.get(question), dict) and isinstance(merged, dict):
            merged.update(overrides[question])
        setting = _vote(s, merged, ("votes", question))
        if setting is not None:
            votes[question] = setting
    rules: list[Rule] = []
    for i, raw in enumerate(s.sequence(top.get("rules"), ("rules",), empty_ok=False)):
        rule = _rule(s, raw, ("rules", i))
        if rule is not None:
            rules.append(rule)
    ids = [r.id for r in rules]
    for rule_id in {r for r in ids if ids.count(r) > 1}:
        s.fail(("rules",), f"rule id {rule_id!r} is used twice")
    if s.problems:
        return None, s.problems
    return Rulebook(str(top["id"]), str(top["title"]), votes, tuple(rules)), []


def _vote(s: Shape, raw: Any, path: tuple[str, ...]) -> VoteSetting | None:
    entry = s.mapping(
        raw,
        path,
        required=("threshold", "comparison"),
        optional=("max_window_days", "sources", "note"),
    )
    if entry is None:
        return None
    try:
        ratio = parse_fraction(str(entry.get("threshold")))
    except (ValueError, ZeroDivisionError) as exc:
        s.fail((*path, "threshold"), f"not a threshold: {exc}", hint='write "3/4" or "75%"')
        return None
    comparison = s.choice(entry.get("comparison"), (*path, "comparison"), COMPARISONS)
    days = s.count(entry.get("max_window_days"), (*path, "max_window_days"), optional=True)
    if comparison is None:
        return None
    return VoteSetting(Threshold(ratio, comparison), days)  # type: ignore[arg-type]


def _rule(s: Shape, raw: Any, path: tuple[str | int, ...]) -> Rule | None:
    entry = s.mapping(raw, path, required=("id", "when", "require", "says"), optional=("sources",))
    if entry is None:
        return None
    when = s.mapping(entry.get("when"), (*path, "when"), required=("kind",), open_keys=True)
    require = s.mapping(entry.get("require"), (*path, "require"), optional=REQUIREMENTS)
    says = s.text(entry.get("says"), (*path, "says"))
    rule_id = s.identifier(entry.get("id"), (*path, "id"))
    sources = tuple(
        x for x in s.sequence(entry.get("sources"), (*path, "sources")) if isinstance(x, dict)
    )
    if not (when and require and says and rule_id):
        return None
    return Rule(rule_id, when, require, says, sources)
