"""Which agreement was in force in each period, as a case's events say.

The log is read as the rules replay it (``corrections.in_force``: a corrected event gives
way to its correction, a retracted one drops out), and only the guild's own events count.
Each agreement's term comes from its terms file (``Term``); the events say which terms
applied when:

- ``ratification`` of an agreement puts it in force for its term: from the term's first
  day (a term that starts before the vote is retroactive) or, when the term gives none,
  from the day of the vote; to the term's last day or, when it gives none, as far as the
  record goes (its last event).
- ``contract_expired`` ends an agreement on its date. An agreement that expires without a
  ratification in the log was in force from its term's first day or, when its terms file
  gives none, from the record's first day: the record then opens under it.
- ``expired_terms_continued`` says work went on under an expired agreement's terms: from
  the day after it expired, until another agreement came into force, the guild struck,
  or the record ends (its last event), whichever is first.

An agreement that starts supersedes the one before it. A period is answered only when one
agreement covers every day of it; a day no agreement covers (before the first, between
two, during a strike, past the record) or a period divided between two agreements is a
problem, named with the events on either side, never a guess. Periods are quarters, as
the revenue data reports them.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date, timedelta

from guildhall.bargaining.corrections import in_force
from guildhall.bargaining.records import Event
from guildhall.core.problems import Location, Problem

RATIFICATION = "ratification"
EXPIRED = "contract_expired"
CONTINUED = "expired_terms_continued"
STRIKE = "strike_started"

DAY = timedelta(days=1)


@dataclass(frozen=True)
class Term:
    """An agreement's term as its terms file states it; either end may be unstated."""

    agreement: str
    starts: date | None
    ends: date | None


@dataclass(frozen=True)
class Span:
    """Days an agreement was in force, with the events that say so and why it stopped."""

    agreement: str
    starts: date
    ends: date | None
    how: str
    events: tuple[Event, ...]
    since: str
    until: str = ""


@dataclass(frozen=True)
class InForce:
    """The agreement in force for every day of one period, and the events that say so."""

    period_start: date
    period_end: date
    agreement: str
    events: tuple[Event, ...]
    reason: str

    def as_dict(self) -> dict[str, object]:
        return {
            "period_start": self.period_start.isoformat(),
            "period_end": self.period_end.isoformat(),
            "agreement": self.agreement,
            "reason": self.reason,
            "events": [event_ref(e) for e in self.events],
        }


def event_ref(event: Event) -> dict[str, object]:
    """How an answer names an event: its log number, id, date and kind."""
    return {
        "seq": event.seq,
        "id": event.id,
        "date": event.date.isoformat(),
        "kind": event.kind,
        "label": event.label(),
    }


def quarter_start(day: date) -> date:
    return date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)


def quarter_end(start: date) -> date:
    month = start.month + 3
    year = start.year + (month - 1) // 12
    return date(year, (month - 1) % 12 + 1, 1) - DAY


def quarters(first: date, last: date) -> list[date]:
    """The quarters that open on or after ``first`` and on or before ``last``."""
    out: list[date] = []
    day = quarter_start(first)
    if day < first:
        day = quarter_end(day) + DAY
    while day <= last:
        out.append(day)
        day = quarter_end(day) + DAY
    return out


def _where(case: str, what: str) -> Location:
    return Location(file=f"case {case}", field=what)


def spans(
    events: Sequence[Event], guild: str, terms: Mapping[str, Term], *, case: str
) -> tuple[list[Span], list[Problem]]:
    """The spans of days each agreement was in force, in order, none overlapping."""
    log = in_force(events)
    problems: list[Problem] = []
    if not log:
        return [], [Problem(_where(case, "events"), "the case's log holds no events")]
    first_day, last_day = log[0].date, log[-1].date
    own = [e for e in log if e.union == guild]
    found: list[Span] = []
    ended: dict[str, Span] = {}

    def term_of(event: Event) -> Term | None:
        name = event.detail("agreement")
        if name is None:
            problems.append(
                Problem(
                    _where(case, f"event {event.label()}"),
                    f"a {event.kind} event that names no agreement: the ledger cannot tell "
                    "which agreement it concerns",
                    hint="correct it with an event that names the agreement (agreement:)",
                )
            )
            return None
        term = terms.get(str(name))
        if term is None:
            problems.append(
                Problem(
                    _where(case, f"event {event.label()}"),
                    f"{event.kind} of {name}, which has no terms file in agreements/",
                )
            )
        return term

    for event in own:
        if event.kind == RATIFICATION and (term := term_of(event)) is not None:
            starts = term.starts or event.date
            since = f"ratified ({event.label()}), in force from {starts}"
            found.append(Span(term.agreement, starts, term.ends, "ratified", (event,), since))
    for event in own:
        if event.kind != EXPIRED or (term := term_of(event)) is None:
            continue
        ratified = [i for i, s in enumerate(found) if s.agreement == term.agreement]
        if ratified:
            i = ratified[-1]
            span = found[i]
            found[i] = replace(
                span,
                ends=event.date,
                events=(*span.events, event),
                until=f"it expired on {event.date} ({event.label()})",
            )
            ended[term.agreement] = found[i]
            continue
        starts = term.starts or first_day
        since = (
            f"its term from {term.starts}"
            if term.starts
            else f"in force as the record opens ({first_day}); its terms file gives no start"
        )
        until = f"it expired on {event.date} ({event.label()})"
        span = Span(term.agreement, starts, event.date, "term", (event,), since, until)
        found.append(span)
        ended[term.agreement] = span
    strikes = [e for e in own if e.kind == STRIKE]
    for event in own:
        if event.kind != CONTINUED or (term := term_of(event)) is None:
            continue
        expiry = ended.get(term.agreement)
        if expiry is None or expiry.ends is None:
            problems.append(
                Problem(
                    _where(case, f"event {event.label()}"),
                    f"continues {term.agreement}'s terms, but no event says it expired",
                    hint="the log needs its contract_expired event first",
                )
            )
            continue
        starts = max(expiry.ends + DAY, event.date)
        strike = next((s for s in strikes if s.date >= starts), None)
        ends = strike.date - DAY if strike is not None else None
        span = Span(
            term.agreement,
            starts,
            ends,
            "continued",
            (*expiry.events, event),
            f"its terms continued after it expired ({event.label()})",
            f"the guild struck on {strike.date} ({strike.label()})" if strike else "",
        )
        found.append(span)
    return _resolved(found, last_day), problems


