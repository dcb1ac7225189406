"""Session pay: what the minimum increases add, and pension and health contributions.

Credits' ``earnings_cents`` are at the old contract's rates. A production started in
contract year *n* of an agreement's term pays each performer ``(1 + r_1) × … × (1 + r_n)``
times as much (``minimum_increase``, the compounded increase rounded to a millionth). The
employer's pension and health contribution (``pension_health_contribution``) is a
percentage of each performer's pay from the production, raised, up to the plan's ceiling
per production, and the same percentage of the residuals (no ceiling applied to those).
Both are figured for productions started within the three contract years; the amount's
period is the quarter the production started in.
"""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal

import ibis
import ibis.expr.types as ir

from guildhall.costing.arith import MICRO, int64, ppm, to_cents
from guildhall.costing.formulas.traditional import contract_year
from guildhall.costing.params import CONTRACT_YEARS, Terms


def raise_ppm(terms: Terms, year: int) -> int:
    """The compounded increase through contract year ``year`` (0-based), parts per million."""
    exact = (terms.raise_factor(year) - 1) * MICRO
    return int(exact.quantize(Decimal(1), ROUND_HALF_UP))


def term_end(terms: Terms) -> dt.date:
    third = terms.year_starts()[-1]
    return third.replace(year=third.year + 1) if (third.month, third.day) != (2, 29) else third


def quarter_start(day: ir.DateValue) -> ir.DateValue:
    month = ((day.month() - 1) // 3) * 3 + 1
    return ibis.date(day.year(), month.cast("int32"), 1)


def session_credits(credits: ir.Table, productions: ir.Table, terms: Terms) -> ir.Table:
    """Credits on productions started within the term, with the contract year, the
    quarter the production started in and its medium."""
    started = productions.filter(
        (productions.production_start >= terms.term_start)
        & (productions.production_start < term_end(terms))
    ).select("production_id", "production_start", "medium")
    joined = credits.select("production_id", "earnings_cents").join(started, "production_id")
    return joined.mutate(
        year=contract_year(joined.production_start, terms),
        period_start=quarter_start(joined.production_start),
    )


def _by_year(year: ir.IntegerValue, values: list[int]) -> ir.IntegerValue:
    return ibis.cases(*[(year == y, v) for y, v in enumerate(values)], else_=values[-1]).cast(
        "int64"
    )


def minimum_increase(rows: ir.Table, terms: Terms) -> ir.Table:
    """(production_id, period_start, micro): what the increases add to session pay."""
    rates = [raise_ppm(terms, y) for y in range(CONTRACT_YEARS)]
    added = rows.earnings_cents * _by_year(rows.year, rates)
    return rows.group_by(["production_id", "period_start"]).aggregate(micro=int64(added.sum()))


def pension_health(rows: ir.Table, terms: Terms) -> ir.Table:
    """(production_id, period_start, micro): contributions on raised session pay."""
    rates = [MICRO + raise_ppm(terms, y) for y in range(CONTRACT_YEARS)]
    pay = to_cents(rows.earnings_cents * _by_year(rows.year, rates))
    ceiling = ibis.ifelse(
        rows.medium == "theatrical",
        terms.cents("pension_health_ceiling_theatrical"),
        terms.cents("pension_health_ceiling_television"),
    )
    capped = ibis.least(pay, ceiling)
    summed = rows.group_by(["production_id", "period_start"]).aggregate(
        pensionable=int64(capped.sum())
    )
    return summed.select(
        "production_id",
        "period_start",
        micro=summed.pensionable * terms.rate("pension_health_percent"),
    )


def pension_health_rate(terms: Terms) -> int:
    return ppm(Decimal(str(terms.get("pension_health_percent"))))
