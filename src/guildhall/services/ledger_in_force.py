"""Which agreement a case's events put in force for each period, and when a strike ran.

The ledger records obligations under these answers (``ledger.record_case_obligations``)
and takes a suspension's dates from the strike it names (``ledger.record_force_majeure``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from guildhall.bargaining.agreements_in_force import (
    CONTINUED,
    EXPIRED,
    RATIFICATION,
    InForce,
    Span,
    Term,
    agreement_on,
    in_force_by_period,
    quarters,
)
from guildhall.bargaining.corrections import in_force
from guildhall.bargaining.records import Case, Event
from guildhall.core.errors import InvalidInput
from guildhall.core.problems import Location, Problem
from guildhall.services.cases import get_case
from guildhall.terms import load

_NAMING = (RATIFICATION, EXPIRED, CONTINUED)


def case_terms(case: Case) -> dict[str, Term]:
    """The terms (first and last day) of every agreement the guild's events name; an
    agreement with no terms file is left out, and the reading names it."""
    names = {
        str(e.detail("agreement"))
        for e in case.events
        if e.union == case.guild and e.kind in _NAMING and e.detail("agreement") is not None
    }
    out: dict[str, Term] = {}
    for name in sorted(names):
        try:
            agreement = load(name)
        except InvalidInput:
            continue
        out[name] = Term(name, agreement.term_start, agreement.term_end)
    return out


def periods_between(start: date, end: date) -> list[date]:
    if end < start:
        raise InvalidInput([Problem(Location(field="--to"), f"{end} is before {start}")])
    found = quarters(start, end)
    if not found:
        raise InvalidInput(
            [Problem(Location(field="--from"), f"no quarter opens between {start} and {end}")]
        )
    return found


def in_force_for(case: Case, periods: list[date]) -> tuple[list[InForce], list[Problem]]:
    return in_force_by_period(case.events, case.guild, case_terms(case), periods, case=case.id)


def agreements_in_force(
    database_url: str, case_id: str, start: date, end: date
) -> tuple[list[InForce], list[Problem]]:
    """For each quarter opening from ``start`` to ``end``, the agreement the case's events
    put in force on every day of it, with those events; every other quarter is a problem."""
    case = get_case(database_url, case_id)
    return in_force_for(case, periods_between(start, end))


def agreement_on_day(case: Case, day: date) -> tuple[Span | None, list[Problem]]:
    return agreement_on(case.events, case.guild, case_terms(case), day, case=case.id)


@dataclass(frozen=True)
class Strike:
    """A strike as the case's log has it: the event that started it and the one that
    ended it (``None`` while the record has it under way)."""

    started: Event
    ended: Event | None

    @property
    def last_day(self) -> date | None:
        """The last day of the strike: the day before the one it ended on."""
        if self.ended is None:
            return None
        return date.fromordinal(self.ended.date.toordinal() - 1)


def strike(case: Case, event_id: str) -> tuple[Strike | None, str | None]:
    """The strike that the event ``event_id`` started, or why it is not one."""
    log = in_force(case.events)
    found = next((e for e in log if e.id == event_id), None)
    if found is None:
        logged = next((e for e in case.events if e.id == event_id), None)
        if logged is not None:
            return None, f"event {event_id!r} of case {case.id} was corrected or retracted"
        return None, f"case {case.id} has no event {event_id!r}"
    if found.kind != "strike_started":
        return None, f"event {found.label()} is a {found.kind} event, not the start of a strike"
    ended = next(
        (
            e
            for e in log
            if e.kind == "strike_ended" and e.union == found.union and e.date >= found.date
        ),
        None,
    )
    return Strike(found, ended), None
