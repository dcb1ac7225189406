"""Allocation of a production's amount to its performers, in proportion to their units.

Shares are rounded so that they add up to the amount exactly: performers are ordered by
id within a production, and performer *i* gets ``round(A × U_i / U) − round(A × U_(i−1) / U)``
where ``U_i`` is the weight of performers 1..i and ``U`` all the production's. The weight
is the credit's units for most residuals; its applicable minimum for those figured on
minimums (reruns, syndication, cable runs, the fixed streaming residual), so each
performer gets the percentage of the performer's own minimum; and its session pay for
the minimum increases. Each
share is within a cent of the exact proportion. An amount with no credits to share it
(or a fund's share) stays with ``performer_id`` empty.
"""

from __future__ import annotations

from collections.abc import Sequence

import ibis
import ibis.expr.types as ir

from guildhall.costing.arith import div_half_up, int64
from guildhall.costing.formulas import EARNINGS_KINDS, MINIMUM_KINDS, UNALLOCATED_KINDS
from guildhall.costing.formulas.traditional import credit_minimum, uses_minimums, weight_column
from guildhall.costing.params import Terms


def _weights(credits: ir.Table, agreements: Sequence[Terms]) -> dict[str, ir.IntegerValue]:
    """The weights an amount is shared by: units; session pay; and, per agreement with
    minimum-based formulas, each credit's applicable minimum."""
    weights: dict[str, ir.IntegerValue] = {
        "units": credits.units.cast("int64"),
        "earnings": credits.earnings_cents,
    }
    for t in agreements:
        if uses_minimums(t):
            weights[weight_column(t)] = credit_minimum(credits, t, 0)
    return weights


def _through_and_total(table: ir.Table, names: Sequence[str]) -> dict[str, ir.IntegerValue]:
    through = ibis.window(
        group_by="production_id", order_by="performer_id", preceding=None, following=0
    )
    out: dict[str, ir.IntegerValue] = {}
    for name in names:
        out[f"{name}_through"] = int64(table[name].sum().over(through))
        out[f"{name}_total"] = int64(table[name].sum().over(group_by="production_id"))
    return out


def credit_shares(credits: ir.Table, agreements: Sequence[Terms] = ()) -> ir.Table:
    """Per performer and production: each weight (``_weights``) with its running sum in
    performer order (``<weight>_through``) and the production's total (``<weight>_total``)."""
    weights = _weights(credits, agreements)
    per_performer = credits.group_by(["production_id", "performer_id"]).aggregate(
        **{name: int64(value.sum()) for name, value in weights.items()}
    )
    per_performer = per_performer.mutate(earnings_cents=per_performer.earnings)
    return per_performer.mutate(**_through_and_total(per_performer, list(weights)))


def share_of(amount: ir.IntegerValue, shares: ir.Table, weight: str = "units") -> ir.IntegerValue:
    """A performer's exact-cent share of ``amount`` (cents, a production's), for rows of
    ``shares`` joined with the amount: ``round(A × W_i / W) − round(A × W_(i−1) / W)``
    for the weight ``weight``; nothing where the production's weights add up to 0."""
    through, own, total = (
        shares[f"{weight}_through"],
        shares[weight],
        shares[f"{weight}_total"],
    )
    divisor = ibis.greatest(total, 1)
    share = div_half_up(amount * through, divisor) - div_half_up(amount * (through - own), divisor)
    return ibis.ifelse(total > 0, share, 0).cast("int64")


def _basis(
    kind: ir.Value, agreement: ir.Value, agreements: Sequence[Terms]
) -> list[tuple[ir.BooleanValue, str]]:
    """(condition, weight) pairs choosing each row's weight by its kind and agreement."""
    cases: list[tuple[ir.BooleanValue, str]] = [(kind.isin(list(EARNINGS_KINDS)), "earnings")]
    for t in agreements:
        if uses_minimums(t):
            cases.append((kind.isin(list(MINIMUM_KINDS)) & (agreement == t.id), weight_column(t)))
    return cases


def allocate(
    amounts: ir.Table, shares: ir.Table, keys: list[str], agreements: Sequence[Terms] = ()
) -> ir.Table:
    """Each row of ``amounts`` (``keys`` + production_id + amount_cents) split to performers,
    by units, by session pay (minimum increases) or by applicable minimum (minimum-based
    residuals), as ``MINIMUM_KINDS`` and ``EARNINGS_KINDS`` say."""
    to_share = amounts.filter(~amounts.kind.isin(UNALLOCATED_KINDS)) if "kind" in keys else amounts
    joined = to_share.left_join(shares, "production_id")
    total = joined.amount_cents
    if "kind" in keys:
        share = ibis.cases(
            *[
                (cond, share_of(total, joined, weight))
                for cond, weight in _basis(joined.kind, joined.agreement, agreements)
            ],
            else_=share_of(total, joined),
        )
    else:
        share = share_of(total, joined)
    share = ibis.ifelse(joined.units_total.isnull(), total, share)
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


