"""Residuals in the traditional markets.

Reruns (``network_rerun_residual``), syndication and basic-cable runs pay each performer
the schedule's percentage of the performer's own applicable minimum for the run's number;
a production's amount is that percentage of the sum of its performers' minimums in the
contract year of the period (``minimum_column``), shared among them in proportion to
their minimums. Foreign free TV, pay TV and theatrical films on free TV pay a percentage
of distributor's gross; supplemental markets a tiered percentage of the producer's gross.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import ROUND_HALF_UP, Decimal

import ibis
import ibis.expr.types as ir

from guildhall.costing.arith import int64, ppm
from guildhall.costing.params import CATEGORIES, CONTRACT_YEARS, Terms

TELEVISION = ("network_tv", "cable_tv")
RUNS = {
    "network_rerun": ("network_rerun_residual", "network_rerun_schedule", "free_tv_rerun"),
    "syndication": ("syndication_residual", "syndication_schedule", "syndication"),
    "basic_cable": ("basic_cable_residual", "basic_cable_schedule", "basic_cable"),
}
"""Kind → (formula, schedule parameter, market) of the residuals paid per run."""

ON_GROSS = {
    "foreign_free_tv": ("foreign_free_tv_residual", "foreign_free_tv_percent", "foreign_free_tv"),
    "pay_tv": ("pay_tv_residual", "pay_tv_percent", "pay_tv"),
    "theatrical_on_free_tv": (
        "theatrical_free_tv_residual",
        "theatrical_free_tv_percent",
        "theatrical_on_free_tv",
    ),
}
"""Kind → (formula, percentage parameter, market) of the residuals on distributor's gross."""

MEDIUMS_OF_GROSS_KIND = {
    "foreign_free_tv": TELEVISION,
    "pay_tv": ("theatrical", *TELEVISION),
    "theatrical_on_free_tv": ("theatrical",),
}

MINIMUM_FORMULAS = (
    *(formula for formula, _, _ in RUNS.values()),
    "ad_supported_streaming_residual",
)
"""Formulas figured on performers' applicable minimums."""


def uses_minimums(terms: Terms) -> bool:
    """Whether the agreement figures its minimum-based residuals on each performer's
    applicable minimum (it lists ``applicable_minimum``). An agreement that does not (a
    writers' or directors' contract) figures them on the production's residual base."""
    return terms.has("applicable_minimum") and any(terms.has(f) for f in MINIMUM_FORMULAS)


def minimum_column(terms: Terms, year: int) -> str:
    """The column of a production's summed applicable minimums in contract year ``year``."""
    return f"minimum__{terms.id}__{year}"


def base_column(terms: Terms) -> str:
    """The column of a row's summed minimums in the contract year of its period."""
    return f"base__{terms.id}"


def row_minimum(rows: ir.Table, terms: Terms) -> ir.IntegerValue:
    """``period_minimum`` as the column ``costing_rows`` made of it, where it did."""
    name = base_column(terms)
    return rows[name] if name in rows.columns else period_minimum(rows, terms)


def weight_column(terms: Terms) -> str:
    """The column of a credit's applicable minimum in the first contract year: the weight
    a minimum-based amount is shared by."""
    return f"weight__{terms.id}"


def credit_minimum(credits: ir.Table, terms: Terms, year: int) -> ir.IntegerValue:
    """Each credit's applicable minimum (``applicable_minimum``) in cents."""
    return ibis.cases(
        *[(credits.category == c, terms.minimum_cents(c, year)) for c in CATEGORIES],
        else_=0,
    ).cast("int64")


def minimum_facts(credits: ir.Table, agreements: list[Terms]) -> ir.Table | None:
    """Per production: the sum of its performers' applicable minimums, per agreement and
    contract year, for the agreements with minimum-based formulas."""
    columns = {
        minimum_column(t, y): int64(credit_minimum(credits, t, y).sum())
        for t in agreements
        if uses_minimums(t)
        for y in range(CONTRACT_YEARS)
    }
    if not columns:
        return None
    return credits.group_by("production_id").aggregate(**columns)


def contract_year(day: ir.DateValue, terms: Terms) -> ir.IntegerValue:
    """0, 1 or 2: the contract year ``day`` falls in (before the term: the first)."""
    second, third = terms.year_starts()
    return ibis.cases((day < second, 0), (day < third, 1), else_=2)