def _resolved(found: list[Span], last_day: date) -> list[Span]:
    """Each span cut where the next one starts, open ends cut at the record's last day."""
    order = {"continued": 0, "term": 1, "ratified": 2}
    ordered = sorted(found, key=lambda s: (s.starts, order[s.how]))
    out: list[Span] = []
    for i, span in enumerate(ordered):
        later = next((s for s in ordered[i + 1 :] if s.starts >= span.starts), None)
        ends, until = span.ends, span.until
        if later is not None and (ends is None or later.starts <= ends):
            ends = later.starts - DAY
            until = f"{later.agreement} came into force on {later.starts} ({later.since})"
        elif ends is None:
            ends, until = last_day, f"the record ends with its last event on {last_day}"
        elif not until:
            until = f"its term ends {ends}"
        if ends >= span.starts:
            out.append(replace(span, ends=ends, until=until))
    return out


def in_force_by_period(
    events: Sequence[Event],
    guild: str,
    terms: Mapping[str, Term],
    periods: Sequence[date],
    *,
    case: str,
) -> tuple[list[InForce], list[Problem]]:
    """For each period (a quarter's first day), the agreement in force on every day of it,
    with the events that say so; each period that is not so covered is a problem."""
    found, problems = spans(events, guild, terms, case=case)
    answers: list[InForce] = []
    for start in sorted(set(periods)):
        end = quarter_end(start)
        pieces = [s for s in found if s.starts <= end and (s.ends or end) >= start]
        agreements = list(dict.fromkeys(s.agreement for s in pieces))
        covered = _covered(pieces, start, end)
        where = _where(case, f"period {start}")
        if len(agreements) == 1 and covered:
            seen: dict[int, Event] = {}
            for span in pieces:
                for event in span.events:
                    seen.setdefault(id(event), event)
            reason = "; then ".join(f"{s.since}, to {s.ends}" for s in pieces)
            answers.append(InForce(start, end, agreements[0], tuple(seen.values()), reason))
        elif len(agreements) > 1:
            parts = ", ".join(
                f"{s.agreement} from {max(s.starts, start)} to {min(s.ends or end, end)}"
                for s in pieces
            )
            problems.append(
                Problem(
                    where,
                    f"the quarter {start} to {end} is divided between agreements: {parts}; "
                    "the data reports whole quarters, so it cannot be costed under one",
                    hint="record that quarter under an agreement named as AGREEMENT, "
                    "or leave it out with --from and --to",
                )
            )
        else:
            label = f"on every day of the quarter {start} to {end}"
            problems.append(Problem(where, _gap(found, pieces, start, end, label)))
    return answers, problems


def _covered(pieces: list[Span], start: date, end: date) -> bool:
    day = start
    for span in sorted(pieces, key=lambda s: s.starts):
        if span.starts > day:
            return False
        day = max(day, (span.ends or end) + DAY)
    return day > end


def _gap(found: list[Span], pieces: list[Span], start: date, end: date, label: str) -> str:
    """Why some days of ``label`` have no agreement, naming the spans either side."""
    head = f"no agreement is in force {label}"
    if pieces:
        span = pieces[0]
        return (
            f"{head}: {span.agreement} only from {max(span.starts, start)} to "
            f"{min(span.ends or end, end)} ({span.since}; until {span.until})"
        )
    before = [s for s in found if (s.ends or end) < start]
    after = [s for s in found if s.starts > end]
    if not found:
        return f"{head}: the case's events put no agreement in force at all"
    if not before:
        first = after[0]
        return (
            f"{head}: it is before the first agreement the record knows "
            f"({first.agreement} from {first.starts}, {first.since})"
        )
    last = before[-1]
    said = f"{last.agreement} was in force to {last.ends} ({last.until})"
    if not after:
        return f"{head}: {said}, and nothing in the record puts an agreement in force after"
    return f"{head}: {said}, and {after[0].agreement} came into force only on {after[0].starts}"


def agreement_on(
    events: Sequence[Event], guild: str, terms: Mapping[str, Term], day: date, *, case: str
) -> tuple[Span | None, list[Problem]]:
    """The span of the agreement in force on ``day``, or a problem saying none was."""
    found, problems = spans(events, guild, terms, case=case)
    span = next((s for s in found if s.starts <= day <= (s.ends or day)), None)
    if span is None and not problems:
        problems.append(
            Problem(
                _where(case, f"day {day}"),
                _gap(found, [], day, day, f"on {day}"),
            )
        )
    return span, problems