BASES = ("units", "minimum", "earnings")


def amounts_by_production(
    amounts: ir.Table,
    agreements: Sequence[str | int],
    unallocated: Sequence[str | int],
    minimum: Sequence[str | int] = (),
    earnings: Sequence[str | int] = (),
) -> ir.Table:
    """(production_id, amount_<basis>_0, amount_<basis>_1, ...): each agreement's amounts
    on a production, summed over periods and the kinds shared by each basis (units;
    ``minimum``: the minimum-based kinds; ``earnings``: session pay). ``agreements``,
    ``unallocated``, ``minimum`` and ``earnings`` are values of the ``agreement`` and
    ``kind`` columns: names, or the small integers of an encoded amounts table.

    The per-performer totals of a comparison split these columns (``split_among_credits``)
    in one pass over the credits for every agreement: a production's share is figured on
    its amount summed over periods and kinds, so a performer's total is exact to the cent
    against the production's total."""
    kept = amounts.filter(~amounts.kind.isin(list(unallocated)))
    by_basis = {
        "minimum": kept.kind.isin(list(minimum)) if minimum else ibis.literal(False),
        "earnings": kept.kind.isin(list(earnings)) if earnings else ibis.literal(False),
    }
    basis = ibis.cases(
        (by_basis["minimum"], "minimum"), (by_basis["earnings"], "earnings"), else_="units"
    )
    kept = kept.mutate(basis=basis)
    return kept.group_by("production_id").aggregate(
        **{
            f"amount_{b}_{i}": int64(
                ibis.ifelse(
                    (kept.agreement == agreement) & (kept.basis == b), kept.amount_cents, 0
                ).sum()
            )
            for i, agreement in enumerate(agreements)
            for b in BASES
        }
    )


def split_among_credits(wide: ir.Table, credits: ir.Table, agreements: Sequence[Terms]) -> ir.Table:
    """Per performer: ``earnings_cents`` and ``total_<i>`` for each agreement, the columns
    ``amount_<basis>_<i>`` of ``wide`` (a row per production) split by their weights.

    The credits are not first summed per (production, performer): each credit row takes
    ``round(A × T_r / U) − round(A × T_(r−1) / U)``, with ``T_r`` the weights of the rows
    up to and including it in performer order. A performer's rows on a production are
    consecutive in that order, so their shares add up (the sum telescopes) to exactly the
    performer's share in ``credit_shares``, whatever the order among them."""
    weights = _weights(credits, agreements)
    rows = credits.select("production_id", "performer_id", "earnings_cents", **weights)
    shares = rows.mutate(**_through_and_total(rows, list(weights)))
    joined = shares.left_join(wide, "production_id")

    def part(basis: str, i: int, t: Terms) -> ir.IntegerValue:
        column = joined[f"amount_{basis}_{i}"].fill_null(0)
        if basis == "units":
            return share_of(column, joined)
        if basis == "earnings":
            return share_of(column, joined, "earnings")
        if not uses_minimums(t):
            return share_of(column, joined)
        return share_of(column, joined, weight_column(t))

    split = {
        f"total_{i}": sum((part(b, i, t) for b in BASES[1:]), part(BASES[0], i, t))
        for i, t in enumerate(agreements)
    }
    per_row = joined.select("performer_id", "earnings_cents", **split)
    return per_row.group_by("performer_id").aggregate(
        earnings_cents=int64(per_row.earnings_cents.sum()),
        **{name: int64(per_row[name].sum()) for name in split},
    )


def obligations(amounts: ir.Table, credits: ir.Table, agreements: Sequence[Terms] = ()) -> ir.Table:
    """The obligations table: (agreement, production_id, performer_id, period_start, kind,
    amount_cents), each production's amount per period and kind shared among performers.
    ``agreements``: the terms the amounts were figured under (their minimums are the
    weights of the minimum-based kinds; without them those kinds are shared by units)."""
    keys = ["agreement", "period_start", "kind"]
    allocated = allocate(amounts, credit_shares(credits, agreements), keys, agreements)
    return allocated.filter(allocated.amount_cents != 0).select(
        "agreement", "production_id", "performer_id", "period_start", "kind", "amount_cents"
    )
