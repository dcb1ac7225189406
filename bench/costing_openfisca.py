"""The costing job written in OpenFisca, end to end, beside Guildhall's engine.

    .venv/bin/pip install -e '.[bench]'
    .venv/bin/python bench/costing_openfisca.py --events 10000000 --repeats 3

What an analyst would write in OpenFisca for the same job, from the same Parquet files:

- **Entities.** OpenFisca has one person entity per system, so the job is two systems.
  The revenue system's persons are the report lines (events); its groups are the
  *report* (a production's lines for one quarter: the unit every amount is rounded on)
  and the *production*. The allocation system's persons are the credits; its groups are
  the *production* and the *performer*.
- **Inputs** are read from the Parquet files with PyArrow and set as arrays: each line's
  market, gross, units, days and quarter; each production's facts (medium, start,
  budget, minutes, its series' budget); each credit's category, units and pay.
- **Formulas** are OpenFisca variables, one per agreement and kind of payment, built from
  the agreement's values (the same ``Terms`` the engine reads): each report's amount is
  the sum over its lines (``report.sum``) of the rate times the base, rounded once to
  cents; tiers that run across quarters (sell-through, supplemental markets) and the
  fixed streaming residual's 26-week periods are figured per report from its
  production's earlier reports. Each production's summed applicable minimums, session
  pay and pension and health come from the allocation system (``production.sum`` over
  its credits); each production's amounts over the term go back to it, and are shared
  among its credits by units, applicable minimum or session pay, to the cent, and summed
  per performer (``performer.sum``); the deciles rank performers by session pay.
- **Money** is integer micro-cents and cents. OpenFisca's own numeric types are int32 and
  float32, which cannot hold cents exactly; the money variables are switched to int64
  once the system is built, the one departure from how OpenFisca models are written.
  OpenFisca's group sums (``numpy.bincount``) go through float64, exact below 2**53
  micro-cents a report; the job checks that bound.

The periods of a costing are its quarters, and they are the *report* entity rather than
OpenFisca periods: an OpenFisca period holds a value for every person, so each quarter
as a period would hold every line of the term, twelve times over.

The benchmark runs the engine's whole comparison (``guildhall.costing.compare``) and the
OpenFisca job in turns, each in a fresh process, on the same data set, and compares the
two: every performer's total under each agreement and decile, equal to the cent. The
formulas-only figure times OpenFisca's calculation of the amounts and the allocation on
inputs already set, without reading the files or building the simulations.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow.compute as pc
import pyarrow.parquet as pq

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
OUT = HERE / "out"
AGREEMENTS = ["sag-2005", "amptp-2008-final-offer", "sag-2008-threshold-proposals"]
PERIOD = "2009"
MICRO = 1_000_000
_EPOCH = date(1970, 1, 1)

Array = np.ndarray


def _days(day: date) -> int:
    return (day - _EPOCH).days


def half_up(numerator: Array, denominator: Array | int) -> Array:
    """``numerator / denominator`` rounded half up, for numerator >= 0, in integers."""
    out: Array = (2 * numerator + denominator) // (2 * np.asarray(denominator))
    return out


def to_cents(micro: Array) -> Array:
    return half_up(micro, MICRO)


# ---------------------------------------------------------------------------- inputs


@dataclass
class Inputs:
    """The arrays read from the Parquet files, and the memberships built from them."""

    lines: dict[str, Array]
    line_report: Array
    line_production: Array
    report_production: Array
    report_period: Array
    productions: dict[str, Array]
    credits: dict[str, Array]
    credit_production: Array
    credit_performer: Array
    performer_ids: Array
    line_productions: Array


def _codes(column: Any, values: Sequence[str]) -> Array:
    index = {v: i for i, v in enumerate(values)}
    encoded = column.dictionary_encode().combine_chunks()
    lookup = np.array([index[v] for v in encoded.dictionary.to_pylist()], dtype=np.int32)
    return lookup[encoded.indices.to_numpy()]


def read(data: Path) -> Inputs:
    """Read the four tables with PyArrow and build the entities' memberships."""
    from guildhall.costing.data.schema import MARKETS, MEDIUMS
    from guildhall.costing.params import CATEGORIES

    productions = pq.read_table(data / "productions.parquet")
    ids = productions["production_id"].to_numpy()
    order = np.argsort(ids)
    series = productions["series_id"]
    facts = {
        "medium": _codes(productions["medium"], MEDIUMS),
        "start": productions["production_start"].cast("int32").to_numpy(),
        "is_new_series": productions["is_new_series"].to_numpy(zero_copy_only=False),
        "is_derivative": productions["is_derivative"].to_numpy(zero_copy_only=False),
        "budget": productions["budget_cents"].to_numpy(),
        "minutes": productions["running_minutes"].to_numpy().astype(np.int64),
        "residual_base": productions["residual_base_cents"].to_numpy(),
        "is_series": pc.is_valid(series).to_numpy(zero_copy_only=False),
    }
    series_key = np.where(facts["is_series"], pc.fill_null(series, 0).to_numpy(), -1 - ids).astype(
        np.int64
    )
    _, series_index = np.unique(series_key, return_inverse=True)
    facts["series_budget"] = np.bincount(series_index, weights=facts["budget"]).astype(np.int64)[
        series_index
    ]
    facts = {name: values[order] for name, values in facts.items()}
    sorted_ids = ids[order]

    def position(column: Any) -> Array:
        found: Array = np.searchsorted(sorted_ids, column.to_numpy())
        return found

    credits = pq.read_table(data / "credits")
    credit_production = position(credits["production_id"])
    performer = credits["performer_id"].to_numpy()
    # Credits in (production, performer) order: a performer's share is the telescoping
    # difference of rounded running sums in that order, as the engine takes them.
    credit_order = np.lexsort((performer, credit_production))
    performer_ids, credit_performer = np.unique(performer[credit_order], return_inverse=True)
    credit_columns = {
        "category": _codes(credits["category"], CATEGORIES)[credit_order],
        "units": credits["units"].to_numpy().astype(np.int64)[credit_order],
        "earnings": credits["earnings_cents"].to_numpy()[credit_order],
        "is_covered_performer": credits["is_covered_performer"].to_numpy(zero_copy_only=False)[
            credit_order
        ],
    }
    events = pq.read_table(data / "events")
    line_production = position(events["production_id"])
    period = events["period_start"].cast("int32").to_numpy().astype(np.int64)
    key = line_production.astype(np.int64) << 20 | period
    report_keys, line_report = np.unique(key, return_inverse=True)
    lines = {
        "market": _codes(events["market"], MARKETS),
        "gross": events["distributors_gross_cents"].to_numpy(),
        "units": events["units"].to_numpy(),
        "views": events["views"].to_numpy(),
        "subscribers": events["subscribers"].to_numpy(),
        "days": events["days_since_first_exhibition"].to_numpy().astype(np.int64),
        "event_id": events["event_id"].to_numpy(),
    }
    return Inputs(
        lines=lines,
        line_report=line_report,
        line_production=line_production,
        report_production=(report_keys >> 20).astype(np.int64),
        report_period=(report_keys & ((1 << 20) - 1)).astype(np.int64),
        productions=facts,
        credits=credit_columns,
        credit_production=credit_production[credit_order],
        credit_performer=credit_performer,
        performer_ids=performer_ids,
        line_productions=np.unique(line_production),
    )


