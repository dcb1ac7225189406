"""The rules engine: may this event follow that history, and if not, which rule says no."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date
from typing import Any

from guildhall.bargaining.corrections import in_force
from guildhall.bargaining.kinds import KINDS
from guildhall.bargaining.records import Event
from guildhall.bargaining.rulebook import Rule, Rulebook


@dataclass(frozen=True)
class Refusal:
    """A rule an event broke, in the rule's own words, with what was missing."""

    rule: str
    says: str
    detail: str

    def __str__(self) -> str:
        return f"{self.says} ({self.detail})"


def vote_passed(rulebook: Rulebook, event: Event) -> bool | None:
    """Whether a closed vote passed under the guild's threshold; ``None`` if no rule decides it."""
    if event.kind != "vote_closed":
        return None
    setting = rulebook.vote(str(event.detail("question")))
    if setting is None:
        return None
    yes, no = int(event.detail("yes")), int(event.detail("no"))
    return setting.threshold.is_met(yes=yes, cast=yes + no)


def check(rulebook: Rulebook, guild: str, history: Sequence[Event], event: Event) -> list[Refusal]:
    """Every rule ``event`` breaks, given the events already in the log."""
    if event.union != guild:
        return []
    earlier = [e for e in history if e.union == guild and e.date <= event.date]
    refusals = _built_in(event)
    for rule in rulebook.rules:
        if rule.applies_to(event.kind, event.details):
            refusals.extend(_requirements(rulebook, rule, earlier, event))
    return refusals


@dataclass(frozen=True)
class Breach:
    """An event of the log, and a rule it breaks there."""

    event: Event
    refusal: Refusal

    def key(self) -> tuple[int | None, str, str]:
        return (self.event.seq, self.refusal.rule, self.refusal.detail)


def check_log(rulebook: Rulebook, guild: str, events: Sequence[Event]) -> list[Breach]:
    """Every rule broken anywhere in the log: corrections are applied first, then each
    event is judged against all the events before it in date order (so an event dated
    earlier than others is judged where it falls, and so are the events after it)."""
    log = in_force(events)
    return [
        Breach(event, refusal)
        for i, event in enumerate(log)
        for refusal in check(rulebook, guild, log[:i], event)
    ]


def _built_in(event: Event) -> list[Refusal]:
    if event.kind != "vote_closed":
        return []
    counted = int(event.detail("yes")) + int(event.detail("no")) + int(event.detail("blank") or 0)
    eligible = event.detail("eligible")
    if eligible is not None and counted > int(eligible):
        return [
            Refusal(
                "votes-within-roll",
                "A vote cannot count more ballots than members on its roll.",
                f"{counted} ballots against {eligible} eligible",
            )
        ]
    return []


def _requirements(
    rulebook: Rulebook, rule: Rule, earlier: list[Event], event: Event
) -> list[Refusal]:
    out: list[Refusal] = []
    for name, spec in rule.require.items():
        detail = _CHECKS[name](rulebook, spec, earlier, event)
        if detail is not None:
            out.append(Refusal(rule.id, rule.says, detail))
    return out


def _matches(rulebook: Rulebook, event: Event, wanted: Mapping[str, Any]) -> bool:
    for key, value in wanted.items():
        if key == "kind":
            actual: Any = event.kind
        elif key == "by":
            actual = event.by
        elif key == "passed":
            actual = vote_passed(rulebook, event)
        else:
            actual = event.detail(key)
        if actual != value:
            return False
    return True


def _describe(wanted: Mapping[str, Any]) -> str:
    return ", ".join(f"{k}={v}" for k, v in wanted.items())


def _prior(rb: Rulebook, spec: Any, earlier: list[Event], event: Event) -> str | None:
    if any(_matches(rb, e, spec) for e in earlier):
        return None
    return f"no earlier event with {_describe(spec)}"


def _by(rb: Rulebook, spec: Any, earlier: list[Event], event: Event) -> str | None:
    allowed = [spec] if isinstance(spec, str) else list(spec)
    if event.by in allowed:
        return None
    who = event.by or "nobody named"
    return f"made by {who}; only {' or '.join(allowed)} may"


def _open_pairs(rb: Rulebook, spec: Any, earlier: list[Event], event: Event) -> int:
    key = spec.get("key")
    opened = [
        e
        for e in earlier
        if e.kind == spec["opened"] and (key is None or e.detail(key) == event.detail(key))
    ]
    closed = [
        e
        for e in earlier
        if e.kind == spec["closed"] and (key is None or e.detail(key) == event.detail(key))
    ]
    return len(opened) - len(closed)


def _open(rb: Rulebook, spec: Any, earlier: list[Event], event: Event) -> str | None:
    if _open_pairs(rb, spec, earlier, event) > 0:
        return None
    return f"no {spec['opened']} is open" + _keyed(spec, event)


def _not_open(rb: Rulebook, spec: Any, earlier: list[Event], event: Event) -> str | None:
    if _open_pairs(rb, spec, earlier, event) <= 0:
        if spec.get("once") and any(
            e.kind == spec["opened"] and e.detail(spec["key"]) == event.detail(spec["key"])
            for e in earlier
        ):
            return f"{spec['opened']} already recorded" + _keyed(spec, event)
        return None
    return f"a {spec['opened']} is already open" + _keyed(spec, event)


