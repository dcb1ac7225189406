"""Obligations: what employers owe, from costing's amounts and from force majeure.

Costing gives each agreement's amounts per (production, performer, period, kind). The
ledger adds the employer (the production's), the agreement and the day each amount falls
due: the last day of its quarter plus the agreement's ``residual_payment_due_days``.

A strike that suspends productions creates obligations of its own: each series regular
held under a suspension is owed the agreement's force majeure pay (``domain.md`` §2: up to
5 weeks at half salary, SAG TV Agreement §61), figured by the terms catalogue's
``force_majeure_suspension_pay``. That pay is due at the end of the paid weeks of
suspension (when, the clause says, the producer must resume full salary or terminate),
plus the agreement's due days.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

import ibis
import ibis.expr.types as ir

from guildhall.core.money import to_cents
from guildhall.core.problems import Location, Problem
from guildhall.files.located_yaml import read_yaml
from guildhall.files.shape import Shape
from guildhall.ledger.records import FORCE_MAJEURE, Obligation
from guildhall.ledger.terms import LedgerTerms
from guildhall.terms.formulas import FORMULAS
from guildhall.terms.records import Agreement

OBLIGATION_COLUMNS = (
    "employer",
    "agreement",
    "production_id",
    "performer_id",
    "period_start",
    "kind",
    "amount_cents",
    "due_on",
    "rate_ppm",
    "grace_days",
)
"""The columns reconciliation reads; ``rate_ppm`` is the monthly interest in parts per
million and ``grace_days`` the days before interest runs."""


def quarter_end(period_start: date) -> date:
    """The last day of the quarter that ``period_start`` opens."""
    month = period_start.month + 3
    year = period_start.year + (month - 1) // 12
    month = (month - 1) % 12 + 1
    return date(year, month, 1) - timedelta(days=1)


def due_on(period_start: date, terms: LedgerTerms) -> date:
    return quarter_end(period_start) + timedelta(days=int(terms.due_days.value or 0))


def obligations_table(
    obligations: ir.Table, productions: ir.Table, terms: LedgerTerms, periods: Iterable[date]
) -> ir.Table:
    """Costing's obligations (``agreement, production_id, performer_id, period_start, kind,
    amount_cents``; ``performer_id`` may be absent for amounts per production) with the
    employer, the due day and the interest terms: the columns ``OBLIGATION_COLUMNS``.
    ``periods`` are the period starts present (few: one per quarter)."""
    days = sorted(set(periods))
    employers = productions.select("production_id", "employer")
    joined = obligations.join(employers, "production_id")
    performer = (
        joined.performer_id.cast("int64")
        if "performer_id" in obligations.columns
        else ibis.null("int64")
    )
    if days:
        due = ibis.cases(*[(joined.period_start == d, ibis.date(due_on(d, terms))) for d in days])
    else:
        due = ibis.null("date")
    return joined.select(
        employer=joined.employer,
        agreement=ibis.literal(terms.agreement, "string"),
        production_id=joined.production_id.cast("int64"),
        performer_id=performer,
        period_start=joined.period_start,
        kind=joined.kind.cast("string"),
        amount_cents=joined.amount_cents.cast("int64"),
        due_on=due.cast("date"),
        rate_ppm=ibis.literal(terms.rate_ppm_per_month, "int64"),
        grace_days=ibis.literal(int(terms.grace_days.value or 0), "int64"),
    )


@dataclass(frozen=True)
class Regular:
    """A series regular held under a suspension, with the weekly salary the contract pays."""

    production_id: int
    performer_id: int
    weekly_salary_cents: int
    title: str | None = None


@dataclass(frozen=True)
class Suspension:
    """A strike or other force majeure event suspending an employer's productions.

    A file that names the case and the strike's event may leave out the dates and the
    agreement: ``within_strike`` then takes them from the case. ``where`` locates each
    field the file gives, for the problems that name it."""

    path: str
    case: str | None
    event: str | None
    agreement: str | None
    employer: str
    suspended_from: date | None
    suspended_to: date | None
    regulars: tuple[Regular, ...]
    where: Mapping[str, Location] = field(default_factory=dict)

    @property
    def days(self) -> int:
        assert self.suspended_from is not None and self.suspended_to is not None
        return (self.suspended_to - self.suspended_from).days + 1


@dataclass(frozen=True)
class StrikeDays:
    """A strike as a case's events record it: its first day, its last day (the day before
    the one it ended on; ``None`` while the record has it under way), and the events."""

    first: date
    last: date | None
    started_by: str
    ended_by: str | None = None


def within_strike(
    suspension: Suspension,
    strike: StrikeDays,
    agreement: str | None,
    agreement_why: str,
) -> tuple[Suspension | None, list[Problem]]:
    """The suspension with the dates and agreement it leaves out taken from the case: from
    the strike's first day to its last, under ``agreement`` (the one the case puts in force
    on the first day of the suspension, for the reason ``agreement_why``). Dates outside
    the strike, and an agreement other than the case's, are problems naming both."""
    problems: list[Problem] = []
    here = Location(file=suspension.path)

    def at(name: str) -> Location:
        return suspension.where.get(name, here)

    began = f"the strike began on {strike.first} ({strike.started_by})"
    ended = (
        f"its last day was {strike.last} (it ended on the next day, {strike.ended_by})"
        if strike.last is not None
        else ""
    )
    start = suspension.suspended_from or strike.first
    end = suspension.suspended_to or strike.last
    if suspension.suspended_from is not None and suspension.suspended_from < strike.first:
        problems.append(Problem(at("suspended_from"), f"suspended from {start}, before {began}"))
    if strike.last is not None and suspension.suspended_from and start > strike.last:
        problems.append(
            Problem(at("suspended_from"), f"suspended from {start}, after the strike: {ended}")
        )
    to = suspension.suspended_to
    if to is not None and strike.last is not None and to > strike.last:
        problems.append(Problem(at("suspended_to"), f"suspended to {to}, but {ended}"))
    if end is None:
        problems.append(
            Problem(
                here,
                f"the case has the strike under way ({strike.started_by} has no strike_ended "
                "event after it), so the suspension's last day is not known",
                hint="give suspended_to:",
            )
        )
    if end is not None and end < start:
        problems.append(Problem(at("suspended_to"), f"ends on {end}, before it starts on {start}"))
    chosen = suspension.agreement or agreement
    if suspension.agreement is not None and agreement is not None and agreement != chosen:
        problems.append(
            Problem(
                at("agreement"),
                f"names {suspension.agreement}, but the case puts {agreement} in force on "
                f"{start} ({agreement_why})",
                hint="leave agreement: out to take the case's, or correct the case",
            )
        )
    if suspension.agreement is not None and agreement is None:
        problems.append(
            Problem(
                at("agreement"),
                f"names {suspension.agreement}, but the case puts no agreement in force on "
                f"{start}: {agreement_why}",
            )
        )
    if chosen is None:
        problems.append(Problem(here, f"no agreement for the suspension: {agreement_why}"))
    if problems or chosen is None or end is None:
        return None, problems
    return replace(suspension, agreement=chosen, suspended_from=start, suspended_to=end), []