# ---------------------------------------------------------------------------- systems


def _entities() -> dict[str, Any]:
    from openfisca_core.entities import build_entity

    return {
        "line": build_entity(
            key="line", plural="lines", label="A line of a residual report", is_person=True
        ),
        "report": build_entity(
            key="report",
            plural="reports",
            label="A production's lines for one quarter",
            roles=[{"key": "line", "plural": "lines"}],
        ),
        "production": build_entity(
            key="production",
            plural="productions",
            label="A production",
            roles=[{"key": "member", "plural": "members"}],
        ),
        "credit": build_entity(
            key="credit", plural="credits", label="A performer's credit", is_person=True
        ),
        "title": build_entity(
            key="title",
            plural="titles",
            label="A production, as its credits' group",
            roles=[{"key": "credit", "plural": "credits"}],
        ),
        "performer": build_entity(
            key="performer",
            plural="performers",
            label="A performer",
            roles=[{"key": "credit", "plural": "credits"}],
        ),
    }


Formula = Callable[[Any, Any], Array]


class System:
    """An OpenFisca tax-benefit system and the variables added to it."""

    def __init__(self, entities: Sequence[Any]) -> None:
        from openfisca_core.taxbenefitsystems import TaxBenefitSystem

        self.tbs = TaxBenefitSystem(list(entities))
        self.money: list[str] = []

    def add(self, name: str, entity: Any, value_type: type, formula: Formula | None = None) -> None:
        from openfisca_core.periods import DateUnit
        from openfisca_core.variables import Variable

        attrs: dict[str, Any] = {
            "value_type": int if value_type is np.int64 else value_type,
            "entity": entity,
            "definition_period": DateUnit.YEAR,
            "label": name,
        }
        if formula is not None:
            attrs["formula"] = formula
        self.tbs.add_variable(type(name, (Variable,), attrs))
        if value_type is np.int64:
            self.money.append(name)

    def built(self) -> Any:
        for name in self.money:
            self.tbs.variables[name].dtype = np.int64
        return self.tbs


# The revenue system's formulas, per agreement. Each returns micro-cents per report.

TRADITIONAL = (0, 1, 2)
TELEVISION = (1, 2)


def _market(name: str) -> int:
    from guildhall.costing.data.schema import MARKETS

    return MARKETS.index(name)


def _line(reports: Any, name: str) -> Array:
    values: Array = reports.members(name, PERIOD)
    return values


def _line_fact(reports: Any, name: str) -> Array:
    values: Array = reports.members.production(name, PERIOD)
    return values


def _report_fact(reports: Any, name: str) -> Array:
    """A production's fact on each of its reports, read from the report's first line."""
    values: Array = reports.value_from_first_person(_line_fact(reports, name))
    return values


def _report_sum(reports: Any, micro: Array) -> Array:
    summed = reports.sum(micro)
    if len(summed) and float(np.max(np.abs(summed))) >= 2.0**53:
        raise OverflowError("a report's micro-cents exceed 2**53: float64 sums are not exact")
    out: Array = np.rint(summed).astype(np.int64)
    return out


def _after_cutoff(t: Any, medium: Array, start: Array) -> Array:
    if not t.has("library_cutoff"):
        return np.ones(len(medium), dtype=bool)
    film = _days(t.date("library_cutoff_date_theatrical"))
    tv = _days(t.date("library_cutoff_date_television"))
    out: Array = np.where(medium == 0, start >= film, start >= tv)
    return out


def _streaming_cut(t: Any, market: Array, medium: Array, start: Array) -> Array:
    if not t.has("streaming_library_cutoff") or "library_cutoff_date_television" not in t.values:
        return np.ones(len(market), dtype=bool)
    streaming = np.isin(
        market, [_market("ad_supported_streaming"), _market("subscription_streaming")]
    )
    cut = (
        streaming
        & np.isin(medium, TELEVISION)
        & (start < _days(t.date("library_cutoff_date_television")))
    )
    out: Array = ~cut
    return out


def _contract_year(t: Any, day: Array) -> Array:
    second, third = (_days(d) for d in t.year_starts())
    out: Array = np.select([day < second, day < third], [0, 1], 2)
    return out


