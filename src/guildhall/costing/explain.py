"""Why an amount is owed, for a guild's auditor: the term in the contract's words, the
coverage facts, the parameter values with their sources, and the arithmetic row by row.

The arithmetic is the engine's own: each input row's amount is the engine's expression
evaluated on that row, shown beside the rate and base it multiplies; tiered payments
show the cumulative count or gross before the period and how the period splits.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from decimal import Decimal
from typing import Any

import ibis.expr.types as ir

from guildhall.core.errors import InvalidInput, NotFound
from guildhall.core.money import format_cents
from guildhall.core.problems import Location, Problem
from guildhall.costing.arith import MICRO
from guildhall.costing.engine import Tables, costing_rows, production_amounts
from guildhall.costing.formulas import (
    FORMULAS_OF_KIND,
    KINDS,
    MARKETS_OF_KIND,
    PARAMETERS_OF_KIND,
)
from guildhall.costing.formulas.per_event import PER_EVENT
from guildhall.costing.formulas.sell_through import downloads_by_period
from guildhall.costing.formulas.traditional import (
    RUNS,
    row_minimum,
    supplemental_by_period,
    supplemental_rates,
    tier_split,
    uses_minimums,
)
from guildhall.costing.jurisdiction import is_covered, production_facts
from guildhall.costing.params import Terms
from guildhall.costing.summary import one_line_each

_WORDS = {
    "rental": "Rental and fixed-period licences (subscription included) of a program made for "
    "television or theatrical release: {rental_percent}% of the distributor's gross.",
    "sell_through": "Permanent downloads: {sell_through_rate}% of {sell_through_royalty_base}% "
    "of the distributor's gross on a title's first {sell_through_tier_downloads_television} "
    "downloads (a feature's first {sell_through_tier_downloads_theatrical}), then "
    "{sell_through_rate_above_tier_television}% of {sell_through_royalty_base}% "
    "({sell_through_rate_above_tier_theatrical}% for a feature).",
    "ad_supported_streaming": "Ad-supported streaming: a feature {theatrical_streaming_percent}% "
    "of the distributor's gross; a TV program produced before the term "
    "{library_streaming_percent}%; a new network program {streaming_gross_percent}% once its "
    "free window and fixed periods are over (a cable program gets the fixed residual only).",
    "streaming_fixed": "A new TV program streamed after its free window "
    "({free_window_days_continuing_series} days, {free_window_days_new_series} for a new "
    "series): {fixed_residual_percent}% of each performer's total applicable minimum, for "
    "each of up to {fixed_residual_periods} periods of {fixed_residual_period_weeks} weeks.",
    "new_media_reuse": "A program made for new media, reused on a consumer-pay platform: "
    "{reuse_percent_consumer_pay}% of the distributor's gross; on an ad-supported platform "
    "{reuse_percent_ad_supported}% (platforms paid: {reuse_residual_platforms}).",
    "streaming_bonus": "A made-for-streaming program viewed by {participation_bonus_viewer_share}% "
    "of the service's domestic subscribers: a bonus of "
    "{participation_bonus_percent_of_fixed_residual}% of its fixed residual, "
    "{participation_bonus_performer_share}% of it to the performers on the program.",
    "streaming_bonus_fund": "The same bonus's {participation_bonus_fund_share}% paid into the "
    "fund for other streaming performers.",
    "network_rerun": "Network prime-time reruns: for each rerun, a percentage of each "
    "performer's total applicable minimum: {network_rerun_schedule} for the first, second, "
    "... rerun, the last for every later one.",
    "syndication": "Syndication: for each run, a percentage of each performer's total "
    "applicable minimum: {syndication_schedule}, the last for every later run.",
    "basic_cable": "Basic cable: for each run, a percentage of each performer's total "
    "applicable minimum: {basic_cable_schedule}, the last for every later run.",
    "foreign_free_tv": "Foreign free television: {foreign_free_tv_percent}% of the "
    "distributor's foreign gross.",
    "pay_tv": "Pay television: {pay_tv_percent}% of the distributor's gross.",
    "theatrical_on_free_tv": "A theatrical film on free television: "
    "{theatrical_free_tv_percent}% of the distributor's gross.",
    "supplemental_markets": "Supplemental markets (home video): {supplemental_markets_rate}% "
    "of the producer's gross ({supplemental_markets_royalty_base}% of the distributor's "
    "gross) up to ${supplemental_markets_tier_dollars} of a title's producer's gross, "
    "{supplemental_markets_rate_above_tier}% after.",
    "minimum_increase": "Minimums rise {minimum_increase_year_1}% in the first year, "
    "{minimum_increase_year_2}% in the second and {minimum_increase_year_3}% in the third; "
    "a job is paid at the minimums of the year its production started.",
    "pension_health": "The producer contributes {pension_health_percent}% of each performer's "
    "earnings to the pension and health plans, up to ${pension_health_ceiling_television} "
    "per television episode and ${pension_health_ceiling_theatrical} per feature.",
    "pension_health_residuals": "The producer contributes {pension_health_percent}% of the "
    "residuals it pays to the pension and health plans.",
}
"""Each kind of payment in the contract's words, with the agreement's values."""


def _show(value: Any) -> str:
    if isinstance(value, tuple):
        strings = all(isinstance(v, str) for v in value)
        return ", ".join(str(v) if strings else f"{v}%" for v in value)
    if isinstance(value, int | Decimal) and not isinstance(value, bool):
        return f"{value:,}"
    return str(value)


class _Absent(dict[str, str]):
    def __missing__(self, key: str) -> str:
        return "(not stated)"


def _words(kind: str, terms: Terms) -> str:
    return _WORDS[kind].format_map(_Absent({n: _show(v) for n, v in terms.values.items()}))


def _percent(ppm: Decimal) -> str:
    return f"{(ppm / 10_000).normalize():f}%"


def _money_micro(micro: int) -> str:
    return f"${Decimal(micro) / MICRO / 100:,.6f}".rstrip("0").rstrip(".")


def _coverage(tables: Tables, terms: Terms, production_id: int) -> dict[str, Any]:
    facts = production_facts(tables.productions, tables.credits)
    facts = facts.filter(facts.production_id == production_id)
    row = facts.mutate(covered=is_covered(facts, terms)).to_pyarrow().to_pylist()
    if not row:
        raise NotFound(f"no production {production_id} in the data set")
    p = row[0]
    per_minute = (
        Decimal(p["budget_cents"]) / 100 / p["running_minutes"] if p["running_minutes"] else None
    )
    out: dict[str, Any] = {
        "medium": p["medium"],
        "production_start": p["production_start"],
        "budget_cents": p["budget_cents"],
        "running_minutes": p["running_minutes"],
        "budget_per_minute_dollars": per_minute.quantize(Decimal("0.01")) if per_minute else None,
        "series_budget_cents": p["series_budget_cents"] if p["series_id"] is not None else None,
        "is_derivative": p["is_derivative"],
        "employs_covered_performer": p["has_covered_performer"],
        "covered": p["covered"],
    }
    if p["medium"] == "new_media" and terms.has("new_media_jurisdiction"):
        out["jurisdiction"] = {
            "scope": terms.text("new_media_jurisdiction_scope"),
            "budget_test": terms.text("budget_test"),
            "reading": terms.source("budget_test"),
            "thresholds": {
                name: terms.values[name]
                for name in (
                    "budget_per_minute_threshold",
                    "budget_per_program_threshold",
                    "budget_per_series_threshold",
                )
                if name in terms.values
            },
        }
    cutoffs = {
        n: terms.values[n]
        for n in ("library_cutoff_date_theatrical", "library_cutoff_date_television")
        if n in terms.values
        and (terms.has("library_cutoff") or terms.has("streaming_library_cutoff"))
    }
    if cutoffs:
        out["cutoffs"] = {n: {"date": v, "source": terms.source(n)} for n, v in cutoffs.items()}
    return out


def _per_event_steps(rows: ir.Table, terms: Terms, kind: str) -> list[dict[str, Any]]:
    formula = PER_EVENT[kind]
    if kind in RUNS:
        base = row_minimum(rows, terms)
        base_name = "performers' applicable minimums"
    else:
        base = rows.distributors_gross_cents
        base_name = "distributor's gross"
    table = rows.select(
        "event_id",
        "market",
        "units",
        base=base,
        micro=formula(rows, terms, rows.covered_0),
    ).order_by("event_id")
    steps = []
    for r in table.to_pyarrow().to_pylist():
        micro, base_cents = int(r["micro"] or 0), int(r["base"] or 0)
        rate = Decimal(micro) / base_cents if base_cents else Decimal(0)
        label = f"run {r['units']}: " if kind in RUNS else f"{r['market']}: "
        steps.append(
            {
                "event_id": r["event_id"],
                "base": base_name,
                "base_cents": base_cents,
                "rate_percent": rate / 10_000,
                "micro_cents": micro,
                "text": f"{label}{_percent(rate)} × {format_cents(base_cents)} "
                f"= {_money_micro(micro)}",
            }
        )
    return steps


def _tier_steps(
    tables: Tables, rows: ir.Table, terms: Terms, kind: str, period: dt.date
) -> list[dict[str, Any]]:
    if kind == "sell_through":
        periods = downloads_by_period(rows, tables.productions)
        found = periods.filter(periods.period_start == period).to_pyarrow().to_pylist()
        steps = []
        for r in found:
            medium = "theatrical" if r["medium"] == "theatrical" else "television"
            tier = terms.count(f"sell_through_tier_downloads_{medium}")
            first = max(0, min(r["units"], tier - r["units_before"]))
            steps.append(
                {
                    "downloads_before": r["units_before"],
                    "downloads": r["units"],
                    "tier_downloads": tier,
                    "first_tier_downloads": first,
                    "above_tier_downloads": r["units"] - first,
                    "gross_cents": r["distributors_gross_cents"],
                    "text": f"{r['units_before']:,} downloads before this period; of its "
                    f"{r['units']:,}, {first:,} at {terms.values['sell_through_rate']}% and "
                    f"{r['units'] - first:,} at "
                    f"{terms.values[f'sell_through_rate_above_tier_{medium}']}% of "
                    f"{terms.values['sell_through_royalty_base']}% of "
                    f"{format_cents(r['distributors_gross_cents'])}, split in proportion",
                }
            )
        return steps
    periods = supplemental_by_period(rows)
    found = periods.filter(periods.period_start == period).to_pyarrow().to_pylist()
    first_rate, above_rate, tier = supplemental_rates(terms)
    steps = []
    for r in found:
        first, rest = tier_split(r["gross"], r["before"], tier)
        micro = first * first_rate + rest * above_rate
        steps.append(
            {
                "gross_before_cents": r["before"],
                "gross_cents": r["gross"],
                "tier_cents": tier,
                "first_tier_cents": first,
                "above_tier_cents": rest,
                "micro_cents": micro,
                "text": f"{format_cents(r['before'])} of distributor's gross before this period "
                f"(tier: {format_cents(tier)}); {_percent(Decimal(first_rate))} × "
                f"{format_cents(first)} + {_percent(Decimal(above_rate))} × {format_cents(rest)} "
                f"= {_money_micro(micro)}",
            }
        )
    return steps


def _credits(tables: Tables, terms: Terms, production_id: int) -> list[dict[str, Any]]:
    credits = tables.credits.filter(tables.credits.production_id == production_id)
    out = []
    for c in credits.order_by("performer_id").to_pyarrow().to_pylist():
        row = {
            "performer_id": c["performer_id"],
            "category": c["category"],
            "units": c["units"],
            "earnings_cents": c["earnings_cents"],
        }
        if uses_minimums(terms):
            row["applicable_minimum_cents"] = [
                terms.minimum_cents(c["category"], y) for y in range(3)
            ]
        out.append(row)
    return out


def explain(
    tables: Tables, terms: Terms, production_id: int, period_start: dt.date, kind: str
) -> dict[str, Any]:
    """Everything behind one amount of ``kind`` for a production and period."""
    if kind not in KINDS:
        raise InvalidInput(
            [Problem(Location(field="kind"), f"{kind!r} is not one of {', '.join(KINDS)}")]
        )
    coverage = _coverage(tables, terms, production_id)
    amounts = production_amounts(tables, [terms])
    mine = amounts.filter(
        (amounts.production_id == production_id)
        & (amounts.period_start == period_start)
        & (amounts.kind == kind)
    )
    found = mine.to_pyarrow().to_pylist()
    rows = costing_rows(replace(tables, events=one_line_each(tables.events)), [terms])
    rows = rows.filter(rows.production_id == production_id)
    in_period = rows.filter(
        (rows.period_start == period_start) & rows.market.isin(MARKETS_OF_KIND[kind])
    )
    if kind in PER_EVENT:
        steps = _per_event_steps(in_period, terms, kind)
    elif kind in ("sell_through", "supplemental_markets"):
        steps = _tier_steps(tables, rows, terms, kind, period_start)
    else:
        steps = []
    total_micro = sum(int(step.get("micro_cents", 0)) for step in steps)
    amount = int(found[0]["amount_cents"]) if found else 0
    rounding = (
        f"{len(steps)} row(s) sum to {_money_micro(total_micro)}, rounded once, half up: "
        f"{format_cents(amount)}"
        if any("micro_cents" in step for step in steps)
        else None
    )
    inputs = in_period.drop(
        "lines", *[c for c in in_period.columns if c.startswith(("covered_", "minimum__"))]
    )
    return {
        "agreement": terms.id,
        "production_id": production_id,
        "period_start": period_start,
        "kind": kind,
        "amount_cents": amount,
        "contract": _words(kind, terms),
        "rounding": rounding,
        "formulas": [f for f in FORMULAS_OF_KIND[kind] if terms.has(f)],
        "coverage": coverage,
        "arithmetic": steps,
        "credits": _credits(tables, terms, production_id),
        "parameters": [
            {
                "name": name,
                "value": terms.values[name],
                "shown": _show(terms.values[name]),
                "source": terms.source(name),
            }
            for name in PARAMETERS_OF_KIND[kind]
            if name in terms.values
        ],
        "inputs": inputs.order_by("event_id").to_pyarrow().to_pylist(),
    }
