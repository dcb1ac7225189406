"""Allocation of a production's amount to its performers, in proportion to their units.

Shares are rounded so that they add up to the amount exactly: performers are ordered by
id within a production, and performer *i* gets ``round(A × U_i / U) − round(A × U_(i−1) / U)``
where ``U_i`` is the units of performers 1..i and ``U`` all the production's units. Each
share is within a cent of the exact proportion. An amount with no credits to share it
(or a fund's share) stays with ``performer_id`` empty.
"""

from __future__ import annotations

from collections.abc import Sequence

import ibis
import ibis.expr.types as ir

from guildhall.costing.arith import div_half_up, int64

UNALLOCATED_KINDS = ("streaming_bonus_fund",)


def credit_shares(credits: ir.Table) -> ir.Table:
    """(production_id, performer_id, units, earnings_cents, units_through, units_total) per
    performer and production."""
    per_performer = credits.group_by(["production_id", "performer_id"]).aggregate(
        units=int64(credits.units.sum()),
        earnings_cents=int64(credits.earnings_cents.sum()),
    )
    through = ibis.window(
        group_by="production_id", order_by="performer_id", preceding=None, following=0
    )
    return per_performer.mutate(
        units_through=int64(per_performer.units.sum().over(through)),
        units_total=int64(per_performer.units.sum().over(group_by="production_id")),
    )


def share_of(amount: ir.IntegerValue, shares: ir.Table) -> ir.IntegerValue:
    """A performer's exact-cent share of ``amount`` (cents, a production's), for rows of
    ``shares`` joined with the amount: ``round(A × U_i / U) − round(A × U_(i−1) / U)``."""
    return (
        div_half_up(amount * shares.units_through, shares.units_total)
        - div_half_up(amount * (shares.units_through - shares.units), shares.units_total)
    ).cast("int64")


def allocate(amounts: ir.Table, shares: ir.Table, keys: list[str]) -> ir.Table:
    """Each row of ``amounts`` (``keys`` + production_id + amount_cents) split to performers."""
    to_share = amounts.filter(~amounts.kind.isin(UNALLOCATED_KINDS)) if "kind" in keys else amounts
    joined = to_share.left_join(shares, "production_id")
    total = joined.amount_cents
    share = ibis.ifelse(joined.units_total.isnull(), total, share_of(total, joined))
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


def amounts_by_production(
    amounts: ir.Table, agreements: Sequence[str | int], unallocated: Sequence[str | int]
) -> ir.Table:
    """(production_id, amount_0, amount_1, ...): each agreement's amounts on a production,
    summed over periods and the kinds that are shared among performers. ``agreements`` and
    ``unallocated`` are the values of the ``agreement`` and ``kind`` columns: names, or
    the small integers of an encoded amounts table.

    The per-performer totals of a comparison split these columns (``split_among_credits``)
    in one pass over the credits for every agreement: a production's share is figured on
    its amount summed over periods and kinds, so a performer's total is exact to the cent
    against the production's total."""
    kept = amounts.filter(~amounts.kind.isin(list(unallocated)))
    return kept.group_by("production_id").aggregate(
        **{
            f"amount_{i}": int64(
                ibis.ifelse(kept.agreement == agreement, kept.amount_cents, 0).sum()
            )
            for i, agreement in enumerate(agreements)
        }
    )


def split_among_credits(wide: ir.Table, credits: ir.Table, count: int) -> ir.Table:
    """Per performer: ``earnings_cents`` and ``total_<i>`` for each of ``count`` columns
    ``amount_<i>`` of ``wide`` (a row per production).

    The credits are not first summed per (production, performer): each credit row takes
    ``round(A × T_r / U) − round(A × T_(r−1) / U)``, with ``T_r`` the units of the rows
    up to and including it in performer order. A performer's rows on a production are
    consecutive in that order, so their shares add up (the sum telescopes) to exactly the
    performer's share in ``credit_shares``, whatever the order among them."""
    through = ibis.window(
        group_by="production_id", order_by="performer_id", preceding=None, following=0
    )
    shares = credits.select(
        "production_id",
        "performer_id",
        "earnings_cents",
        units=credits.units.cast("int64"),
        units_through=int64(credits.units.sum().over(through)),
        units_total=int64(credits.units.sum().over(group_by="production_id")),
    )
    joined = shares.left_join(wide, "production_id")
    split = {
        f"total_{i}": share_of(joined[f"amount_{i}"].fill_null(0), joined) for i in range(count)
    }
    per_row = joined.select("performer_id", "earnings_cents", **split)
    return per_row.group_by("performer_id").aggregate(
        earnings_cents=int64(per_row.earnings_cents.sum()),
        **{name: int64(per_row[name].sum()) for name in split},
    )


def obligations(amounts: ir.Table, credits: ir.Table) -> ir.Table:
    """The obligations table: (agreement, production_id, performer_id, period_start, kind,
    amount_cents), each production's amount per period and kind shared among performers."""
    keys = ["agreement", "period_start", "kind"]
    allocated = allocate(amounts, credit_shares(credits), keys)
    return allocated.filter(allocated.amount_cents != 0).select(
        "agreement", "production_id", "performer_id", "period_start", "kind", "amount_cents"
    )
