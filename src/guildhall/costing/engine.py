"""The engine: revenue events to amounts owed per production, period and kind.

One code path for every Ibis backend. Stages, each an Ibis expression:

1. ``production_facts`` and the jurisdiction test for every agreement;
2. ``costing_rows``: the paid events summed per production, period and market
   (``summary.summarised``) joined with their production's facts;
3. ``production_amounts``: every formula of every agreement, per-event formulas in one
   wide projection and one grouping, then sell-through tiers, fixed streaming residuals,
   the streaming bonus and supplemental markets' tiers; then session pay (minimum
   increases, pension and health) from the credits, and pension and health on the
   residuals. Each part is already one row per (agreement, production, period, kind), in
   micro-cents, and is rounded once to cents where it is formed; the parts are then
   stacked, with no grouping over the union.

Sums are cast back to 64-bit integers where they are formed (DuckDB widens a sum of
BIGINT to HUGEINT, whose arithmetic is several times slower); the bounds in
``docs/data.md`` keep every product below 2**62, and a sum that did not fit would fail
the cast rather than wrap.

Allocation to performers is in ``allocation``.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace

import ibis
import ibis.expr.types as ir
import ibis.selectors as s
from ibis.backends import BaseBackend

from guildhall.costing.arith import int64, to_cents
from guildhall.costing.data.schema import DataSet
from guildhall.costing.formulas import KINDS, MARKETS_OF_KIND
from guildhall.costing.formulas.per_event import PER_EVENT
from guildhall.costing.formulas.sell_through import (
    downloads_by_period,
    initial_tier_gross,
    sell_through,
)
from guildhall.costing.formulas.streaming_bonus import streaming_bonus
from guildhall.costing.formulas.streaming_fixed import streaming_fixed
from guildhall.costing.formulas.traditional import (
    base_column,
    minimum_facts,
    period_minimum,
    supplemental_by_period,
    supplemental_markets,
    uses_minimums,
)
from guildhall.costing.formulas.wages import (
    minimum_increase,
    pension_health,
    pension_health_rate,
    session_credits,
)
from guildhall.costing.jurisdiction import is_covered, production_facts
from guildhall.costing.params import Terms
from guildhall.costing.summary import summarised

PAID_MARKETS = tuple(sorted({m for markets in MARKETS_OF_KIND.values() for m in markets}))
"""The markets some formula pays on; events in other markets owe nothing and are not read."""

_PRODUCTION_COLUMNS = (
    "production_id",
    "medium",
    "is_new_series",
    "production_start",
    "residual_base_cents",
)


@dataclass(frozen=True)
class Tables:
    """The four analytical tables as Ibis tables on one backend."""

    productions: ir.Table
    credits: ir.Table
    members: ir.Table
    events: ir.Table


def open_tables(con: BaseBackend, data: DataSet) -> Tables:
    """Read a data set's Parquet files as tables on ``con``."""
    read = {
        name: con.read_parquet(data.glob(name), table_name=f"gh_{name}")
        for name in ("productions", "credits", "members", "events")
    }
    return Tables(**read)


def covered_column(index: int) -> str:
    return f"covered_{index}"


def coverage_facts(tables: Tables, agreements: Sequence[Terms]) -> ir.Table:
    """One row per production: the facts the formulas read, one coverage flag per
    agreement and, for the agreements with minimum-based formulas, the production's summed
    applicable minimums in each contract year."""
    facts = production_facts(tables.productions, tables.credits)
    coverage = {covered_column(i): is_covered(facts, t) for i, t in enumerate(agreements)}
    facts = facts.select(*_PRODUCTION_COLUMNS, **coverage)
    minimums = minimum_facts(tables.credits, list(agreements))
    if minimums is not None:
        facts = facts.left_join(minimums, "production_id").drop("production_id_right")
    return facts


def costing_rows(
    tables: Tables, agreements: Sequence[Terms], facts: ir.Table | None = None
) -> ir.Table:
    """``tables.events`` (rows with ``lines``: ``summary.summarised`` or
    ``summary.one_line_each``) joined with their production's ``coverage_facts``, and each
    agreement's summed minimums in the contract year of the row's period."""
    if facts is None:
        facts = coverage_facts(tables, agreements)
    rows = tables.events.join(facts, "production_id")
    # Each agreement's minimums in the contract year of the row's period, once, as a
    # column the run formulas refer to (rather than repeating the choice in each).
    bases = {base_column(t): period_minimum(rows, t) for t in agreements if uses_minimums(t)}
    return rows.mutate(**bases) if bases else rows