def _keyed(spec: Mapping[str, Any], event: Event) -> str:
    key = spec.get("key")
    return f" for {key} {event.detail(key)!r}" if key else ""


def _setting_days(rb: Rulebook, spec: Any) -> int | None:
    setting = rb.vote(str(spec))
    return setting.max_window_days if setting else None


def _window(rb: Rulebook, spec: Any, earlier: list[Event], event: Event) -> str | None:
    days = _setting_days(rb, spec)
    closes = event.detail("closes_on")
    if days is None or closes is None:
        return None
    opens = date.fromisoformat(event.detail("opens_on")) if event.detail("opens_on") else event.date
    length = (date.fromisoformat(closes) - opens).days
    if length < 0:
        return f"closes on {closes}, before it opens on {opens.isoformat()}"
    return None if length <= days else f"runs {length} days; at most {days} allowed"


def _within(rb: Rulebook, spec: Any, earlier: list[Event], event: Event) -> str | None:
    days = _setting_days(rb, spec)
    if days is None:
        return None
    openings = [
        e for e in earlier if e.kind == "vote_opened" and e.detail("vote") == event.detail("vote")
    ]
    if not openings:
        return None
    opening = openings[-1]
    opens = (
        date.fromisoformat(opening.detail("opens_on"))
        if opening.detail("opens_on")
        else opening.date
    )
    length = (event.date - opens).days
    return None if length <= days else f"closed after {length} days; at most {days} allowed"


def _outcome(rb: Rulebook, spec: Any, earlier: list[Event], event: Event) -> str | None:
    computed = vote_passed(rb, event)
    stated = event.detail("passed")
    if computed is None or stated is None or stated == computed:
        return None
    setting = rb.vote(str(event.detail("question")))
    assert setting is not None
    yes, no = event.detail("yes"), event.detail("no")
    verdict = "passes" if computed else "fails"
    return (
        f"{yes} yes of {yes + no} cast {verdict} at {setting.threshold.describe()}, "
        f"but the event says passed={stated}"
    )


_CHECKS = {
    "prior": _prior,
    "by": _by,
    "open": _open,
    "not_open": _not_open,
    "window_at_most_days": _window,
    "within_window": _within,
    "outcome": _outcome,
}

HISTORY_REQUIREMENTS = ("prior", "open", "not_open")


@dataclass(frozen=True)
class Step:
    """An event kind (and variant) with whether the rules allow it now, and why not."""

    kind: str
    variant: Mapping[str, Any]
    allowed: bool
    refusals: tuple[Refusal, ...]
    conditions: tuple[str, ...]

    @property
    def label(self) -> str:
        extra = ", ".join(f"{k}={v}" for k, v in self.variant.items())
        return f"{self.kind} ({extra})" if extra else self.kind


VARIANTS: Mapping[str, tuple[dict[str, Any], ...]] = {
    "vote_opened": ({"question": "strike_authorization"}, {"question": "ratification"}),
    "vote_closed": ({"question": "strike_authorization"}, {"question": "ratification"}),
    "board_strike_decision": ({"decision": "strike"}, {"decision": "no_strike"}),
}


def next_steps(rulebook: Rulebook, guild: str, history: Sequence[Event], on: date) -> list[Step]:
    """For each kind of event, whether the history allows it now (on ``on``).

    Only what the history decides is judged here; a rule on an event's own fields (a
    vote's window, its outcome, who makes it) is listed as a condition to meet.
    """
    open_votes = _open_votes(history, guild)
    steps: list[Step] = []
    for kind in KINDS:
        for variant in VARIANTS.get(kind, ({},)):
            details = dict(variant)
            if kind == "vote_closed":
                question = details["question"]
                details["vote"] = open_votes.get(question, f"any {question} vote")
            elif kind == "vote_opened":
                details["vote"] = f"{details['question']}-{on.isoformat()}"
            steps.append(_step(rulebook, guild, history, on, kind, variant, details))
    return steps


def _open_votes(history: Sequence[Event], guild: str) -> dict[str, str]:
    open_by_question: dict[str, str] = {}
    for e in history:
        if e.union != guild:
            continue
        if e.kind == "vote_opened":
            open_by_question[str(e.detail("question"))] = str(e.detail("vote"))
        elif e.kind == "vote_closed":
            open_by_question.pop(str(e.detail("question")), None)
    return open_by_question


def _step(
    rulebook: Rulebook,
    guild: str,
    history: Sequence[Event],
    on: date,
    kind: str,
    variant: Mapping[str, Any],
    details: dict[str, Any],
) -> Step:
    probe = Event(
        date=on, kind=kind, summary="", certainty="stated", sources=(), union=guild, details=details
    )
    earlier = [e for e in history if e.union == guild and e.date <= on]
    refusals: list[Refusal] = []
    conditions: list[str] = []
    for rule in rulebook.rules:
        if not rule.applies_to(kind, details):
            continue
        for name, spec in rule.require.items():
            if name in HISTORY_REQUIREMENTS:
                detail = _CHECKS[name](rulebook, spec, earlier, replace(probe))
                if detail is not None:
                    refusals.append(Refusal(rule.id, rule.says, detail))
            else:
                conditions.append(f"{rule.id}: {rule.says}")
    unique_conditions = tuple(dict.fromkeys(conditions))
    return Step(kind, variant, not refusals, tuple(refusals), unique_conditions)