def _uses_minimums(t: Any) -> bool:
    from guildhall.costing.formulas.traditional import uses_minimums

    return bool(uses_minimums(t))


def _period_minimum(t: Any, i: int, facts: Callable[[str], Array], period: Array) -> Array:
    """The production's summed minimums in the contract year of ``period`` (its residual
    base for an agreement not figured on minimums)."""
    if not _uses_minimums(t):
        return facts("residual_base")
    year = _contract_year(t, period)
    out: Array = np.select(
        [year == 0, year == 1],
        [facts(f"minimum_{i}_0"), facts(f"minimum_{i}_1")],
        facts(f"minimum_{i}_2"),
    )
    return out


def _schedule_rate(run: Array, schedule: tuple[int, ...]) -> Array:
    table = np.array(schedule, dtype=np.int64)
    out: Array = table[np.clip(run, 1, len(table)) - 1]
    return out


def _per_event(i: int, t: Any) -> dict[str, Formula]:
    """The formulas on each line, summed per report: ``<kind>`` → formula."""
    from guildhall.costing.formulas.traditional import ON_GROSS, RUNS, supplemental_rates

    made: dict[str, Formula] = {}

    def common(reports: Any) -> tuple[Array, Array, Array, Array]:
        return (
            _line(reports, "market"),
            _line(reports, "gross"),
            _line_fact(reports, "medium"),
            _line_fact(reports, "start"),
        )

    if t.has("rental_residual"):
        rate = t.rate("rental_percent")

        def rental(reports: Any, period: Any) -> Array:
            market, gross, medium, start = common(reports)
            applies = (
                np.isin(market, [_market("rental"), _market("subscription_streaming")])
                & np.isin(medium, TRADITIONAL)
                & _after_cutoff(t, medium, start)
                & _streaming_cut(t, market, medium, start)
            )
            return _report_sum(reports, np.where(applies, gross * rate, 0))

        made["rental"] = rental
    cases_ads = []
    if t.has("theatrical_streaming_residual"):
        cases_ads.append(("feature", t.rate("theatrical_streaming_percent")))
    if t.has("television_library_streaming_residual"):
        cases_ads.append(("library", t.rate("library_streaming_percent")))
    if t.has("ad_supported_streaming_residual"):
        cases_ads.append(("new_after_fixed", t.rate("streaming_gross_percent")))
    if cases_ads:
        window = _windows(t) if t.has("ad_supported_streaming_residual") else None

        def ads(reports: Any, period: Any) -> Array:
            market, gross, medium, start = common(reports)
            is_tv = np.isin(medium, TELEVISION)
            new = start >= _days(t.term_start)
            conditions, rates = [], []
            for case, rate in cases_ads:
                if case == "feature":
                    conditions.append(medium == 0)
                elif case == "library":
                    conditions.append(is_tv & ~new)
                else:
                    assert window is not None
                    free, fixed = window
                    days = _line(reports, "days")
                    series = _line_fact(reports, "is_new_series")
                    past = days >= np.where(series, free[1], free[0]) + fixed
                    conditions.append((medium == 1) & new & past)
                rates.append(rate)
            rate_of = np.select(conditions, rates, 0)
            applies = (
                (market == _market("ad_supported_streaming"))
                & np.isin(medium, TRADITIONAL)
                & _after_cutoff(t, medium, start)
                & _streaming_cut(t, market, medium, start)
            )
            return _report_sum(reports, np.where(applies, gross * rate_of, 0))

        made["ad_supported_streaming"] = ads
    if t.has("made_for_new_media_reuse_residual"):
        platforms = t.choices("reuse_residual_platforms")
        pay = t.rate("reuse_percent_consumer_pay") if "consumer_pay" in platforms else 0
        ad = t.rate("reuse_percent_ad_supported") if "ad_supported" in platforms else 0
        consumer = [
            _market(m) for m in ("rental", "electronic_sell_through", "subscription_streaming")
        ]

        def reuse(reports: Any, period: Any) -> Array:
            market, gross, medium, _ = common(reports)
            rate_of = np.select(
                [np.isin(market, consumer), market == _market("ad_supported_streaming")],
                [pay, ad],
                0,
            )
            covered = _line_fact(reports, f"covered_{i}")
            return _report_sum(reports, np.where((medium == 3) & covered, gross * rate_of, 0))

        made["new_media_reuse"] = reuse
    for kind, (formula, schedule_name, market_name) in RUNS.items():
        if not t.has(formula):
            continue
        made[kind] = _per_run(i, t, kind, t.schedule(schedule_name), _market(market_name))
    for kind, (formula, percent, market_name) in ON_GROSS.items():
        if not t.has(formula):
            continue
        made[kind] = _on_gross(t.rate(percent), _market(market_name), kind)
    if t.has("electronic_sell_through_residual"):
        made["sell_through"] = _sell_through(t)
    if t.has("supplemental_markets_residual"):
        made["supplemental_markets"] = _supplemental(supplemental_rates(t))
    if t.has("ad_supported_streaming_residual"):
        made["streaming_fixed"] = _streaming_fixed(i, t)
    if t.has("streaming_participation_bonus"):
        raise NotImplementedError("the streaming participation bonus is not written here")
    return made


def _windows(t: Any) -> tuple[tuple[int, int], int]:
    free = (t.count("free_window_days_continuing_series"), t.count("free_window_days_new_series"))
    fixed = t.count("fixed_residual_period_weeks") * 7 * t.count("fixed_residual_periods")
    return free, fixed


def _per_run(i: int, t: Any, kind: str, schedule: tuple[int, ...], market_code: int) -> Formula:
    def compute(reports: Any, period: Any) -> Array:
        market = _line(reports, "market")
        medium = _line_fact(reports, "medium")
        run = _line(reports, "units")
        applies = (market == market_code) & np.isin(medium, TELEVISION) & (run >= 1)
        if kind == "network_rerun":
            applies &= medium == 1
        line_period = reports.project(reports("period", PERIOD))
        base = _period_minimum(t, i, lambda n: _line_fact(reports, n), line_period)
        micro = np.where(applies, _schedule_rate(run, schedule) * base, 0)
        return _report_sum(reports, micro)

    return compute


