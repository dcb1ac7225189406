"""Reconciliation: remittances matched to obligations, on any Ibis backend.

The unit is the key (employer, production, period, kind). A remittance matches a key
exactly; one that names a performer matches only if that performer is owed on the key
(or the key's obligations are per production, naming no performer). A remittance naming
no performer pays the key as a whole; ``allocation.py`` says how it is split.

For each key, as of a date: obligations count once due (``due_on`` on or before it),
remittances once paid. Remittances pay the key in the order they were paid (then by
reference); the part of each that the amount owed still needed is *applied*, the rest is
an overpayment. Interest (``interest.py``) runs on each applied amount for the days it was
paid after the due date and grace period, and on what is still unpaid until the as-of date.

Outputs, each an Ibis table:

- ``shortfalls``: keys due with less applied than owed: owed, paid, unpaid and the
  interest on the unpaid part;
- ``late``: keys with an amount paid late: the amount, the days and its interest;
- ``overpayments``: keys paid more than owed;
- ``unmatched``: remittances that match no key (or name a performer not owed on it).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import ibis
import ibis.expr.types as ir

from guildhall.costing.arith import div_half_up, int64
from guildhall.costing.engine import materialize as keep
from guildhall.ledger.interest import DENOMINATOR, MONTHS_A_YEAR

KEY = ["employer", "production_id", "period_start", "kind"]

ALLOCATION = (
    "A remittance that names no performer pays its production, period and kind as a whole; "
    "it is split among the performers owed in proportion to what each is owed, performers in "
    "id order, each share round(P × O_i / O) − round(P × O_(i−1) / O) with O_i the amounts "
    "owed to performers 1..i, so the shares add up to the payment exactly."
)


@dataclass(frozen=True)
class Reconciliation:
    shortfalls: ir.Table
    late: ir.Table
    overpayments: ir.Table
    unmatched: ir.Table


def materialize(table: ir.Table, name: str) -> ir.Table:
    """``table`` computed once on its backend; in-memory tables (the journal's) as they are."""
    try:
        table._find_backend()
    except ibis.common.exceptions.IbisError:
        return table
    return keep(table, name)


def _days(later: ir.DateValue, earlier: ir.DateValue) -> ir.IntegerValue:
    return (later.epoch_days() - earlier.epoch_days()).cast("int64")


def _interest(cent_days: ir.IntegerValue, rate_ppm: ir.IntegerValue) -> ir.IntegerValue:
    return div_half_up(cent_days * rate_ppm * MONTHS_A_YEAR, DENOMINATOR)


KEYED = ("employer", "production_id", "period_start", "kind", "agreement")
"""The columns a finding is keyed and labelled by."""
OWED = (*KEYED, "due_on", "owed_cents")


def reconcile(obligations: ir.Table, remittances: ir.Table, as_of: date) -> Reconciliation:
    """Match ``remittances`` to ``obligations`` (columns as ``obligations.OBLIGATION_COLUMNS``
    and ``Remittance``'s fields) as of ``as_of``. The matched remittances and the per-key
    balances are computed once and kept on the backend (``engine.materialize``); the four
    findings are read from them."""
    day = ibis.date(as_of)
    keys = obligations.group_by(KEY).aggregate(
        agreement=obligations.agreement.max(),
        owed_cents=int64(obligations.amount_cents.sum()),
        due_on=obligations.due_on.min(),
        rate_ppm=obligations.rate_ppm.max(),
        grace_days=obligations.grace_days.max(),
        named=int64(obligations.performer_id.notnull().cast("int64").sum()),
    )
    owed_performers = (
        obligations.filter(obligations.performer_id.notnull())
        .select(*KEY, owed_performer=obligations.performer_id)
        .distinct()
    )
    paid = remittances.filter(remittances.paid_on <= day)
    with_key = paid.left_join(keys.select(*KEY, "named", has_key=ibis.literal(True)), KEY)
    with_key = with_key.drop(*[f"{k}_right" for k in KEY if f"{k}_right" in with_key.columns])
    with_performer = with_key.left_join(
        owed_performers,
        [
            with_key.employer == owed_performers.employer,
            with_key.production_id == owed_performers.production_id,
            with_key.period_start == owed_performers.period_start,
            with_key.kind == owed_performers.kind,
            with_key.performer_id == owed_performers.owed_performer,
        ],
    )
    with_performer = with_performer.drop(
        *[f"{k}_right" for k in KEY if f"{k}_right" in with_performer.columns]
    )
    matched_flag = with_performer.has_key.notnull() & (
        with_performer.performer_id.isnull()
        | (with_performer.named == 0)
        | with_performer.owed_performer.notnull()
    )
    flagged = materialize(with_performer.mutate(matched=matched_flag), "ledger_paid")
    unmatched = flagged.filter(~flagged.matched)
    unmatched = unmatched.select(
        "employer",
        "production_id",
        "performer_id",
        "period_start",
        "kind",
        "amount_cents",
        "paid_on",
        "reference",
        why=ibis.ifelse(
            unmatched.has_key.isnull(),
            "no obligation for this employer, production, period and kind",
            "names a performer who is owed nothing on this production, period and kind",
        ),
    )
    matched = flagged.filter(flagged.matched).select(*KEY, "amount_cents", "paid_on", "reference")
    terms = keys.select(*KEY, "owed_cents", "due_on", "rate_ppm", "grace_days")
    applied = matched.join(terms, KEY)
    order = ibis.window(
        group_by=KEY, order_by=[applied.paid_on, applied.reference], preceding=None, following=0
    )
    running = applied.mutate(through=int64(applied.amount_cents.sum().over(order)))
    before = running.through - running.amount_cents
    need = ibis.greatest(running.owed_cents - before, 0)
    part = ibis.least(running.amount_cents, need).cast("int64")
    late_days = ibis.greatest(_days(running.paid_on, running.due_on) - running.grace_days, 0)
    parts = running.mutate(applied=part, late_days=late_days.cast("int64"))
    per_key = parts.group_by(KEY).aggregate(
        paid_cents=int64(parts.amount_cents.sum()),
        applied_cents=int64(parts.applied.sum()),
        late_cents=int64(ibis.ifelse(parts.late_days > 0, parts.applied, 0).sum()),
        late_cent_days=int64((parts.applied * parts.late_days).sum()),
        most_days_late=int64(ibis.ifelse(parts.applied > 0, parts.late_days, 0).max()),
        remittances=int64(parts.amount_cents.count()),
    )
    whole = keys.left_join(per_key, KEY)
    whole = whole.drop(*[f"{k}_right" for k in KEY if f"{k}_right" in whole.columns])
    whole = whole.mutate(
        paid_cents=whole.paid_cents.fill_null(0),
        applied_cents=whole.applied_cents.fill_null(0),
        late_cents=whole.late_cents.fill_null(0),
        late_cent_days=whole.late_cent_days.fill_null(0),
        most_days_late=whole.most_days_late.fill_null(0),
        remittances=whole.remittances.fill_null(0),
    )
    unpaid = (whole.owed_cents - whole.applied_cents).cast("int64")
    unpaid_days = ibis.greatest(_days(day, whole.due_on) - whole.grace_days, 0).cast("int64")
    whole = materialize(whole.mutate(unpaid_cents=unpaid, unpaid_days=unpaid_days), "ledger_keys")
    due = whole.filter((whole.due_on <= day) & (whole.unpaid_cents > 0))
    shortfalls = due.select(
        *OWED,
        "paid_cents",
        "unpaid_cents",
        days_late=due.unpaid_days,
        interest_cents=_interest(due.unpaid_cents * due.unpaid_days, due.rate_ppm),
    )
    was_late = whole.filter(whole.late_cents > 0)
    late = was_late.select(
        *OWED,
        "late_cents",
        days_late=was_late.most_days_late,
        interest_cents=_interest(was_late.late_cent_days, was_late.rate_ppm),
    )
    over = whole.filter(whole.paid_cents > whole.owed_cents)
    overpayments = over.select(
        *KEYED,
        "owed_cents",
        "paid_cents",
        overpaid_cents=(over.paid_cents - over.owed_cents).cast("int64"),
    )
    return Reconciliation(shortfalls, late, overpayments, unmatched)


ORDER = ["employer", "production_id", "period_start", "kind"]


def collect(result: Reconciliation) -> dict[str, list[dict[str, object]]]:
    """Each table of ``result`` as rows of plain values, in key order (then reference)."""
    out: dict[str, list[dict[str, object]]] = {}
    for name in ("shortfalls", "late", "overpayments", "unmatched"):
        table: ir.Table = getattr(result, name)
        order = [*ORDER, "reference"] if name == "unmatched" else ORDER
        rows = table.order_by(order).to_pyarrow().to_pylist()
        out[name] = [_plain(row) for row in rows]
    return out


def _plain(row: dict[str, object]) -> dict[str, object]:
    return {
        k: (int(v) if isinstance(v, bool | int) and not isinstance(v, bool) else v)
        for k, v in row.items()
    }