def _money(shape: Shape, value: Any, path: tuple[str | int, ...]) -> int | None:
    text = str(value).strip() if isinstance(value, int | str | Decimal) else ""
    try:
        amount = Decimal(text)
    except InvalidOperation:
        amount = None
    if isinstance(value, bool) or amount is None or amount < 0 or amount != round(amount, 2):
        shape.fail(
            path, f"expected an amount in dollars with at most two decimals, found {value!r}"
        )
        return None
    return to_cents(amount)


def read_suspension(path: Path) -> tuple[Suspension | None, list[Problem]]:
    """A suspension file (YAML): agreement, employer, dates and the regulars held."""
    doc, problems = read_yaml(path)
    if problems:
        return None, problems
    shape = Shape(doc)
    top = shape.mapping(
        doc.data,
        (),
        required=("employer", "regulars"),
        optional=("agreement", "suspended_from", "suspended_to", "case", "event", "description"),
    )
    if top is None:
        return None, shape.problems
    case = shape.text(top.get("case"), ("case",), optional=True)
    event = shape.text(top.get("event"), ("event",), optional=True)
    from_case = case is not None and event is not None
    if case is not None and event is None:
        shape.fail(("case",), "names a case but no event: which strike suspended production?",
                   hint="add event: with the id of the case's strike_started event")  # fmt: skip
    for name in ("agreement", "suspended_from", "suspended_to"):
        if name not in top and not from_case:
            shape.fail((), f"missing required key {name!r}",
                       hint="give it, or name the case and its strike (case:, event:)")  # fmt: skip
    agreement = shape.text(top.get("agreement"), ("agreement",), optional=True)
    employer = shape.text(top.get("employer"), ("employer",))
    start = shape.day(top.get("suspended_from"), ("suspended_from",), optional=True)
    end = shape.day(top.get("suspended_to"), ("suspended_to",), optional=True)
    if start and end and end < start:
        shape.fail(("suspended_to",), f"ends on {end}, before it starts on {start}")
    regulars: list[Regular] = []
    seen: dict[tuple[int, int], int] = {}
    for i, item in enumerate(shape.sequence(top.get("regulars"), ("regulars",), empty_ok=False)):
        where = ("regulars", i)
        row = shape.mapping(
            item, where, required=("production", "performer", "weekly_salary"), optional=("title",)
        )
        if row is None:
            continue
        production = shape.count(row.get("production"), (*where, "production"))
        performer = shape.count(row.get("performer"), (*where, "performer"))
        salary = _money(shape, row.get("weekly_salary"), (*where, "weekly_salary"))
        if production is None or performer is None or salary is None:
            continue
        if (production, performer) in seen:
            first = seen[(production, performer)] + 1
            shape.fail(where, f"repeats regular {performer} on {production} (item {first})")
            continue
        seen[(production, performer)] = i
        title = shape.text(row.get("title"), (*where, "title"), optional=True)
        regulars.append(Regular(production, performer, salary, title))
    if shape.problems or not employer:
        return None, shape.problems
    located: dict[str, Location] = {
        name: doc.where((name,))
        for name in ("agreement", "suspended_from", "suspended_to", "case", "event")
        if name in top
    }
    suspension = Suspension(
        str(path), case, event, agreement, employer, start, end, tuple(regulars), located
    )
    return suspension, []