def _on_gross(rate: int, market_code: int, kind: str) -> Formula:
    from guildhall.costing.data.schema import MEDIUMS
    from guildhall.costing.formulas.traditional import MEDIUMS_OF_GROSS_KIND

    mediums = [MEDIUMS.index(m) for m in MEDIUMS_OF_GROSS_KIND[kind]]

    def compute(reports: Any, period: Any) -> Array:
        market = _line(reports, "market")
        medium = _line_fact(reports, "medium")
        applies = (market == market_code) & np.isin(medium, mediums)
        return _report_sum(reports, np.where(applies, _line(reports, "gross") * rate, 0))

    return compute


def _before(reports: Any, values: Array) -> Array:
    """Per report, the sum of ``values`` over its production's earlier reports (reports
    are in (production, quarter) order)."""
    production = reports("report_production", PERIOD)
    running = np.cumsum(values) - values
    first = np.r_[True, production[1:] != production[:-1]]
    starts = np.maximum.accumulate(np.where(first, np.arange(len(values)), 0))
    out: Array = running - running[starts]
    return out


def _sell_through(t: Any) -> Formula:
    from guildhall.costing.formulas.sell_through import _combined_rate

    first_rate = _combined_rate(t, "sell_through_rate")
    later = {
        m: _combined_rate(t, f"sell_through_rate_above_tier_{m}")
        for m in ("theatrical", "television")
    }
    tier = {m: t.count(f"sell_through_tier_downloads_{m}") for m in ("theatrical", "television")}

    def compute(reports: Any, period: Any) -> Array:
        market = _line(reports, "market")
        medium_line = _line_fact(reports, "medium")
        sold = (market == _market("electronic_sell_through")) & np.isin(medium_line, TRADITIONAL)
        units = _report_sum(reports, np.where(sold, _line(reports, "units"), 0))
        gross = _report_sum(reports, np.where(sold, _line(reports, "gross"), 0))
        has = reports.any(sold)
        # The running downloads count only the quarters with sell-through.
        before = _before(reports, np.where(has, units, 0))
        medium = _report_fact(reports, "medium")
        start = _report_fact(reports, "start")
        feature = medium == 0
        boundary = np.where(feature, tier["theatrical"], tier["television"])
        above = np.where(feature, later["theatrical"], later["television"])
        room = np.maximum(boundary - before, 0)
        initial_units = np.minimum(room, units)
        initial = np.where(
            units == 0,
            np.where(room > 0, gross, 0),
            half_up(gross * initial_units, np.maximum(units, 1)),
        )
        micro = initial * first_rate + (gross - initial) * above
        ok = has & np.isin(medium, TRADITIONAL) & _after_cutoff(t, medium, start)
        out: Array = np.where(ok, micro, 0)
        return out

    return compute


def _supplemental(rates: tuple[int, int, int]) -> Formula:
    first_rate, above_rate, tier = rates

    def compute(reports: Any, period: Any) -> Array:
        market = _line(reports, "market")
        medium = _line_fact(reports, "medium")
        sold = (market == _market("supplemental_markets")) & np.isin(medium, TRADITIONAL)
        gross = _report_sum(reports, np.where(sold, _line(reports, "gross"), 0))
        before = _before(reports, gross)
        first = np.maximum(np.minimum(tier - before, gross), 0)
        out: Array = first * first_rate + (gross - first) * above_rate
        return out

    return compute


def _streaming_fixed(i: int, t: Any) -> Formula:
    rate = t.rate("fixed_residual_percent")
    period_days = t.count("fixed_residual_period_weeks") * 7
    periods = t.count("fixed_residual_periods")
    continuing, new_series = (
        t.count("free_window_days_continuing_series"),
        t.count("free_window_days_new_series"),
    )

    def compute(reports: Any, period: Any) -> Array:
        market = _line(reports, "market")
        medium = _line_fact(reports, "medium")
        start = _line_fact(reports, "start")
        window = np.where(_line_fact(reports, "is_new_series"), new_series, continuing)
        since = _line(reports, "days") - window
        streamed = (
            (market == _market("ad_supported_streaming"))
            & np.isin(medium, TELEVISION)
            & (start >= _days(t.term_start))
            & _after_cutoff(t, medium, start)
            & _streaming_cut(t, market, medium, start)
            & (since >= 0)
            & (since < periods * period_days)
        )
        where = np.flatnonzero(streamed)
        report_of_line = reports.members_entity_id[where]
        production = reports("report_production", PERIOD)[report_of_line]
        block = since[where] // period_days
        # Each (production, block) is paid once, in the first report it is streamed in.
        key = production * 64 + block
        order = np.lexsort((report_of_line, key))
        key, report_of_line = key[order], report_of_line[order]
        first = np.r_[True, key[1:] != key[:-1]] if len(key) else np.zeros(0, dtype=bool)
        paid_in = report_of_line[first]
        report_period = reports("period", PERIOD)[paid_in]
        facts = lambda n: _report_fact(reports, n)[paid_in]  # noqa: E731
        micro = _period_minimum(t, i, facts, report_period) * rate
        out: Array = np.bincount(paid_in, weights=micro, minlength=reports.count)
        return np.rint(out).astype(np.int64)

    return compute