def _per_event(rows: ir.Table, agreements: Sequence[Terms]) -> ir.Table:
    columns = {
        f"{t.id}__{kind}": formula(rows, t, rows[covered_column(i)])
        for i, t in enumerate(agreements)
        for kind, formula in PER_EVENT.items()
    }
    columns = {name: value for name, value in columns.items() if isinstance(value, ir.Column)}
    if not columns:
        return _empty(rows)
    summed = rows.group_by(["production_id", "period_start"]).aggregate(
        **{name: int64(value.sum()) for name, value in columns.items()}
    )
    return _long(summed, {name: summed[name] for name in columns})


def _long(table: ir.Table, micro: dict[str, ir.IntegerValue]) -> ir.Table:
    """Columns ``<agreement>__<kind>`` of micro-cents, one row per production and period,
    rounded to cents and stacked into (agreement, production_id, period_start, kind,
    amount_cents). One wide projection for every agreement, then one unpivot: the
    formulas are evaluated once per row, and a filter on the amounts is not copied into
    each agreement's formula."""
    wide = table.select(
        "production_id",
        "period_start",
        **{name: to_cents(value.cast("int64")) for name, value in micro.items()},
    )
    long = wide.pivot_longer(
        s.cols(*micro),
        names_to=["agreement", "kind"],
        names_pattern="(.+)__(.+)",
        values_to="amount_cents",
    )
    return long.select("agreement", "production_id", "period_start", "kind", "amount_cents")


def _empty(rows: ir.Table) -> ir.Table:
    return rows.select(
        agreement=ibis.literal("", "string"),
        production_id=rows.production_id,
        period_start=rows.period_start,
        kind=ibis.literal("", "string"),
        amount_cents=ibis.literal(0, "int64"),
    ).limit(0)


def _labelled(table: ir.Table, agreement: str, kind: str, micro: ir.IntegerValue) -> ir.Table:
    """One part of the amounts: ``table`` has one row per production and period."""
    return table.select(
        agreement=ibis.literal(agreement, "string"),
        production_id=table.production_id,
        period_start=table.period_start,
        kind=ibis.literal(kind, "string"),
        amount_cents=to_cents(micro.cast("int64")),
    )


def _grouped_parts(
    rows: ir.Table, productions: ir.Table, agreements: Sequence[Terms]
) -> list[ir.Table]:
    parts: list[ir.Table] = []
    if any(t.has("electronic_sell_through_residual") for t in agreements):
        periods = downloads_by_period(rows, productions)
        sold = [t for t in agreements if t.has("electronic_sell_through_residual")]
        # Each agreement's initial-tier share is a column of its own first, so that the
        # formula refers to it instead of repeating its expression where it is used twice.
        split = periods.mutate(
            **{f"initial_{i}": initial_tier_gross(periods, t) for i, t in enumerate(sold)}
        )
        tiers = {
            f"{t.id}__sell_through": sell_through(split, t, split[f"initial_{i}"])
            for i, t in enumerate(sold)
        }
        parts.append(_long(split, tiers))
    supplemental = [t for t in agreements if t.has("supplemental_markets_residual")]
    if supplemental:
        periods = supplemental_by_period(rows)
        parts.append(
            _long(
                periods,
                {
                    f"{t.id}__supplemental_markets": supplemental_markets(periods, t)
                    for t in supplemental
                },
            )
        )
    for i, t in enumerate(agreements):
        if t.has("ad_supported_streaming_residual"):
            fixed = streaming_fixed(rows, t)
            parts.append(_labelled(fixed, t.id, "streaming_fixed", fixed.micro))
        if t.has("streaming_participation_bonus"):
            bonus = streaming_bonus(rows, t, rows[covered_column(i)])
            parts.append(_labelled(bonus, t.id, "streaming_bonus", bonus.performers_micro))
            parts.append(_labelled(bonus, t.id, "streaming_bonus_fund", bonus.fund_micro))
    return parts


def _session_parts(tables: Tables, agreements: Sequence[Terms]) -> list[ir.Table]:
    """Minimum increases and pension and health on session pay, per agreement."""
    parts: list[ir.Table] = []
    for t in agreements:
        if not (t.has("minimum_increase") or t.has("pension_health_contribution")):
            continue
        rows = session_credits(tables.credits, tables.productions, t)
        if t.has("minimum_increase"):
            added = minimum_increase(rows, t)
            parts.append(_labelled(added, t.id, "minimum_increase", added.micro))
        if t.has("pension_health_contribution"):
            paid = pension_health(rows, t)
            parts.append(_labelled(paid, t.id, "pension_health", paid.micro))
    return parts