def force_majeure(
    suspension: Suspension, agreement: Agreement, terms: LedgerTerms
) -> list[tuple[Obligation, dict[str, object]]]:
    """The force majeure pay each regular is owed, with how it was figured."""
    formula = FORMULAS["force_majeure_suspension_pay"]
    on = suspension.suspended_from
    assert on is not None
    params = agreement.values_on(formula.reads_parameters, on)
    weeks = Decimal(suspension.days) / 7
    out: list[tuple[Obligation, dict[str, object]]] = []
    cap_value = params.get("force_majeure_suspension_weeks", 0)
    cap = cap_value if isinstance(cap_value, int) and not isinstance(cap_value, bool) else 0
    paid_weeks = min(weeks, Decimal(cap))
    paid_end = on + timedelta(days=int((paid_weeks * 7).to_integral_value()) - 1)
    due = paid_end + timedelta(days=int(terms.due_days.value or 0))
    for regular in suspension.regulars:
        row = {
            "weekly_salary_cents": regular.weekly_salary_cents,
            "weeks_suspended": weeks,
            "weeks_suspended_before": Decimal(0),
        }
        amount = int(formula.compute(params, row))
        if amount <= 0:
            continue
        obligation = Obligation(
            employer=suspension.employer,
            agreement=agreement.id,
            production_id=regular.production_id,
            performer_id=regular.performer_id,
            period_start=on,
            kind=FORCE_MAJEURE,
            amount_cents=amount,
            due_on=due,
        )
        how: dict[str, object] = {
            "title": regular.title,
            "formula": formula.name,
            "weekly_salary_cents": regular.weekly_salary_cents,
            "weeks_suspended": str(weeks.quantize(Decimal("0.01"))),
            "paid_weeks": str(paid_weeks.quantize(Decimal("0.01"))),
            "parameters": {k: str(v) for k, v in params.items()},
        }
        out.append((obligation, how))
    return out