def revenue_system(agreements: Sequence[Any]) -> tuple[Any, list[tuple[int, str]]]:
    """The revenue system and the (agreement, kind) amounts it computes per report."""
    e = _entities()
    system = System([e["line"], e["report"], e["production"]])
    for name, kind in (
        ("market", int),
        ("gross", np.int64),
        ("units", np.int64),
        ("views", np.int64),
        ("subscribers", np.int64),
        ("days", np.int64),
    ):
        system.add(name, e["line"], kind)
    system.add("period", e["report"], np.int64)
    system.add("report_production", e["report"], np.int64)
    for name in ("medium", "start"):
        system.add(name, e["production"], np.int64)
    for name in ("is_new_series", "is_derivative", "is_series", "has_covered_performer"):
        system.add(name, e["production"], bool)
    for name in ("budget", "minutes", "series_budget", "residual_base"):
        system.add(name, e["production"], np.int64)
    amounts: list[tuple[int, str]] = []
    for i, t in enumerate(agreements):
        system.add(f"covered_{i}", e["production"], bool, _covered(t))
        for y in range(3):
            system.add(f"minimum_{i}_{y}", e["production"], np.int64)
        for kind, formula in _per_event(i, t).items():
            system.add(f"micro_{i}_{kind}", e["report"], np.int64, formula)
            system.add(f"amount_{i}_{kind}", e["report"], np.int64, _rounded(f"micro_{i}_{kind}"))
            amounts.append((i, kind))
    return system.built(), amounts


def _rounded(micro: str) -> Formula:
    def compute(reports: Any, period: Any) -> Array:
        return to_cents(reports(micro, period))

    return compute


def _covered(t: Any) -> Formula:
    """``new_media_jurisdiction``, per production."""

    def compute(productions: Any, period: Any) -> Array:
        medium = productions("medium", period)
        traditional = medium != 3
        if not t.has("new_media_jurisdiction"):
            return traditional
        scope = t.text("new_media_jurisdiction_scope")
        if scope in ("none", "all_productions"):
            return traditional | (scope == "all_productions")
        budget = productions("budget", period)
        per_minute = budget > productions("minutes", period) * t.cents(
            "budget_per_minute_threshold"
        )
        per_program = budget > t.cents("budget_per_program_threshold")
        series = productions("is_series", period)
        per_series = productions("series_budget", period) > t.cents("budget_per_series_threshold")
        if t.text("budget_test") == "all":
            covered = per_minute & per_program & (~series | per_series)
        else:
            covered = per_minute | per_program | (series & per_series)
        if t.flag("covers_derivative_programs"):
            covered |= productions("is_derivative", period)
        if t.flag("covers_covered_performer_below_thresholds"):
            covered |= productions("has_covered_performer", period)
        out: Array = traditional | covered
        return out

    return compute


# ------------------------------------------------------------------- allocation system


def allocation_system(agreements: Sequence[Any]) -> Any:
    """Credits as persons, in production (``title``) and performer groups."""
    from guildhall.costing.params import CATEGORIES

    e = _entities()
    system = System([e["credit"], e["title"], e["performer"]])
    for name, kind in (("category", int), ("units", np.int64), ("earnings", np.int64)):
        system.add(name, e["credit"], kind)
    system.add("is_covered_performer", e["credit"], bool)
    system.add("title_start", e["title"], np.int64)
    system.add("title_medium", e["title"], np.int64)
    system.add(
        "has_covered_performer",
        e["title"],
        bool,
        lambda titles, period: titles.any(titles.members("is_covered_performer", period)),
    )
    for i, t in enumerate(agreements):
        for y in range(3):
            minimums = np.array(
                [t.minimum_cents(c, y) if _uses_minimums(t) else 0 for c in CATEGORIES]
            )
            system.add(f"credit_minimum_{i}_{y}", e["credit"], np.int64, _minimum_of(minimums))
            system.add(f"minimum_{i}_{y}", e["title"], np.int64, _summed(f"credit_minimum_{i}_{y}"))
        for basis in ("units", "minimum", "earnings"):
            system.add(f"amount_{basis}_{i}", e["title"], np.int64)
        system.add(f"share_{i}", e["credit"], np.int64, _share(i, t))
        system.add(f"total_{i}", e["performer"], np.int64, _summed(f"share_{i}"))
        for kind, formula in _session(t).items():
            system.add(f"{kind}_{i}", e["title"], np.int64, formula)
    system.add("performer_earnings", e["performer"], np.int64, _summed("earnings"))
    system.add("decile", e["performer"], int, _decile)
    return system.built()


def _minimum_of(minimums: Array) -> Formula:
    def compute(credits: Any, period: Any) -> Array:
        out: Array = minimums[credits("category", period)]
        return out

    return compute


def _summed(name: str) -> Formula:
    def compute(group: Any, period: Any) -> Array:
        out: Array = np.rint(group.sum(group.members(name, period))).astype(np.int64)
        return out

    return compute


def _running(titles_of_credit: Array, weights: Array) -> tuple[Array, Array]:
    """Each credit's running sum of ``weights`` in (production, performer) order, through
    itself, and its production's total."""
    through = np.cumsum(weights)
    first = np.r_[True, titles_of_credit[1:] != titles_of_credit[:-1]]
    start = np.maximum.accumulate(np.where(first, np.arange(len(weights)), 0))
    through = through - (through[start] - weights[start])
    total = np.bincount(titles_of_credit, weights=weights).astype(np.int64)[titles_of_credit]
    return through, total


def _split(amount: Array, through: Array, own: Array, total: Array) -> Array:
    divisor = np.maximum(total, 1)
    share = half_up(amount * through, divisor) - half_up(amount * (through - own), divisor)
    out: Array = np.where(total > 0, share, 0)
    return out


def _share(i: int, t: Any) -> Formula:
    def compute(credits: Any, period: Any) -> Array:
        title = credits.title.members_entity_id
        out = np.zeros(len(title), dtype=np.int64)
        weights = {
            "units": credits("units", period),
            "earnings": credits("earnings", period),
            "minimum": credits(f"credit_minimum_{i}_0", period)
            if _uses_minimums(t)
            else credits("units", period),
        }
        for basis, weight in weights.items():
            amount = credits.title(f"amount_{basis}_{i}", period)
            through, total = _running(title, weight)
            out += _split(amount, through, weight, total)
        return out

    return compute


