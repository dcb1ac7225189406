"""The journal's rules: what a correction looks like, which entries are in effect, and the
balances, which are always derived from the entries and never stored apart."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from guildhall.core.problems import Location, Problem
from guildhall.ledger.records import Entry


def reversal_key(entry: Entry) -> str:
    """The idempotency key of the entry that reverses ``entry``: one reversal per entry."""
    return f"reversal:{entry.key}"


def check_reversal(target: Entry, entries: Iterable[Entry]) -> list[Problem]:
    """Why ``target`` may not be reversed now: it is a reversal, a claim step, or reversed."""
    where = Location(field="entry")
    if target.reverses is not None:
        return [Problem(where, f"entry {target.seq} is itself a reversal")]
    if target.kind == "claim":
        return [Problem(where, f"entry {target.seq} is a claim step; claims move forward only")]
    if any(e.reverses == target.seq for e in entries):
        return [Problem(where, f"entry {target.seq} is already reversed")]
    return []


def in_effect(entries: Iterable[Entry]) -> list[Entry]:
    """Entries neither reversed nor reversals: what the ledger holds now."""
    listed = list(entries)
    reversed_seqs = {e.reverses for e in listed if e.reverses is not None}
    return [e for e in listed if e.reverses is None and e.seq not in reversed_seqs]


@dataclass(frozen=True)
class Balance:
    """What an employer owes and has paid, summed from the journal."""

    employer: str
    owed_cents: int
    paid_cents: int

    @property
    def outstanding_cents(self) -> int:
        return self.owed_cents - self.paid_cents


def balances(entries: Iterable[Entry], as_of: date | None = None) -> list[Balance]:
    """Owed and paid per employer: every obligation and remittance entry, reversals
    included (a reversal carries the opposite amount, so the two cancel). With ``as_of``,
    obligations due and remittances paid on or before that day."""
    owed: dict[str, int] = defaultdict(int)
    paid: dict[str, int] = defaultdict(int)
    for entry in entries:
        if entry.kind == "obligation" and (as_of is None or (entry.due_on or as_of) <= as_of):
            owed[entry.employer] += entry.amount_cents
        elif entry.kind == "remittance" and (as_of is None or (entry.paid_on or as_of) <= as_of):
            paid[entry.employer] += entry.amount_cents
    return [Balance(e, owed[e], paid[e]) for e in sorted(set(owed) | set(paid))]