def period_minimum(rows: ir.Table, terms: Terms) -> ir.IntegerValue:
    """The production's summed minimums in the contract year of each row's period (its
    residual base, for an agreement not figured on performers' minimums)."""
    if not uses_minimums(terms):
        return rows.residual_base_cents
    year = contract_year(rows.period_start, terms)
    return ibis.cases(
        (year == 0, rows[minimum_column(terms, 0)]),
        (year == 1, rows[minimum_column(terms, 1)]),
        else_=rows[minimum_column(terms, 2)],
    ).fill_null(0)


def schedule_rate(run: ir.IntegerValue, schedule: tuple[int, ...]) -> ir.IntegerValue:
    """The schedule's rate (parts per million) for run number ``run``; the last repeats."""
    if len(schedule) == 1:
        return ibis.literal(schedule[0], "int64")
    return ibis.cases(
        *[(run == n, rate) for n, rate in enumerate(schedule[:-1], start=1)],
        else_=schedule[-1],
    ).cast("int64")


PerEvent = Callable[[ir.Table, Terms, ir.BooleanValue], ir.IntegerValue]


def per_run(kind: str) -> PerEvent:
    formula, schedule, market = RUNS[kind]

    def compute(rows: ir.Table, terms: Terms, covered: ir.BooleanValue) -> ir.IntegerValue:
        if not terms.has(formula):
            return ibis.literal(0, "int64")
        applies = (rows.market == market) & rows.medium.isin(TELEVISION) & (rows.units >= 1)
        if kind == "network_rerun":
            applies = applies & (rows.medium == "network_tv")
        rate = schedule_rate(rows.units, terms.schedule(schedule))
        return ibis.ifelse(applies, rate * row_minimum(rows, terms) * rows.lines, 0)

    compute.__doc__ = (
        f"``{formula}``: per run, a percentage of the performers' minimums (``lines``: the"
        " runs a row stands for)."
    )
    return compute


def on_gross(kind: str) -> PerEvent:
    formula, percent, market = ON_GROSS[kind]
    mediums = MEDIUMS_OF_GROSS_KIND[kind]

    def compute(rows: ir.Table, terms: Terms, covered: ir.BooleanValue) -> ir.IntegerValue:
        if not terms.has(formula):
            return ibis.literal(0, "int64")
        applies = (rows.market == market) & rows.medium.isin(mediums)
        return ibis.ifelse(applies, rows.distributors_gross_cents * terms.rate(percent), 0)

    compute.__doc__ = f"``{formula}``: a percentage of distributor's gross."
    return compute


def supplemental_rates(terms: Terms) -> tuple[int, int, int]:
    """(first-tier rate, rate after the tier, both in parts per million of distributor's
    gross; the tier in cents of distributor's gross)."""
    base = Decimal(str(terms.get("supplemental_markets_royalty_base")))
    first = ppm(base * Decimal(str(terms.get("supplemental_markets_rate"))) / 100)
    above = ppm(base * Decimal(str(terms.get("supplemental_markets_rate_above_tier"))) / 100)
    tier_producer = Decimal(str(terms.get("supplemental_markets_tier_dollars"))) * 100
    tier = int((tier_producer * 100 / base).quantize(Decimal(1), ROUND_HALF_UP)) if base else 0
    return first, above, tier


def supplemental_by_period(rows: ir.Table) -> ir.Table:
    """(production_id, period_start, gross, before): home-video gross per production and
    period, and the production's gross in the periods before it."""
    sold = rows.filter(
        (rows.market == "supplemental_markets") & rows.medium.isin(("theatrical", *TELEVISION))
    )
    periods = sold.group_by(["production_id", "period_start"]).aggregate(
        gross=int64(sold.distributors_gross_cents.sum())
    )
    earlier = ibis.window(
        group_by="production_id", order_by="period_start", preceding=None, following=0
    )
    return periods.mutate(before=int64(periods.gross.sum().over(earlier)) - periods.gross)


def supplemental_markets(periods: ir.Table, terms: Terms) -> ir.IntegerValue:
    """``supplemental_markets_residual`` in micro-cents for each row of
    ``supplemental_by_period``: the first tier of a title's gross at the first rate."""
    first_rate, above_rate, tier = supplemental_rates(terms)
    first = ibis.greatest(ibis.least(tier - periods.before, periods.gross), 0)
    return first * first_rate + (periods.gross - first) * above_rate


def tier_split(gross: int, before: int, tier: int) -> tuple[int, int]:
    """(cents at the first rate, cents after the tier) of ``gross`` (for explanations)."""
    first = max(0, min(tier - before, gross))
    return first, gross - first