def _session(t: Any) -> dict[str, Formula]:
    """Minimum increases and pension and health on session pay, per production started
    in the term (in the quarter it started)."""
    from guildhall.costing.formulas.wages import pension_health_rate, raise_ppm, term_end

    made: dict[str, Formula] = {}
    first, end = _days(t.term_start), _days(term_end(t))
    rates = np.array([raise_ppm(t, y) for y in range(3)], dtype=np.int64)

    def year_of(credits: Any, period: Any) -> tuple[Array, Array]:
        start = credits.title("title_start", period)
        in_term = (start >= first) & (start < end)
        return in_term, _contract_year(t, start)

    if t.has("minimum_increase"):

        def increase(titles: Any, period: Any) -> Array:
            in_term, year = year_of(titles.members, period)
            added = titles.members("earnings", period) * rates[year]
            return to_cents(_exact_sum(titles, np.where(in_term, added, 0)))

        made["minimum_increase"] = increase
    if t.has("pension_health_contribution"):
        film, tv = (
            t.cents("pension_health_ceiling_theatrical"),
            t.cents("pension_health_ceiling_television"),
        )
        rate = pension_health_rate(t)

        def pension(titles: Any, period: Any) -> Array:
            in_term, year = year_of(titles.members, period)
            pay = to_cents(titles.members("earnings", period) * (MICRO + rates[year]))
            medium = titles.members.title("title_medium", period)
            capped = np.minimum(pay, np.where(medium == 0, film, tv))
            return to_cents(_exact_sum(titles, np.where(in_term, capped, 0)) * rate)

        made["pension_health"] = pension
    return made


def _exact_sum(group: Any, values: Array) -> Array:
    summed = group.sum(values)
    if len(summed) and float(np.max(np.abs(summed))) >= 2.0**53:
        raise OverflowError("a production's sum exceeds 2**53: float64 sums are not exact")
    out: Array = np.rint(summed).astype(np.int64)
    return out


