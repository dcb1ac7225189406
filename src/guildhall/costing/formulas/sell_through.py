"""Electronic sell-through: a lower rate up to a number of downloads, a higher one after.

Downloads are counted cumulatively per production across periods; when the tier
boundary falls inside a period, that period's distributor's gross is apportioned to the
two tiers in proportion to its downloads (in whole cents, half up) and each part is paid
at its tier's rate. Features and TV programs have their own boundary and rates.
"""

from __future__ import annotations

from decimal import Decimal

import ibis
import ibis.expr.types as ir

from guildhall.costing.arith import div_half_up, int64, ppm
from guildhall.costing.formulas.per_event import TRADITIONAL, after_cutoff
from guildhall.costing.params import Terms


def downloads_by_period(rows: ir.Table, productions: ir.Table) -> ir.Table:
    """Sell-through per production and period, with the downloads of earlier periods.

    Only the sums are carried through the grouping; the production's medium and start
    date are joined back afterwards from ``productions`` (one row per production)."""
    est = rows.filter((rows.market == "electronic_sell_through") & rows.medium.isin(TRADITIONAL))
    sums = est.group_by(["production_id", "period_start"]).aggregate(
        units=int64(est.units.sum()),
        distributors_gross_cents=int64(est.distributors_gross_cents.sum()),
    )
    per_period = sums.join(
        productions.select("production_id", "medium", "production_start"), "production_id"
    )
    earlier = ibis.window(
        group_by="production_id", order_by="period_start", preceding=None, following=0
    )
    return per_period.mutate(
        units_before=int64(per_period.units.sum().over(earlier)) - per_period.units
    )


def _combined_rate(terms: Terms, name: str) -> int:
    """A rate stated on the royalty base, as parts per million of distributor's gross."""
    rate = Decimal(str(terms.get(name))) * Decimal(str(terms.get("sell_through_royalty_base")))
    return ppm(rate / 100)


def _boundary_and_rates(
    periods: ir.Table, terms: Terms
) -> tuple[ir.IntegerValue, int, ir.IntegerValue]:
    is_feature = periods.medium == "theatrical"

    def pick(feature: int, tv: int) -> ir.IntegerValue:
        return ibis.ifelse(is_feature, feature, tv)

    boundary = pick(
        terms.count("sell_through_tier_downloads_theatrical"),
        terms.count("sell_through_tier_downloads_television"),
    )
    later_rate = pick(
        _combined_rate(terms, "sell_through_rate_above_tier_theatrical"),
        _combined_rate(terms, "sell_through_rate_above_tier_television"),
    )
    return boundary, _combined_rate(terms, "sell_through_rate"), later_rate


def initial_tier_gross(periods: ir.Table, terms: Terms) -> ir.IntegerValue:
    """The cents of each period's gross that fall in the initial tier: all of it below the
    boundary, none above, and in proportion to the downloads (half up) when it straddles."""
    boundary, _, _ = _boundary_and_rates(periods, terms)
    room = ibis.greatest(boundary - periods.units_before, 0)
    initial_units = ibis.least(room, periods.units)
    gross = periods.distributors_gross_cents
    return ibis.ifelse(
        periods.units == 0,
        ibis.ifelse(room > 0, gross, 0),
        div_half_up(gross * initial_units, ibis.greatest(periods.units, 1)),
    )


def sell_through(
    periods: ir.Table, terms: Terms, initial_gross: ir.IntegerValue | None = None
) -> ir.IntegerValue:
    """``electronic_sell_through_residual``: micro-cents for each row of ``downloads_by_period``.

    The initial tier's share of the gross (``initial_tier_gross``) is paid at the initial
    rate, the rest at the rate above the tier. ``initial_gross`` may name a column already
    holding that share, so the expression is not repeated inside this one."""
    _, initial_rate, later_rate = _boundary_and_rates(periods, terms)
    if initial_gross is None:
        initial_gross = initial_tier_gross(periods, terms)
    gross = periods.distributors_gross_cents
    micro = initial_gross * initial_rate + (gross - initial_gross) * later_rate
    return ibis.ifelse(after_cutoff(periods, terms), micro, 0)
