"""Claims: shortfalls an employer is asked to pay, and the steps a claim moves through.

A claim is opened on one employer's shortfalls with their evidence (the obligation rows,
the terms and sources that created them, the remittances found). It then moves through
demand, grievance, arbitration filing, award or settlement, and payment; each step is a
journal entry, so a claim's state is always derived from the journal.

The time limit: an agreement's ``claim_time_limit_days``, counted from the earliest due
date among the claim's shortfalls, runs until the grievance is filed. The CLI warns
``WARN_DAYS`` before it runs out, and says when it has, or when the agreement states none.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from guildhall.core.problems import Location, Problem
from guildhall.ledger.records import Entry

OPENED = "opened"
STEPS = ("demand", "grievance", "arbitration_filed", "award", "settlement", "paid")
NEXT: dict[str, tuple[str, ...]] = {
    OPENED: ("demand",),
    "demand": ("grievance", "settlement"),
    "grievance": ("arbitration_filed", "settlement"),
    "arbitration_filed": ("award", "settlement"),
    "award": ("paid",),
    "settlement": ("paid",),
    "paid": (),
}
WITH_AMOUNT = ("award", "settlement", "paid")
"""Steps that state an amount: what was awarded, agreed, or received."""
FILED = "grievance"
"""The step that stops the claim's time limit."""
WARN_DAYS = 30


@dataclass(frozen=True)
class Step:
    name: str
    on: date
    amount_cents: int | None
    note: str | None
    seq: int
    by: str


@dataclass(frozen=True)
class Deadline:
    """When the claim must be filed by, and where that rule comes from."""

    file_by: date | None
    days: int | None
    counted_from: date
    source: str
    uncertain: bool
    missing: str | None

    def warning(self, today: date, filed: bool) -> str | None:
        """What to tell a person today, or ``None``."""
        if filed:
            return None
        if self.file_by is None:
            return (
                f"no time limit to file is stated ({self.missing or 'not stated'}); "
                "check the agreement before relying on any date"
            )
        left = (self.file_by - today).days
        if left < 0:
            return f"the time limit to file ran out on {self.file_by} ({-left} days ago)"
        if left <= WARN_DAYS:
            return f"the time limit to file runs out on {self.file_by}: {left} days left"
        return None

    def as_dict(self) -> dict[str, Any]:
        return {
            "file_by": self.file_by,
            "days": self.days,
            "counted_from": self.counted_from,
            "source": self.source,
            "uncertain": self.uncertain,
            "missing": self.missing,
        }


def deadline(evidence: dict[str, Any]) -> Deadline:
    """The time limit recorded with the claim when it was opened."""
    limit = evidence["time_limit"]
    start = date.fromisoformat(limit["counted_from"])
    days = None if limit["value"] is None else int(limit["value"])
    return Deadline(
        start + timedelta(days=days) if days is not None else None,
        days,
        start,
        limit["source"],
        bool(limit["uncertain"]),
        limit.get("missing"),
    )


@dataclass(frozen=True)
class Claim:
    """A claim as the journal holds it: its evidence and its steps so far."""

    id: str
    employer: str
    opened_on: date
    claimed_cents: int
    evidence: dict[str, Any]
    steps: tuple[Step, ...]

    @property
    def state(self) -> str:
        return self.steps[-1].name if self.steps else OPENED

    @property
    def deadline(self) -> Deadline:
        return deadline(self.evidence)

    def filed(self) -> bool:
        return any(s.name in (FILED, "arbitration_filed") for s in self.steps)

    def last_day(self) -> date:
        return self.steps[-1].on if self.steps else self.opened_on


def from_entries(claim_id: str, entries: list[Entry]) -> Claim | None:
    """The claim ``claim_id`` from its journal entries, or ``None`` if it has none."""
    mine = [e for e in entries if e.claim_id == claim_id and e.kind == "claim"]
    opened = [e for e in mine if e.details.get("step") == OPENED]
    if not opened:
        return None
    head = opened[0]
    steps = tuple(
        Step(
            e.details["step"],
            date.fromisoformat(e.details["on"]),
            e.amount_cents if e.details["step"] in WITH_AMOUNT else None,
            e.details.get("note"),
            e.seq,
            e.by,
        )
        for e in mine
        if e.details.get("step") != OPENED
    )
    return Claim(
        claim_id,
        head.employer,
        date.fromisoformat(head.details["on"]),
        head.amount_cents,
        head.details["evidence"],
        steps,
    )


def check_step(
    claim: Claim, step: str, on: date, today: date, amount_cents: int | None
) -> list[Problem]:
    """Why ``step`` may not be taken now; nothing when it may."""
    if step not in STEPS:
        return [Problem(Location(field="step"), f"{step!r} is not one of {', '.join(STEPS)}")]
    allowed = NEXT[claim.state]
    if step not in allowed:
        after = ", ".join(allowed) if allowed else "nothing: the claim is paid"
        return [
            Problem(
                Location(field="step"),
                f"claim {claim.id} is at {claim.state}; it may move to {after}",
            )
        ]
    problems = []
    if on < claim.last_day():
        problems.append(
            Problem(
                Location(field="on"), f"{on} is before the claim's last step ({claim.last_day()})"
            )
        )
    if on > today:
        problems.append(Problem(Location(field="on"), f"{on} is after today ({today})"))
    if step in WITH_AMOUNT and (amount_cents is None or amount_cents <= 0):
        problems.append(
            Problem(Location(field="amount"), f"a {step} states the amount, above zero")
        )
    if step not in WITH_AMOUNT and amount_cents is not None:
        problems.append(Problem(Location(field="amount"), f"a {step} states no amount"))
    return problems
