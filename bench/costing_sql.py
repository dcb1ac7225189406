"""The costing formulas written by hand in DuckDB SQL: the near-limit baseline.

The same formulas and rounding as ``guildhall.costing`` (rates in parts per million,
amounts in micro-cents rounded once, half up, per agreement, production, period and kind;
allocation to performers by cumulative units, applicable minimums or session pay), the
whole package: every traditional market, new media, minimum increases, and pension and
health on session pay and on residuals; written as a person would write them for
DuckDB, with the agreements' values as literals. It produces the same outputs as
``guildhall.costing.compare.compare``: totals, by kind, by year, coverage, and the change
per performer by decile in five bands. ``costing_bench.py`` checks that the totals match
the engine's to the cent.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import duckdb

from guildhall.costing.compare import CREDITS_PER_PASS, EVENTS_PER_PASS
from guildhall.costing.params import Terms

TRADITIONAL = "('theatrical', 'network_tv', 'cable_tv')"
PAID_MARKETS = (
    "('ad_supported_streaming', 'electronic_sell_through', 'rental', 'subscription_streaming',"
    " 'free_tv_rerun', 'syndication', 'basic_cable', 'foreign_free_tv', 'pay_tv',"
    " 'theatrical_on_free_tv', 'supplemental_markets')"
)
TELEVISION = "('network_tv', 'cable_tv')"
CATEGORIES = ("series_regular", "guest_star", "day_player", "stunt", "background")
RUNS = {
    "network_rerun": ("network_rerun_residual", "network_rerun_schedule", "free_tv_rerun"),
    "syndication": ("syndication_residual", "syndication_schedule", "syndication"),
    "basic_cable": ("basic_cable_residual", "basic_cable_schedule", "basic_cable"),
}
ON_GROSS = {
    "foreign_free_tv": ("foreign_free_tv_residual", "foreign_free_tv_percent", TELEVISION),
    "pay_tv": ("pay_tv_residual", "pay_tv_percent", TRADITIONAL),
    "theatrical_on_free_tv": ("theatrical_free_tv_residual", "theatrical_free_tv_percent",
                              "('theatrical')"),
}  # fmt: skip
MARKET_OF = {"foreign_free_tv": "foreign_free_tv", "pay_tv": "pay_tv",
             "theatrical_on_free_tv": "theatrical_on_free_tv"}  # fmt: skip
MINIMUM_KINDS = "('network_rerun', 'syndication', 'basic_cable', 'streaming_fixed')"
UNALLOCATED = "('streaming_bonus_fund', 'pension_health', 'pension_health_residuals')"
CONSUMER_PAY = "('rental', 'electronic_sell_through', 'subscription_streaming')"
SUPPORTED = {
    "new_media_jurisdiction",
    "library_cutoff",
    "rental_residual",
    "electronic_sell_through_residual",
    "ad_supported_streaming_residual",
    "television_library_streaming_residual",
    "theatrical_streaming_residual",
    "made_for_new_media_reuse_residual",
    "force_majeure_suspension_pay",
    "streaming_library_cutoff",
    "network_rerun_residual",
    "syndication_residual",
    "basic_cable_residual",
    "foreign_free_tv_residual",
    "pay_tv_residual",
    "theatrical_free_tv_residual",
    "supplemental_markets_residual",
    "applicable_minimum",
    "minimum_increase",
    "pension_health_contribution",
}


def _mins(t: Terms) -> bool:
    return t.has("applicable_minimum") and any(
        t.has(f) for f in ("ad_supported_streaming_residual", *(r[0] for r in RUNS.values()))
    )


def _year(t: Terms, column: str) -> str:
    second, third = t.year_starts()
    return (
        f"(CASE WHEN {column} < DATE '{second}' THEN 0"
        f" WHEN {column} < DATE '{third}' THEN 1 ELSE 2 END)"
    )


def _base(i: int, t: Terms, year_column: str = "period_start") -> str:
    """The summed applicable minimums in the year of the period (or the residual base)."""
    if not _mins(t):
        return "residual_base_cents"
    return (
        f"(CASE {_year(t, year_column)} WHEN 0 THEN min_{i}_0 WHEN 1 THEN min_{i}_1"
        f" ELSE min_{i}_2 END)"
    )


def _minimum(t: Terms, year: int, column: str = "category") -> str:
    cases = " ".join(f"WHEN '{c}' THEN {t.minimum_cents(c, year)}" for c in CATEGORIES)
    return f"(CASE {column} {cases} ELSE 0 END)"


def _stream_cut(t: Terms) -> str:
    if not t.has("streaming_library_cutoff") or "library_cutoff_date_television" not in t.values:
        return "TRUE"
    return (
        "NOT (market IN ('ad_supported_streaming', 'subscription_streaming')"
        f" AND medium IN {TELEVISION}"
        f" AND production_start < DATE '{t.date('library_cutoff_date_television')}')"
    )


def _raise_ppm(t: Terms, year: int) -> int:
    from decimal import ROUND_HALF_UP, Decimal

    return int(((t.raise_factor(year) - 1) * 1_000_000).quantize(Decimal(1), ROUND_HALF_UP))


def _covered(t: Terms, reading: str | None = None) -> str:
    if not t.has("new_media_jurisdiction"):
        return "(medium <> 'new_media')"
    scope = t.text("new_media_jurisdiction_scope")
    if scope == "none":
        return "(medium <> 'new_media')"
    if scope == "all_productions":
        return "TRUE"
    per_minute = f"budget_cents > running_minutes * {t.cents('budget_per_minute_threshold')}"
    per_program = f"budget_cents > {t.cents('budget_per_program_threshold')}"
    per_series = f"series_budget_cents > {t.cents('budget_per_series_threshold')}"
    if (reading or t.text("budget_test")) == "all":
        test = f"({per_minute} AND {per_program} AND (series_id IS NULL OR {per_series}))"
    else:
        test = f"({per_minute} OR {per_program} OR (series_id IS NOT NULL AND {per_series}))"
    if t.flag("covers_derivative_programs"):
        test += " OR is_derivative"
    if t.flag("covers_covered_performer_below_thresholds"):
        test += " OR has_covered_performer"
    return f"(medium <> 'new_media' OR {test})"


def _after(t: Terms) -> str:
    if not t.has("library_cutoff"):
        return "TRUE"
    return (
        f"(CASE WHEN medium = 'theatrical'"
        f" THEN production_start >= DATE '{t.date('library_cutoff_date_theatrical')}'"
        f" ELSE production_start >= DATE '{t.date('library_cutoff_date_television')}' END)"
    )


def _window(t: Terms) -> str:
    return (
        f"(CASE WHEN is_new_series THEN {t.count('free_window_days_new_series')}"
        f" ELSE {t.count('free_window_days_continuing_series')} END)"
    )


def _per_event_columns(i: int, t: Terms) -> dict[str, str]:
    cols: dict[str, str] = {}
    gated = f"medium IN {TRADITIONAL} AND after_{i} AND {_stream_cut(t)}"
    for kind, (formula, schedule, market) in RUNS.items():
        if not t.has(formula):
            continue
        rates = t.schedule(schedule)
        steps = " ".join(f"WHEN {n} THEN {r}" for n, r in enumerate(rates[:-1], start=1))
        rate = f"(CASE units {steps} ELSE {rates[-1]} END)" if steps else str(rates[-1])
        medium = "medium = 'network_tv'" if kind == "network_rerun" else f"medium IN {TELEVISION}"
        cols[kind] = (
            f"CASE WHEN market = '{market}' AND {medium} AND units >= 1"
            f" THEN {rate} * {_base(i, t)} * lines ELSE 0 END"
        )
    for kind, (formula, percent, mediums) in ON_GROSS.items():
        if t.has(formula):
            cols[kind] = (
                f"CASE WHEN market = '{MARKET_OF[kind]}' AND medium IN {mediums}"
                f" THEN distributors_gross_cents * {t.rate(percent)} ELSE 0 END"
            )
    if t.has("rental_residual"):
        cols["rental"] = (
            f"CASE WHEN market IN ('rental', 'subscription_streaming') AND {gated}"
            f" THEN distributors_gross_cents * {t.rate('rental_percent')} ELSE 0 END"
        )
    cases = []
    if t.has("theatrical_streaming_residual"):
        cases.append(f"WHEN medium = 'theatrical' THEN {t.rate('theatrical_streaming_percent')}")
    is_new = f"production_start >= DATE '{t.term_start}'"
    if t.has("television_library_streaming_residual"):
        cases.append(
            f"WHEN medium IN ('network_tv', 'cable_tv') AND NOT ({is_new})"
            f" THEN {t.rate('library_streaming_percent')}"
        )
    if t.has("ad_supported_streaming_residual"):
        fixed_days = t.count("fixed_residual_period_weeks") * 7 * t.count("fixed_residual_periods")
        cases.append(
            f"WHEN medium = 'network_tv' AND {is_new}"
            f" AND days_since_first_exhibition >= {_window(t)} + {fixed_days}"
            f" THEN {t.rate('streaming_gross_percent')}"
        )
    if cases:
        cols["ad_supported_streaming"] = (
            f"CASE WHEN market = 'ad_supported_streaming' AND {gated}"
            f" THEN distributors_gross_cents * (CASE {' '.join(cases)} ELSE 0 END) ELSE 0 END"
        )
    if t.has("made_for_new_media_reuse_residual"):
        platforms = t.choices("reuse_residual_platforms")
        rates = []
        if "consumer_pay" in platforms:
            rates.append(
                f"WHEN market IN {CONSUMER_PAY} THEN {t.rate('reuse_percent_consumer_pay')}"
            )
        if "ad_supported" in platforms:
            ad_rate = t.rate("reuse_percent_ad_supported")
            rates.append(f"WHEN market = 'ad_supported_streaming' THEN {ad_rate}")
        if rates:
            cols["new_media_reuse"] = (
                f"CASE WHEN medium = 'new_media' AND covered_{i}"
                f" THEN distributors_gross_cents * (CASE {' '.join(rates)} ELSE 0 END) ELSE 0 END"
            )
    return cols


def _summary(agreements: Sequence[Terms], events: str) -> str:
    """The paid events summed per production, period and market, keeping apart only what a
    formula tells apart: the run's number up to the longest schedule (runs are counted in
    ``lines``), and for streaming the day up to the last day any window or fixed period
    of these agreements ends (later days all compare alike)."""
    caps = {
        market: max([len(t.schedule(schedule)) for t in agreements if t.has(formula)], default=1)
        for formula, schedule, market in RUNS.values()
    }
    days = [
        max(t.count("free_window_days_new_series"), t.count("free_window_days_continuing_series"))
        + t.count("fixed_residual_period_weeks") * 7 * t.count("fixed_residual_periods")
        for t in agreements
        if t.has("ad_supported_streaming_residual")
    ] + [
        t.count("participation_bonus_window_days")
        if "participation_bonus_window_days" in t.values
        else 90
        for t in agreements
        if t.has("streaming_participation_bonus")
    ]
    run = " ".join(f"WHEN '{m}' THEN least(units, {c})" for m, c in caps.items())
    day = (
        f"CASE WHEN market IN ('ad_supported_streaming', 'subscription_streaming')"
        f" THEN least(days_since_first_exhibition, {max(days)}) ELSE 0 END"
        if days
        else "0"
    )
    runs = ", ".join(f"'{m}'" for m in caps)
    return (
        f"SELECT production_id, period_start, market, d AS days_since_first_exhibition,"
        f" CASE WHEN market IN ({runs}) THEN r ELSE sum(units) END AS units,"
        f" count(*) AS lines, sum(distributors_gross_cents)::BIGINT AS distributors_gross_cents,"
        f" sum(views)::BIGINT AS views, max(subscribers) AS subscribers"
        f" FROM (SELECT *, CASE market {run} ELSE 0 END AS r, {day} AS d FROM {events}"
        f" WHERE market IN {PAID_MARKETS})"
        f" GROUP BY production_id, period_start, market, r, d"
    )


def _st_rate(t: Terms, name: str) -> int:
    from decimal import Decimal

    from guildhall.costing.arith import ppm

    rate = Decimal(str(t.get(name))) * Decimal(str(t.get("sell_through_royalty_base")))
    return ppm(rate / 100)


def _unpivot(table: str) -> str:
    """A table of ``<agreement>__<kind>`` columns to (agreement, production_id, period_start,
    kind, amount_cents) rows."""
    return (
        "SELECT split_part(name, '__', 1), production_id, period_start,"
        f" split_part(name, '__', 2), amount_cents FROM (UNPIVOT {table}"
        " ON COLUMNS('__') INTO NAME name VALUE amount_cents)"
    )


def _cents(micro: str) -> str:
    """Micro-cents to cents, half up (amounts are never negative)."""
    return f"(({micro}) + 500000) // 1000000"


def _sell_through(t: Terms) -> str:
    boundary = (
        f"(CASE WHEN medium = 'theatrical' THEN {t.count('sell_through_tier_downloads_theatrical')}"
        f" ELSE {t.count('sell_through_tier_downloads_television')} END)"
    )
    later = (
        f"(CASE WHEN medium = 'theatrical'"
        f" THEN {_st_rate(t, 'sell_through_rate_above_tier_theatrical')}"
        f" ELSE {_st_rate(t, 'sell_through_rate_above_tier_television')} END)"
    )
    room = f"greatest({boundary} - units_before, 0)"
    initial_gross = (
        f"(CASE WHEN units = 0 THEN (CASE WHEN {room} > 0 THEN gross ELSE 0 END)"
        f" ELSE (2 * gross * least({room}, units) + units) // (2 * units) END)"
    )
    micro = (
        f"CASE WHEN {_after(t)} THEN {initial_gross} * {_st_rate(t, 'sell_through_rate')}"
        f" + (gross - {initial_gross}) * {later} ELSE 0 END"
    )
    return _cents(micro)


def _streaming_fixed(i: int, t: Terms) -> str:
    period = t.count("fixed_residual_period_weeks") * 7
    periods = t.count("fixed_residual_periods")
    since = f"(days_since_first_exhibition - {_window(t)})"
    bases = (
        f"max(min_{i}_0) AS min_{i}_0, max(min_{i}_1) AS min_{i}_1, max(min_{i}_2) AS min_{i}_2"
        if _mins(t)
        else "max(residual_base_cents) AS residual_base_cents"
    )
    blocks = (
        f"SELECT production_id, min(period_start) AS period_start, {bases}"
        f" FROM rows WHERE market = 'ad_supported_streaming'"
        f" AND medium IN ('network_tv', 'cable_tv') AND production_start >= DATE '{t.term_start}'"
        f" AND after_{i} AND {_stream_cut(t)} AND {since} >= 0 AND {since} < {periods * period}"
        f" GROUP BY production_id, {since} // {period}"
    )
    micro = f"sum({_base(i, t)} * {t.rate('fixed_residual_percent')})::BIGINT"
    return (
        f"SELECT '{t.id}' AS agreement, production_id, period_start, 'streaming_fixed' AS kind,"
        f" {_cents(micro)} AS amount_cents FROM ({blocks}) GROUP BY ALL"
    )


def _supplemental(t: Terms) -> str:
    from guildhall.costing.formulas.traditional import supplemental_rates

    first_rate, above_rate, tier = supplemental_rates(t)
    first = f"greatest(least({tier} - before, gross), 0)"
    return _cents(f"{first} * {first_rate} + (gross - {first}) * {above_rate}")


def _session(t: Terms, src: dict[str, str]) -> list[str]:
    """Minimum increases and pension and health on session pay, as SELECTs."""
    third = t.year_starts()[-1]
    end = third.replace(year=third.year + 1)
    rows = (
        f"(SELECT c.production_id, date_trunc('quarter', p.production_start)::DATE AS period_start,"
        f" c.earnings_cents, p.medium, {_year(t, 'p.production_start')} AS y"
        f" FROM {src['credits']} c JOIN {src['productions']} p USING (production_id)"
        f" WHERE p.production_start >= DATE '{t.term_start}' AND p.production_start < DATE '{end}')"
    )
    raises = [_raise_ppm(t, y) for y in range(3)]
    rate = f"(CASE y WHEN 0 THEN {raises[0]} WHEN 1 THEN {raises[1]} ELSE {raises[2]} END)"
    out = []
    if t.has("minimum_increase"):
        out.append(
            f"SELECT '{t.id}', production_id, period_start, 'minimum_increase',"
            f" {_cents(f'sum(earnings_cents * {rate})::BIGINT')} FROM {rows} GROUP BY ALL"
        )
    if t.has("pension_health_contribution"):
        pay = _cents(f"earnings_cents * (1000000 + {rate})")
        ceiling = (
            f"(CASE WHEN medium = 'theatrical' THEN {t.cents('pension_health_ceiling_theatrical')}"
            f" ELSE {t.cents('pension_health_ceiling_television')} END)"
        )
        micro = f"sum(least({pay}, {ceiling}))::BIGINT * {t.rate('pension_health_percent')}"
        out.append(
            f"SELECT '{t.id}', production_id, period_start, 'pension_health', {_cents(micro)}"
            f" FROM {rows} GROUP BY ALL"
        )
    return out


EVENTS = "__events_of_the_range__"
"""Stands for the events of one range of production ids in the residuals query."""


def _ranges(
    con: duckdb.DuckDBPyConnection, src: dict[str, str], rows: int, per_pass: int
) -> list[tuple[int, int]]:
    """Equal-width ranges of production ids, each holding about ``per_pass`` of ``rows``."""
    lo, hi = con.execute(
        f"SELECT min(production_id), max(production_id) + 1 FROM {src['productions']}"
    ).fetchone()
    passes = max(1, min(hi - lo, -(-rows // per_pass)))
    step = -(-(hi - lo) // passes)
    return [(first, min(hi, first + step)) for first in range(lo, hi, step)]


def cost(con: duckdb.DuckDBPyConnection, data: Any, agreements: Sequence[Terms]) -> dict[str, Any]:
    """Run the whole costing on ``con`` over the data set; the comparison as plain data."""
    for t in agreements:
        extra = set(t.formulas) - SUPPORTED
        if extra:
            raise ValueError(f"the hand-written SQL has no {sorted(extra)} ({t.id})")
    src = {
        name: f"read_parquet('{data.glob(name)}')" for name in ("productions", "credits", "events")
    }
    flags = ", ".join(
        f"{_covered(t)} AS covered_{i}, {_after(t)} AS after_{i}" for i, t in enumerate(agreements)
    )
    minimum_sums = [
        f"sum({_minimum(t, y)})::BIGINT AS min_{i}_{y}"
        for i, t in enumerate(agreements)
        if _mins(t)
        for y in range(3)
    ]
    minimum_names = [
        f"coalesce(m.min_{i}_{y}, 0) AS min_{i}_{y}"
        for i, t in enumerate(agreements)
        if _mins(t)
        for y in range(3)
    ]
    minimum_join = (
        f" LEFT JOIN (SELECT production_id, {', '.join(minimum_sums)} FROM {src['credits']}"
        " GROUP BY 1) m USING (production_id)"
        if minimum_sums
        else ""
    )
    flags = ", ".join([flags, *minimum_names])
    con.execute(
        f"""CREATE OR REPLACE TEMP TABLE facts AS
        WITH base AS (
          SELECT p.*, s.series_budget_cents, coalesce(c.has_covered_performer, FALSE)
                 AS has_covered_performer
          FROM {src["productions"]} p
          JOIN (SELECT coalesce(series_id, -1 - production_id) AS k,
                       sum(budget_cents) AS series_budget_cents
                FROM {src["productions"]} GROUP BY 1) s
            ON s.k = coalesce(p.series_id, -1 - p.production_id)
          LEFT JOIN (SELECT production_id, bool_or(is_covered_performer) AS has_covered_performer
                     FROM {src["credits"]} GROUP BY 1) c USING (production_id))
        SELECT base.*, {flags} FROM base{minimum_join}"""
    )
    per_event = {
        f"{t.id}__{kind}": expr
        for i, t in enumerate(agreements)
        for kind, expr in _per_event_columns(i, t).items()
    }
    minimum_columns = "".join(
        f", f.min_{i}_{y}" for i, t in enumerate(agreements) if _mins(t) for y in range(3)
    )
    rows = (
        f"(SELECT e.*, f.medium, f.is_new_series, f.production_start, f.residual_base_cents,"
        f" {', '.join(f'f.covered_{i}, f.after_{i}' for i in range(len(agreements)))}"
        f"{minimum_columns}"
        f" FROM ({_summary(agreements, EVENTS)}) e JOIN facts f USING (production_id))"
    )
    with_clauses = [f"rows AS {rows}"]
    parts = []
    if per_event:
        sums = ", ".join(
            f'{_cents(f"sum({expr})::BIGINT")} AS "{name}"' for name, expr in per_event.items()
        )
        with_clauses.append(
            f"per_event AS (SELECT production_id, period_start, {sums} FROM rows GROUP BY ALL)"
        )
        parts.append(_unpivot("per_event"))
    st = {
        f"{t.id}__sell_through": _sell_through(t)
        for t in agreements
        if t.has("electronic_sell_through_residual")
    }
    if st:
        with_clauses.append(
            "est0 AS (SELECT s.*, f.medium, f.production_start FROM"
            " (SELECT production_id, period_start, sum(units)::BIGINT AS units,"
            " sum(distributors_gross_cents)::BIGINT AS gross FROM rows"
            f" WHERE market = 'electronic_sell_through' AND medium IN {TRADITIONAL} GROUP BY ALL)"
            " s JOIN facts f USING (production_id))"
        )
        with_clauses.append(
            "est AS (SELECT *, (sum(units) OVER (PARTITION BY production_id ORDER BY period_start"
            " ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW))::BIGINT - units AS units_before"
            " FROM est0)"
        )
        tiers = ", ".join(f'{expr} AS "{name}"' for name, expr in st.items())
        with_clauses.append(f"est_cents AS (SELECT production_id, period_start, {tiers} FROM est)")
        parts.append(_unpivot("est_cents"))
    sup = {
        f"{t.id}__supplemental_markets": _supplemental(t)
        for t in agreements
        if t.has("supplemental_markets_residual")
    }
    if sup:
        with_clauses.append(
            "sup0 AS (SELECT production_id, period_start,"
            " sum(distributors_gross_cents)::BIGINT AS gross FROM rows"
            f" WHERE market = 'supplemental_markets' AND medium IN {TRADITIONAL} GROUP BY ALL)"
        )
        with_clauses.append(
            "sup AS (SELECT *, (sum(gross) OVER (PARTITION BY production_id ORDER BY period_start"
            " ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW))::BIGINT - gross AS before"
            " FROM sup0)"
        )
        columns = ", ".join(f'{expr} AS "{name}"' for name, expr in sup.items())
        with_clauses.append(
            f"sup_cents AS (SELECT production_id, period_start, {columns} FROM sup)"
        )
        parts.append(_unpivot("sup_cents"))
    parts += [
        _streaming_fixed(i, t)
        for i, t in enumerate(agreements)
        if t.has("ad_supported_streaming_residual")
    ]
    residuals = f"""WITH {", ".join(with_clauses)},
        parts(agreement, production_id, period_start, kind, amount_cents)
          AS ({" UNION ALL ".join(parts)})
        SELECT * FROM parts WHERE amount_cents > 0"""
    # The residuals are figured in ranges of production ids holding at most
    # EVENTS_PER_PASS events each, as the engine does (the facts are figured once).
    events_rows = con.execute(f"SELECT count(*) FROM {src['events']}").fetchone()[0]
    for n, (first, end) in enumerate(_ranges(con, src, events_rows, EVENTS_PER_PASS)):
        some = (
            f"(SELECT * FROM {src['events']}"
            f" WHERE production_id >= {first} AND production_id < {end})"
        )
        into = "CREATE OR REPLACE TEMP TABLE residuals AS" if n == 0 else "INSERT INTO residuals"
        con.execute(f"{into} {residuals.replace(EVENTS, some)}")
    extra = [q for t in agreements for q in _session(t, src)]
    paying = [t for t in agreements if t.has("pension_health_contribution")]
    if paying:
        rates = " ".join(f"WHEN '{t.id}' THEN {t.rate('pension_health_percent')}" for t in paying)
        ids = ", ".join(f"'{t.id}'" for t in paying)
        extra.append(
            "SELECT agreement, production_id, period_start, 'pension_health_residuals',"
            f" {_cents(f'sum(amount_cents)::BIGINT * (CASE agreement {rates} END)')}"
            f" FROM residuals WHERE agreement IN ({ids}) GROUP BY agreement, production_id,"
            " period_start"
        )
    con.execute(
        "CREATE OR REPLACE TEMP TABLE amounts AS SELECT * FROM residuals"
        + "".join(
            f" UNION ALL SELECT * FROM ({q}) WHERE amount_cents > 0"
            for q in [f"SELECT * FROM ({e}) x(agreement, production_id, period_start, kind,"
                      f" amount_cents)" for e in extra]
        )
    )  # fmt: skip
    out: dict[str, Any] = {
        "totals": dict(
            con.execute("SELECT agreement, sum(amount_cents) FROM amounts GROUP BY 1").fetchall()
        ),
        "by_kind": con.execute(
            "SELECT agreement, kind, sum(amount_cents) FROM amounts GROUP BY ALL ORDER BY ALL"
        ).fetchall(),
        "by_year": con.execute(
            "SELECT agreement, year(period_start), sum(amount_cents) FROM amounts"
            " GROUP BY ALL ORDER BY ALL"
        ).fetchall(),
        "coverage": con.execute(
            "SELECT count(*), "
            + ", ".join(f"sum({_covered(t, r)}::INT)" for t in agreements for r in ("any", "all"))
            + " FROM facts WHERE medium = 'new_media'"
        ).fetchall(),
    }

    def basis(kind_set: str, i: int, t: Terms) -> str:
        return f"agreement = '{t.id}' AND kind IN {kind_set}"

    earnings_kinds = "('minimum_increase')"

    amount_columns = ", ".join(
        f"sum(CASE WHEN agreement = '{t.id}' AND kind NOT IN {MINIMUM_KINDS}"
        f" AND kind <> 'minimum_increase' THEN amount_cents ELSE 0 END)::BIGINT AS amount_u_{i},"
        f" sum(CASE WHEN {basis(MINIMUM_KINDS, i, t)} THEN amount_cents ELSE 0 END)::BIGINT"
        f" AS amount_m_{i},"
        f" sum(CASE WHEN {basis(earnings_kinds, i, t)} THEN amount_cents ELSE 0 END)"
        f"::BIGINT AS amount_e_{i}"
        for i, t in enumerate(agreements)
    )

    def share(amount: str, weight: str) -> str:
        return (
            f"CASE WHEN total_{weight} > 0 THEN (2 * {amount} * through_{weight} + total_{weight})"
            f" // (2 * total_{weight}) - (2 * {amount} * (through_{weight} - w_{weight})"
            f" + total_{weight}) // (2 * total_{weight}) ELSE 0 END"
        )

    shares = ", ".join(
        f"sum(({share(f'amount_u_{i}', 'u')}) + ({share(f'amount_e_{i}', 'e')})"
        f" + ({share(f'amount_m_{i}', f'm{i}' if _mins(t) else 'u')}))::BIGINT AS total_{i}"
        for i, t in enumerate(agreements)
    )
    amounts_or_zero = ", ".join(
        f"coalesce(p.amount_{b}_{i}, 0) AS amount_{b}_{i}"
        for i in range(len(agreements))
        for b in ("u", "m", "e")
    )
    weights = {"u": "units::BIGINT", "e": "earnings_cents"} | {
        f"m{i}": _minimum(t, 0) for i, t in enumerate(agreements) if _mins(t)
    }
    window = (
        "PARTITION BY production_id ORDER BY performer_id"
        " ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW"
    )
    weight_columns = ", ".join(
        f"{w} AS w_{k}, (sum({w}) OVER ({window}))::BIGINT AS through_{k},"
        f" (sum({w}) OVER (PARTITION BY production_id))::BIGINT AS total_{k}"
        for k, w in weights.items()
    )
    carried = ", ".join(f"c.w_{k}, c.through_{k}, c.total_{k}" for k in weights)
    # The split runs over ranges of production ids holding at most CREDITS_PER_PASS
    # credits each, as the engine does, and the partial sums are added at the end.
    credits_rows = con.execute(f"SELECT count(*) FROM {src['credits']}").fetchone()[0]
    con.execute(
        f"""CREATE OR REPLACE TEMP TABLE per_production AS
        SELECT production_id, {amount_columns} FROM amounts
        WHERE kind NOT IN {UNALLOCATED} GROUP BY ALL"""
    )
    totals_columns = ", ".join(f"total_{i} BIGINT" for i in range(len(agreements)))
    con.execute(
        "CREATE OR REPLACE TEMP TABLE partials"
        f" (performer_id BIGINT, earnings_cents BIGINT, {totals_columns})"
    )
    for first, end in _ranges(con, src, credits_rows, CREDITS_PER_PASS):
        con.execute(
            f"""INSERT INTO partials
            WITH credits AS (
              SELECT production_id, performer_id, earnings_cents, {weight_columns}
              FROM {src["credits"]}
              WHERE production_id >= {first} AND production_id < {end})
            SELECT performer_id, sum(earnings_cents)::BIGINT AS earnings_cents, {shares}
            FROM (SELECT c.performer_id, c.earnings_cents, {carried}, {amounts_or_zero}
                  FROM credits c LEFT JOIN per_production p USING (production_id))
            GROUP BY performer_id"""
        )
    sums = ", ".join(
        f"sum({c})::BIGINT AS {c}"
        for c in ["earnings_cents", *(f"total_{i}" for i in range(len(agreements)))]
    )
    con.execute(
        f"""CREATE OR REPLACE TEMP TABLE performers AS
        WITH totals AS (SELECT performer_id, {sums} FROM partials GROUP BY performer_id)
        SELECT *, ntile(10) OVER (ORDER BY earnings_cents, performer_id) AS decile FROM totals"""
    )
    distribution = []
    for i in range(1, len(agreements)):
        change = f"(total_{i} - total_0)"
        floor = "greatest(total_0, 100)"
        band = (
            f"CASE WHEN {change} * 20 > {floor} THEN 'gain_more_than_5'"
            f" WHEN {change} * 1000 > {floor} THEN 'gain_less_than_5'"
            f" WHEN -{change} * 20 > {floor} THEN 'lose_more_than_5'"
            f" WHEN -{change} * 1000 > {floor} THEN 'lose_less_than_5' ELSE 'no_change' END"
        )
        distribution.append(
            con.execute(
                f"""SELECT decile, count(*), avg(change), median(change), sum(total_0),
                       count_if(band = 'lose_more_than_5'), count_if(band = 'lose_less_than_5'),
                       count_if(band = 'no_change'), count_if(band = 'gain_less_than_5'),
                       count_if(band = 'gain_more_than_5')
                FROM (SELECT decile, total_0, {change} AS change, {band} AS band FROM performers)
                GROUP BY GROUPING SETS ((decile), ()) ORDER BY decile NULLS LAST"""
            ).fetchall()
        )
    out["distribution"] = distribution
    return out