def _decile(performers: Any, period: Any) -> Array:
    """ntile(10) over (session pay, performer id): sizes differ by at most one, larger first."""
    earnings = performers("performer_earnings", period)
    order = np.lexsort((np.arange(len(earnings)), earnings))
    n = len(earnings)
    q, r = divmod(n, 10)
    rank = np.arange(n)
    big = r * (q + 1)
    bucket = np.where(rank < big, rank // max(q + 1, 1), r + (rank - big) // max(q, 1))
    out = np.empty(n, dtype=np.int64)
    out[order] = bucket + 1
    return out


# ---------------------------------------------------------------------------- the job


@dataclass
class Simulations:
    revenue: Any
    allocation: Any
    amounts: list[tuple[int, str]]


def build(inputs: Inputs, agreements: Sequence[Any]) -> Simulations:
    """Both systems' simulations, with every input set."""
    from openfisca_core.simulations import SimulationBuilder

    revenue_tbs, amounts = revenue_system(agreements)
    allocation_tbs = allocation_system(agreements)

    builder = SimulationBuilder()
    builder.create_entities(allocation_tbs)
    credits = len(inputs.credit_production)
    builder.declare_person_entity("credit", range(credits))
    titles = np.unique(inputs.credit_production)
    title = builder.declare_entity("title", titles)
    builder.join_with_persons(title, inputs.credit_production, np.zeros(credits, dtype=np.int64))
    performer = builder.declare_entity("performer", inputs.performer_ids)
    builder.join_with_persons(
        performer, inputs.performer_ids[inputs.credit_performer], np.zeros(credits, dtype=np.int64)
    )
    allocation = builder.build(allocation_tbs)
    for name in ("category", "units", "earnings", "is_covered_performer"):
        allocation.set_input(name, PERIOD, inputs.credits[name])
    allocation.set_input(
        "title_start", PERIOD, inputs.productions["start"][titles].astype(np.int64)
    )
    allocation.set_input(
        "title_medium", PERIOD, inputs.productions["medium"][titles].astype(np.int64)
    )

    builder = SimulationBuilder()
    builder.create_entities(revenue_tbs)
    lines = len(inputs.line_report)
    builder.declare_person_entity("line", range(lines))
    report = builder.declare_entity("report", range(len(inputs.report_production)))
    builder.join_with_persons(report, inputs.line_report, np.zeros(lines, dtype=np.int64))
    production = builder.declare_entity("production", inputs.line_productions)
    builder.join_with_persons(production, inputs.line_production, np.zeros(lines, dtype=np.int64))
    revenue = builder.build(revenue_tbs)
    for name, values in inputs.lines.items():
        if name != "event_id":
            revenue.set_input(name, PERIOD, values)
    revenue.set_input("period", PERIOD, inputs.report_period)
    revenue.set_input("report_production", PERIOD, inputs.report_production)
    facts = {n: v[inputs.line_productions] for n, v in inputs.productions.items()}
    for name, values in facts.items():
        revenue.set_input(name, PERIOD, values.astype(np.int64) if values.dtype != bool else values)
    return Simulations(revenue, allocation, amounts)


def calculate(sims: Simulations, agreements: Sequence[Any]) -> dict[str, Array]:
    """Every amount, its allocation to performers, and the deciles."""
    from guildhall.costing.formulas import EARNINGS_KINDS, MINIMUM_KINDS
    from guildhall.costing.formulas.wages import pension_health_rate

    revenue, allocation = sims.revenue, sims.allocation
    line_productions = revenue.populations["production"].ids
    titles = allocation.populations["title"].ids
    covered = allocation.calculate("has_covered_performer", PERIOD)
    has_covered = np.zeros(len(line_productions), dtype=bool)
    where = np.searchsorted(titles, line_productions)
    found = (where < len(titles)) & (titles[np.minimum(where, len(titles) - 1)] == line_productions)
    has_covered[found] = covered[where[found]]
    revenue.set_input("has_covered_performer", PERIOD, has_covered)
    for i in range(len(agreements)):
        for y in range(3):
            minimum = np.zeros(len(line_productions), dtype=np.int64)
            minimum[found] = allocation.calculate(f"minimum_{i}_{y}", PERIOD)[where[found]]
            revenue.set_input(f"minimum_{i}_{y}", PERIOD, minimum)

    report_production = revenue.calculate("report_production", PERIOD)
    n_productions = int(max(report_production.max(initial=0), titles.max(initial=0))) + 1
    totals: dict[str, Array] = {}
    for i, t in enumerate(agreements):
        by_basis = {
            b: np.zeros(n_productions, dtype=np.int64) for b in ("units", "minimum", "earnings")
        }
        residual = np.zeros(len(report_production), dtype=np.int64)
        for j, kind in sims.amounts:
            if j != i:
                continue
            cents = revenue.calculate(f"amount_{i}_{kind}", PERIOD)
            cents = np.where(cents > 0, cents, 0)
            residual += cents
            basis = "minimum" if kind in MINIMUM_KINDS else "units"
            by_basis[basis] += np.bincount(
                report_production, weights=cents, minlength=n_productions
            ).astype(np.int64)
            totals[f"kind_{i}_{kind}"] = cents
        if t.has("minimum_increase"):
            added = allocation.calculate(f"minimum_increase_{i}", PERIOD)
            by_basis["earnings" if "minimum_increase" in EARNINGS_KINDS else "units"][titles] += (
                np.where(added > 0, added, 0)
            )
            totals[f"kind_{i}_minimum_increase"] = added
        if t.has("pension_health_contribution"):
            totals[f"kind_{i}_pension_health"] = allocation.calculate(f"pension_health_{i}", PERIOD)
            totals[f"kind_{i}_pension_health_residuals"] = to_cents(
                residual * pension_health_rate(t)
            )
        for basis, amount in by_basis.items():
            allocation.set_input(f"amount_{basis}_{i}", PERIOD, amount[titles])
    out = {"performer_id": allocation.populations["performer"].ids}
    for i in range(len(agreements)):
        out[f"total_{i}"] = allocation.calculate(f"total_{i}", PERIOD)
    out["earnings_cents"] = allocation.calculate("performer_earnings", PERIOD)
    out["decile"] = allocation.calculate("decile", PERIOD)
    out.update(totals)
    return out


def job(data: Path, agreements: Sequence[Any]) -> tuple[dict[str, Array], dict[str, float]]:
    """The whole OpenFisca run: read, build, calculate. Returns the results and the time
    each step took."""
    times: dict[str, float] = {}
    began = time.perf_counter()
    inputs = read(data)
    times["read"] = time.perf_counter() - began
    mark = time.perf_counter()
    sims = build(inputs, agreements)
    times["build"] = time.perf_counter() - mark
    mark = time.perf_counter()
    out = calculate(sims, agreements)
    times["formulas"] = time.perf_counter() - mark
    times["total"] = time.perf_counter() - began
    return out, times


def load_inputs(data: Any, agreements: Sequence[Any], limit: int) -> Inputs:
    """The inputs of ``job`` for a ``DataSet`` (every event: the job is not cut short)."""
    return read(Path(data.root))


def system(agreements: Sequence[Any]) -> Sequence[Any]:
    return agreements


def run(agreements: Sequence[Any], inputs: Inputs, count: int) -> list[float]:
    """Each agreement's total, in cents, from inputs ``load_inputs`` read."""
    out = calculate(build(inputs, agreements), agreements)
    return [
        float(sum(np.clip(v, 0, None).sum() for k, v in out.items() if k.startswith(f"kind_{i}_")))
        for i in range(count)
    ]


# ----------------------------------------------------------------------- the benchmark

BANDS = (
    "lose_more_than_5",
    "lose_less_than_5",
    "no_change",
    "gain_less_than_5",
    "gain_more_than_5",
)


def _cents(value: float) -> int:
    return int(Decimal(str(value)).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def distribution(out: dict[str, Array], count: int) -> list[list[list[int]]]:
    """Per offer against the baseline, by decile and overall: members, mean and median
    change, baseline cents and the five bands, as ``guildhall.costing.compare`` reports."""
    base = out["total_0"]
    floor = np.maximum(base, 100)
    rows = []
    for i in range(1, count):
        change = out[f"total_{i}"] - base
        band = np.select(
            [
                change * 20 > floor,
                change * 1000 > floor,
                -change * 20 > floor,
                -change * 1000 > floor,
            ],
            [4, 3, 0, 1],
            2,
        )
        table = []
        for decile in [*range(1, 11), 0]:
            mine = out["decile"] == decile if decile else np.ones(len(base), dtype=bool)
            if not mine.any():
                continue
            picked = change[mine]
            table.append(
                [
                    decile,
                    int(mine.sum()),
                    int(base[mine].sum()),
                    _cents(float(picked.mean())),
                    _cents(float(np.median(picked))),
                    *np.bincount(band[mine], minlength=5).tolist(),
                ]
            )
        rows.append(table)
    return rows


def _engine_digest(result: Any) -> list[list[list[int]]]:
    return [
        [[r.get("decile", 0), r["members"], r["baseline_cents"], r["mean_change_cents"],
          r["median_change_cents"], *r["bands"].values()] for r in [*d["deciles"], d["all"]]]
        for d in result.distribution
    ]  # fmt: skip


def _child(variant: str, data: Path, save: Path) -> None:
    """One measured run in its own process; prints a JSON line and saves the per-performer
    arrays to ``save``. Imports come before the clock."""
    import duckdb  # noqa: F401
    import openfisca_core.simulations  # noqa: F401
    import pandas  # noqa: F401

    from guildhall.costing.backends import connect
    from guildhall.costing.compare import compare, performer_totals
    from guildhall.costing.data.schema import DataSet
    from guildhall.costing.engine import encoded, materialize, open_tables, production_amounts
    from guildhall.services.costing import _terms

    agreements = _terms(AGREEMENTS, {})
    report: dict[str, Any] = {}
    if variant == "engine":
        began = time.perf_counter()
        result = compare(open_tables(connect("duckdb"), DataSet(data)), agreements)
        report["total"] = time.perf_counter() - began
        report["digest"] = _engine_digest(result)
        report["totals"] = {a["id"]: a["total_cents"] for a in result.agreements}
        # The per-performer table the comparison summarises, figured again (not timed).
        tables = open_tables(connect("duckdb"), DataSet(data))
        kept = materialize(encoded(production_amounts(tables, agreements), agreements), "k")
        performers = performer_totals(tables, kept, agreements).order_by("performer_id")
        arrow = performers.to_pyarrow()
        arrays = {name: arrow[name].to_numpy() for name in arrow.column_names}
    else:
        arrays, times = job(data, agreements)
        report.update(times)
        report["digest"] = distribution(arrays, len(agreements))
        kinds = [k for k in arrays if k.startswith("kind_")]
        report["totals"] = {
            t.id: int(sum(int(np.clip(arrays[k], 0, None).sum()) for k in kinds
                          if k.startswith(f"kind_{i}_")))
            for i, t in enumerate(agreements)
        }  # fmt: skip
        arrays = {k: v for k, v in arrays.items() if not k.startswith("kind_")}
    np.savez(save, **arrays)
    print(json.dumps(report))


def _measure(variant: str, data: Path, save: Path) -> dict[str, Any]:
    done = subprocess.run(
        [sys.executable, __file__, "--child", variant, "--data", str(data), "--save", str(save)],
        check=True,
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    found: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return found


def _data(size: int) -> Path:
    path = OUT / f"costing-{size // 1_000_000}m" if size >= 1_000_000 else OUT / f"costing-{size}"
    if not (path / "events").is_dir():
        from guildhall.costing.data.synth import SynthSpec, synthesize

        spec = SynthSpec(
            members=max(10_000, size // 50), titles=max(1_000, size // 250), events=size, seed=1
        )
        synthesize(spec, path, lambda table, rows: None)
    return path


def _same(engine: Path, openfisca: Path) -> list[str]:
    a, b = np.load(engine), np.load(openfisca)
    wrong = []
    for name in (
        "performer_id",
        "earnings_cents",
        "decile",
        *(f"total_{i}" for i in range(len(AGREEMENTS))),
    ):
        x, y = a[name], b[name]
        if x.shape != y.shape or not np.array_equal(x, y):
            wrong.append(name)
    return wrong


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=10_000_000)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--child")
    parser.add_argument("--data", type=Path)
    parser.add_argument("--save", type=Path)
    args = parser.parse_args()
    if args.child:
        _child(args.child, args.data, args.save)
        return
    data = _data(args.events)
    print(f"{args.events:,} events ({data}); agreements: {', '.join(AGREEMENTS)}")
    runs: dict[str, list[dict[str, Any]]] = {"engine": [], "openfisca": []}
    with tempfile.TemporaryDirectory() as folder:
        saved = {v: Path(folder) / f"{v}.npz" for v in runs}
        for _ in range(args.repeats):
            for variant in runs:
                runs[variant].append(_measure(variant, data, saved[variant]))
        wrong = _same(saved["engine"], saved["openfisca"])
    engine = [r["total"] for r in runs["engine"]]
    openfisca = [r["total"] for r in runs["openfisca"]]
    formulas = [r["formulas"] for r in runs["openfisca"]]
    steps = {
        s: statistics.median(r[s] for r in runs["openfisca"]) for s in ("read", "build", "formulas")
    }
    e, o, f = statistics.median(engine), statistics.median(openfisca), statistics.median(formulas)
    show = lambda xs: ", ".join(f"{x:.2f}" for x in xs)  # noqa: E731
    print(f"  Guildhall engine, whole comparison: median {e:.2f} s ({show(engine)})")
    print(f"  OpenFisca, whole job: median {o:.2f} s ({show(openfisca)})")
    print(
        f"    of which reading the Parquet files {steps['read']:.2f} s, building the"
        f" simulations {steps['build']:.2f} s, the formulas and allocation"
        f" {steps['formulas']:.2f} s"
    )
    pairs = [
        x["total"] / y["total"] for x, y in zip(runs["openfisca"], runs["engine"], strict=True)
    ]
    print(f"  end to end: Guildhall {o / e:.1f}x faster (per pair: {show(pairs)})")
    print(
        f"  formulas only: OpenFisca's formulas and allocation take {f / e:.1f}x"
        " Guildhall's whole run"
    )
    first_e, first_o = runs["engine"][0], runs["openfisca"][0]
    same_totals = first_e["totals"] == first_o["totals"]
    same_deciles = first_e["digest"] == first_o["digest"]
    print(f"  agreement totals equal to the cent: {same_totals} {first_e['totals']}")
    print(f"  deciles equal (members, baseline, mean and median change, bands): {same_deciles}")
    print(f"  per-performer totals, session pay and deciles equal: {not wrong} {wrong or ''}")
    if wrong or first_e["totals"] != first_o["totals"] or first_e["digest"] != first_o["digest"]:
        raise SystemExit("OpenFisca and Guildhall disagree")


if __name__ == "__main__":
    main()
