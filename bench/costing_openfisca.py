"""The per-event costing formulas written in OpenFisca, the rules-as-code tool a policy
analyst would reach for.

Each revenue event is an OpenFisca person entity; the inputs are the event's columns and
its production's facts (medium, whether a TV program is new, the jurisdiction test per
agreement, the downloads before it), read with DuckDB. One variable per formula and
agreement, built from the agreements' values: ad-supported streaming on gross (features,
library TV, new TV after the fixed periods), made-for-new-media reuse, and sell-through
tiers per event; then a total per agreement. OpenFisca keeps money as float32.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import duckdb
import numpy as np
from openfisca_core.entities import build_entity
from openfisca_core.periods import DateUnit
from openfisca_core.simulations import SimulationBuilder
from openfisca_core.taxbenefitsystems import TaxBenefitSystem
from openfisca_core.variables import Variable

from guildhall.costing.params import Terms

PERIOD = "2009"
MARKETS = {
    "ad_supported_streaming": 0,
    "subscription_streaming": 1,
    "rental": 2,
    "electronic_sell_through": 3,
    "free_tv_rerun": 4,
    "pay_tv": 5,
}
MEDIUMS = {"theatrical": 0, "network_tv": 1, "cable_tv": 2, "new_media": 3}
Event = build_entity(key="event", plural="events", label="A revenue event", is_person=True)


def _variable(name: str, value_type: type, formula: Any = None) -> type[Variable]:
    attrs: dict[str, Any] = {
        "value_type": value_type,
        "entity": Event,
        "definition_period": DateUnit.YEAR,
        "label": name,
    }
    if formula is not None:
        attrs["formula"] = formula
    return type(name, (Variable,), attrs)


INPUTS = {
    "gross": float,
    "market": int,
    "medium": int,
    "days": int,
    "is_new_series": bool,
    "units": int,
    "units_before": int,
}


def _rate(t: Terms, name: str) -> float:
    return float(t.get(name)) / 100


def _formulas(i: int, t: Terms) -> dict[str, Any]:
    made: dict[str, Any] = {}
    if t.has("ad_supported_streaming_residual") or t.has("theatrical_streaming_residual"):
        window_new = t.count("free_window_days_new_series")
        window_old = t.count("free_window_days_continuing_series")
        fixed = t.count("fixed_residual_period_weeks") * 7 * t.count("fixed_residual_periods")
        feature, library, on_gross = (
            _rate(t, "theatrical_streaming_percent"),
            _rate(t, "library_streaming_percent"),
            _rate(t, "streaming_gross_percent"),
        )

        def ads(events: Any, period: Any) -> Any:
            medium = events("medium", period)
            is_tv = (medium == 1) + (medium == 2)
            new = events(f"is_new_program_{i}", period)
            window = np.where(events("is_new_series", period), window_new, window_old)
            rate = np.select(
                [
                    medium == 0,
                    is_tv * ~new,
                    is_tv * new * (events("days", period) >= window + fixed),
                ],
                [feature, library, on_gross],
                0.0,
            )
            applies = (events("market", period) == 0) * (medium != 3) * events(f"after_{i}", period)
            return events("gross", period) * rate * applies

        made[f"ads_{i}"] = ads
    if t.has("made_for_new_media_reuse_residual"):
        platforms = t.choices("reuse_residual_platforms")
        pay = _rate(t, "reuse_percent_consumer_pay") if "consumer_pay" in platforms else 0.0
        ad = _rate(t, "reuse_percent_ad_supported") if "ad_supported" in platforms else 0.0

        def reuse(events: Any, period: Any) -> Any:
            market = events("market", period)
            rate = np.select(
                [(market == 1) + (market == 2) + (market == 3), market == 0], [pay, ad], 0.0
            )
            applies = (events("medium", period) == 3) * events(f"covered_{i}", period)
            return events("gross", period) * rate * applies

        made[f"reuse_{i}"] = reuse
    if t.has("electronic_sell_through_residual"):
        base = _rate(t, "sell_through_royalty_base")
        first = _rate(t, "sell_through_rate") * base
        later = {
            m: _rate(t, f"sell_through_rate_above_tier_{m}") * base
            for m in ("theatrical", "television")
        }
        tier = {
            m: t.count(f"sell_through_tier_downloads_{m}") for m in ("theatrical", "television")
        }

        def sell_through(events: Any, period: Any) -> Any:
            medium = events("medium", period)
            feature = medium == 0
            boundary = np.where(feature, tier["theatrical"], tier["television"])
            above = np.where(feature, later["theatrical"], later["television"])
            units = events("units", period)
            before = events("units_before", period)
            first_units = np.clip(boundary - before, 0, units)
            share = np.where(
                units > 0, first_units / np.maximum(units, 1), (before < boundary) * 1.0
            )
            gross = events("gross", period)
            applies = (events("market", period) == 3) * (medium != 3) * events(f"after_{i}", period)
            return gross * (share * first + (1 - share) * above) * applies

        made[f"sell_through_{i}"] = sell_through
    parts = list(made)

    def total(events: Any, period: Any) -> Any:
        return sum((events(p, period) for p in parts), np.zeros(1, dtype=np.float32))

    made[f"total_{i}"] = total
    return made


def system(agreements: Sequence[Terms]) -> TaxBenefitSystem:
    tbs = TaxBenefitSystem([Event])
    for name, kind in INPUTS.items():
        tbs.add_variable(_variable(name, kind))
    for i in range(len(agreements)):
        for flag in ("covered", "after", "is_new_program"):
            tbs.add_variable(_variable(f"{flag}_{i}", bool))
    for i, t in enumerate(agreements):
        for name, formula in _formulas(i, t).items():
            tbs.add_variable(_variable(name, float, formula))
    return tbs


def load_inputs(data: Any, agreements: Sequence[Terms], limit: int) -> dict[str, np.ndarray]:
    """The first ``limit`` events with their production's facts, as NumPy arrays."""
    import sys
    from pathlib import Path

    sys.path.insert(0, str(Path(__file__).parent))
    from costing_sql import _after, _covered

    flags = ", ".join(
        f"{_covered(t)} AS covered_{i}, {_after(t)} AS after_{i},"
        f" production_start >= DATE '{t.term_start}' AS is_new_program_{i}"
        for i, t in enumerate(agreements)
    )
    con = duckdb.connect()
    con.execute(
        f"""CREATE TEMP TABLE facts AS
        WITH base AS (
          SELECT p.*, s.series_budget_cents, coalesce(c.has_covered_performer, FALSE)
                 AS has_covered_performer
          FROM read_parquet('{data.glob("productions")}') p
          JOIN (SELECT coalesce(series_id, -1 - production_id) AS k,
                       sum(budget_cents) AS series_budget_cents
                FROM read_parquet('{data.glob("productions")}') GROUP BY 1) s
            ON s.k = coalesce(p.series_id, -1 - p.production_id)
          LEFT JOIN (SELECT production_id, bool_or(is_covered_performer) AS has_covered_performer
                     FROM read_parquet('{data.glob("credits")}') GROUP BY 1) c
            USING (production_id))
        SELECT production_id, medium, is_new_series, {flags} FROM base"""
    )
    market = "CASE market " + " ".join(f"WHEN '{k}' THEN {v}" for k, v in MARKETS.items()) + " END"
    medium = "CASE medium " + " ".join(f"WHEN '{k}' THEN {v}" for k, v in MEDIUMS.items()) + " END"
    flag_columns = ", ".join(
        f"{f}_{i}" for i in range(len(agreements)) for f in ("covered", "after", "is_new_program")
    )
    table = con.execute(
        f"""SELECT distributors_gross_cents::FLOAT AS gross, {market} AS market,
               {medium} AS medium, days_since_first_exhibition AS days, is_new_series, units,
               coalesce(sum(CASE WHEN market = 'electronic_sell_through' THEN units END)
                 OVER (PARTITION BY production_id ORDER BY period_start, event_id
                       ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), 0) AS units_before,
               {flag_columns}
        FROM (SELECT * FROM read_parquet('{data.glob("events")}') LIMIT {limit})
        JOIN facts USING (production_id)"""
    ).to_arrow_table()
    return {name: table[name].to_numpy() for name in table.column_names}


def run(tbs: TaxBenefitSystem, inputs: dict[str, np.ndarray], agreements: int) -> list[float]:
    """Build the simulation, set the inputs and compute every agreement's total."""
    count = len(next(iter(inputs.values())))
    simulation = SimulationBuilder().build_default_simulation(tbs, count)
    for name, values in inputs.items():
        simulation.set_input(name, PERIOD, values)
    return [
        float(simulation.calculate(f"total_{i}", PERIOD).sum(dtype=np.float64))
        for i in range(agreements)
    ]