def _on_residuals(residuals: ir.Table, agreements: Sequence[Terms]) -> ir.Table | None:
    """Pension and health on the residuals, per agreement, production and period."""
    paying = [t for t in agreements if t.has("pension_health_contribution")]
    if not paying:
        return None
    mine = residuals.filter(residuals.agreement.isin([t.id for t in paying]))
    summed = mine.group_by(["agreement", "production_id", "period_start"]).aggregate(
        cents=int64(mine.amount_cents.sum())
    )
    rate = ibis.cases(
        *[(summed.agreement == t.id, pension_health_rate(t)) for t in paying], else_=0
    ).cast("int64")
    return summed.select(
        "agreement",
        "production_id",
        "period_start",
        kind=ibis.literal("pension_health_residuals", "string"),
        amount_cents=to_cents(summed.cents * rate),
    )


def _lazy(table: ir.Table, _name: str) -> ir.Table:
    return table


def production_amounts(
    tables: Tables,
    agreements: Sequence[Terms],
    keep: Callable[[ir.Table, str], ir.Table] = _lazy,
    facts: ir.Table | None = None,
) -> ir.Table:
    """(agreement, production_id, period_start, kind, amount_cents), amounts above zero.

    ``keep(table, name)`` is given each stage that later ones read: the productions'
    facts and the residuals (which pension and health are figured on). ``materialize``
    computes and stores each, so that each stage is compiled and run on its own; the
    default leaves them in one expression. ``facts``: the productions' ``coverage_facts``
    already figured (over every production: a series' budget is summed over all its
    productions), for a costing of some of the productions' events and credits."""
    if facts is None:
        facts = keep(coverage_facts(tables, agreements), "gh_facts")
    paid = tables.events.filter(tables.events.market.isin(PAID_MARKETS))
    summed = replace(tables, events=summarised(paid, agreements))
    rows = costing_rows(summed, agreements, facts)
    parts = [_per_event(rows, agreements), *_grouped_parts(rows, tables.productions, agreements)]
    residuals = ibis.union(*parts, distinct=False) if len(parts) > 1 else parts[0]
    residuals = keep(residuals.filter(residuals.amount_cents > 0), "gh_residuals")
    extra = _session_parts(tables, agreements)
    on_residuals = _on_residuals(residuals, agreements)
    if on_residuals is not None:
        extra.append(on_residuals)
    if not extra:
        return residuals
    amounts = ibis.union(residuals, *extra, distinct=False)
    return amounts.filter(amounts.amount_cents > 0)


def materialize(table: ir.Table, name: str) -> ir.Table:
    """Compute ``table`` once and keep it on its backend for the queries that follow."""
    backend = table._find_backend()
    if backend.name == "duckdb":
        return backend.create_table(f"{name}_{uuid.uuid4().hex[:12]}", table, temp=True)
    return table.cache()


class Scratch:
    """``materialize`` for stages needed only until ``release``, which drops what it
    stored (DuckDB's temporary tables; Spark frees its cache as it needs the memory)."""

    def __init__(self) -> None:
        self._kept: list[ir.Table] = []

    def __call__(self, table: ir.Table, name: str) -> ir.Table:
        stored = materialize(table, name)
        self._kept.append(stored)
        return stored

    def release(self) -> None:
        for stored in self._kept:
            backend = stored._find_backend()
            if backend.name == "duckdb":
                # Ibis's drop_table renders no name with the pinned sqlglot. The name is
                # materialize's own, qualified (``temp.main.gh_residuals_<hex>``).
                name = ".".join(f'"{part}"' for part in stored.get_name().split("."))
                backend.raw_sql(f"DROP TABLE IF EXISTS {name}")
        self._kept.clear()


def encoded(amounts: ir.Table, agreements: Sequence[Terms]) -> ir.Table:
    """``amounts`` with ``agreement`` and ``kind`` as small integers (the agreement's
    position in ``agreements``, the kind's in ``KINDS``): the compact form a costing keeps
    in memory (tens of millions of rows at 100 million events). ``decoded`` reverses it."""
    return amounts.select(
        agreement=ibis.cases(
            *[(amounts.agreement == t.id, i) for i, t in enumerate(agreements)]
        ).cast("int8"),
        production_id=amounts.production_id,
        period_start=amounts.period_start,
        kind=ibis.cases(*[(amounts.kind == k, i) for i, k in enumerate(KINDS)]).cast("int8"),
        amount_cents=amounts.amount_cents,
    )


def decoded(table: ir.Table, agreements: Sequence[Terms]) -> ir.Table:
    """The amounts table, names restored, over a table made by ``encoded``."""
    return table.mutate(
        agreement=ibis.cases(*[(table.agreement == i, t.id) for i, t in enumerate(agreements)]),
        kind=ibis.cases(*[(table.kind == i, k) for i, k in enumerate(KINDS)]),
    )
