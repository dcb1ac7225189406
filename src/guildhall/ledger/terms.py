"""The terms the ledger reads from an agreement: when residuals fall due, the interest on
late payment, and the time limit for a claim, each with its source and whether it is
settled. Read from the agreement's own parameters (``guildhall.terms``)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from guildhall.core.problems import Location, Problem
from guildhall.terms.records import Agreement, NoValue

DUE_DAYS = "residual_payment_due_days"
INTEREST = "late_payment_interest_percent_per_month"
GRACE = "late_payment_grace_days"
TIME_LIMIT = "claim_time_limit_days"

NEEDED = (DUE_DAYS, INTEREST)


@dataclass(frozen=True)
class Term:
    """One parameter's value on a date, where it came from, and whether it is settled."""

    name: str
    value: Decimal | int | None
    source: str
    uncertain: bool
    missing: str | None = None

    def as_dict(self) -> dict[str, object]:
        return {
            "name": self.name,
            "value": None if self.value is None else str(self.value),
            "source": self.source,
            "uncertain": self.uncertain,
            "missing": self.missing,
        }


@dataclass(frozen=True)
class LedgerTerms:
    """What the ledger needs of one agreement on one date."""

    agreement: str
    sha256: str
    due_days: Term
    interest: Term
    grace_days: Term
    time_limit_days: Term

    @property
    def rate_ppm_per_month(self) -> int:
        """The monthly interest as parts per million (1.5% is 15,000)."""
        value = Decimal(self.interest.value or 0) * 10_000
        return int(value)

    def terms(self) -> list[Term]:
        return [self.due_days, self.interest, self.grace_days, self.time_limit_days]


def _citation(agreement: Agreement, name: str, on: date) -> Term:
    if name not in agreement.parameters:
        return Term(name, None, f"{agreement.id}: not stated", True, "the agreement states none")
    parameter = agreement.parameter(name)
    uncertain = parameter.status == "uncertain"
    try:
        dated = parameter.dated(on)
    except NoValue:
        dated = None
    if dated is None:
        return Term(name, None, f"{agreement.id}: no value on {on}", True, parameter.missing)
    source = dated.source
    where = source.section or source.url or ""
    text = f"{agreement.id} ({agreement.name}), {name}: {source.document}"
    if where:
        text += f", {where}"
    text += f': "{source.quote.strip()}"'
    value = dated.value
    if isinstance(value, bool) or not isinstance(value, Decimal | int):
        return Term(name, None, text, True, f"{name} is not a number")
    return Term(name, value, text, uncertain, parameter.missing)


def ledger_terms(agreement: Agreement, on: date) -> tuple[LedgerTerms | None, list[Problem]]:
    """The ledger's terms of ``agreement`` on ``on``; problems when a needed one is absent."""
    names = (DUE_DAYS, INTEREST, GRACE, TIME_LIMIT)
    cited = {name: _citation(agreement, name, on) for name in names}
    problems = [
        Problem(
            Location(file=agreement.files[0].path if agreement.files else None, field=name),
            f"{agreement.id} states no {name} on {on}",
            hint="add the parameter, with its source, to the agreement file",
        )
        for name in NEEDED
        if cited[name].value is None
    ]
    if problems:
        return None, problems
    grace = cited[GRACE]
    if grace.value is None:
        grace = Term(GRACE, 0, f"{agreement.id}: no grace period stated", False)
    return (
        LedgerTerms(
            agreement.id,
            agreement.files[0].sha256 if agreement.files else "",
            cited[DUE_DAYS],
            cited[INTEREST],
            grace,
            cited[TIME_LIMIT],
        ),
        [],
    )
