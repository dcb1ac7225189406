"""The ledger's records: obligations owed, remittances paid, and the journal's entries.

Amounts are integer cents. A ``kind`` is a payment kind as costing names it
(``rental``, ``sell_through``, ...) or ``force_majeure``; the ledger accepts any name, so
kinds that costing adds later need no change here.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

FORCE_MAJEURE = "force_majeure"

ENTRY_KINDS = ("obligation", "remittance", "claim")
"""What an entry records: an amount owed, an amount paid, or a step of a claim."""


@dataclass(frozen=True)
class Obligation:
    """An amount an employer owes for a production, period and kind (to a performer when
    ``performer_id`` is set), due on ``due_on`` under ``agreement``."""

    employer: str
    agreement: str
    production_id: int
    performer_id: int | None
    period_start: date
    kind: str
    amount_cents: int
    due_on: date

    def key(self) -> str:
        performer = "-" if self.performer_id is None else str(self.performer_id)
        return (
            f"obligation:{self.agreement}:{self.production_id}:{performer}:"
            f"{self.period_start.isoformat()}:{self.kind}"
        )


@dataclass(frozen=True)
class Remittance:
    """What an employer paid, as its remittance file says; ``reference`` is unique per
    employer."""

    employer: str
    production_id: int
    performer_id: int | None
    period_start: date
    kind: str
    amount_cents: int
    paid_on: date
    reference: str

    def key(self) -> str:
        return f"remittance:{self.employer}:{self.reference}"


@dataclass(frozen=True)
class Entry:
    """One entry of the append-only journal.

    ``key`` is the idempotency key: recording an entry whose key is already in the
    journal adds nothing. A correction is a new entry whose ``reverses`` names the entry
    it cancels, with the opposite amount; entries are never changed or removed.
    """

    seq: int
    key: str
    kind: str
    employer: str
    production_id: int | None
    performer_id: int | None
    period_start: date | None
    payment_kind: str | None
    amount_cents: int
    recorded_at: datetime
    by: str
    source: str
    agreement: str | None = None
    due_on: date | None = None
    paid_on: date | None = None
    reference: str | None = None
    claim_id: str | None = None
    reverses: int | None = None
    details: dict[str, Any] = field(default_factory=dict)
