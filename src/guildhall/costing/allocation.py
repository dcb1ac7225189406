"""Allocation of a production's amount to its performers, in proportion to their units.

Shares are rounded so that they add up to the amount exactly: performers are ordered by
id within a production, and performer *i* gets ``round(A × U_i / U) − round(A × U_(i−1) / U)``
where ``U_i`` is the units of performers 1..i and ``U`` all the production's units. Each
share is within a cent of the exact proportion. An amount with no credits to share it
(or a fund's share) stays with ``performer_id`` empty.
"""

from __future__ import annotations

import ibis
import ibis.expr.types as ir

from guildhall.costing.arith import div_half_up

UNALLOCATED_KINDS = ("streaming_bonus_fund",)


def credit_shares(credits: ir.Table) -> ir.Table:
    """(production_id, performer_id, units, units_through, units_total) per performer."""
    per_performer = credits.group_by(["production_id", "performer_id"]).aggregate(
        units=credits.units.sum().cast("int64")
    )
    through = ibis.window(
        group_by="production_id", order_by="performer_id", preceding=None, following=0
    )
    return per_performer.mutate(
        units_through=per_performer.units.sum().over(through).cast("int64"),
        units_total=per_performer.units.sum().over(group_by="production_id").cast("int64"),
    )


def allocate(amounts: ir.Table, shares: ir.Table, keys: list[str]) -> ir.Table:
    """Each row of ``amounts`` (``keys`` + production_id + amount_cents) split to performers."""
    to_share = amounts.filter(~amounts.kind.isin(UNALLOCATED_KINDS)) if "kind" in keys else amounts
    joined = to_share.left_join(shares, "production_id")
    total = joined.amount_cents
    share = ibis.ifelse(
        joined.units_total.isnull(),
        total,
        div_half_up(total * joined.units_through, joined.units_total)
        - div_half_up(total * (joined.units_through - joined.units), joined.units_total),
    )
    allocated = joined.select(
        *keys,
        "production_id",
        performer_id=joined.performer_id,
        amount_cents=share.cast("int64"),
    )
    if "kind" not in keys:
        return allocated
    fund = amounts.filter(amounts.kind.isin(UNALLOCATED_KINDS))
    fund = fund.select(
        *keys,
        "production_id",
        performer_id=ibis.null("int64"),
        amount_cents=fund.amount_cents,
    )
    return ibis.union(allocated, fund, distinct=False)


def obligations(amounts: ir.Table, credits: ir.Table) -> ir.Table:
    """The obligations table: (agreement, production_id, performer_id, period_start, kind,
    amount_cents), each production's amount per period and kind shared among performers."""
    keys = ["agreement", "period_start", "kind"]
    allocated = allocate(amounts, credit_shares(credits), keys)
    return allocated.filter(allocated.amount_cents != 0).select(
        "agreement", "production_id", "performer_id", "period_start", "kind", "amount_cents"
    )
