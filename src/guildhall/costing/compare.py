"""Compare agreements over one data set: totals, change against the first, distribution.

The first agreement is the baseline. For each agreement: the total and its change, the
totals by kind and by year, how many made-for-new-media productions each jurisdiction
reading covers; per performer, the change of each offer against the baseline, summarised
by decile of members' earnings (mean and median change) and in five bands (lose more
than 5%, lose less than 5%, no change (within 0.1% of the baseline), gain less than 5%,
gain more than 5%; a baseline under $1 counts as $1).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

import ibis
import ibis.expr.types as ir

from guildhall.costing.allocation import (
    allocate,
    amounts_by_production,
    credit_shares,
    split_among_credits,
)
from guildhall.costing.arith import int64
from guildhall.costing.engine import (
    Scratch,
    Tables,
    coverage_facts,
    decoded,
    encoded,
    materialize,
    production_amounts,
)
from guildhall.costing.formulas import (
    EARNINGS_KINDS,
    KINDS,
    MARKET_OF_KIND,
    MINIMUM_KINDS,
    UNALLOCATED_KINDS,
)
from guildhall.costing.formulas.wages import term_end
from guildhall.costing.jurisdiction import READINGS, is_covered, production_facts
from guildhall.costing.params import Terms
from guildhall.costing.published import FULL_SCALE_MEMBERS, PUBLISHED

BANDS = (
    "lose_more_than_5",
    "lose_less_than_5",
    "no_change",
    "gain_less_than_5",
    "gain_more_than_5",
)


@dataclass
class Comparison:
    """Everything a comparison reports; plain data, ready for JSON."""

    agreements: list[dict[str, Any]]
    by_kind: dict[str, dict[str, int]]
    by_year: dict[str, dict[str, int]]
    coverage: list[dict[str, Any]]
    distribution: list[dict[str, Any]] = field(default_factory=list)
    performer: dict[str, Any] | None = None
    provenance: dict[str, Any] = field(default_factory=dict)
    by_market: dict[str, dict[str, int]] = field(default_factory=dict)
    published: list[dict[str, Any]] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        out = {
            "agreements": self.agreements,
            "by_kind": self.by_kind,
            "by_market": self.by_market,
            "by_year": self.by_year,
            "published": self.published,
            "warnings": self.warnings,
            "coverage": self.coverage,
            "distribution": self.distribution,
            "provenance": self.provenance,
        }
        if self.performer is not None:
            out["performer"] = self.performer
        return out


def _cents(value: Any) -> int:
    if value is None:
        return 0
    return int(Decimal(str(value)).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def _nested(table: ir.Table, outer: str, inner: str) -> dict[str, dict[str, int]]:
    out: dict[str, dict[str, int]] = {}
    rows = sorted(table.to_pyarrow().to_pylist(), key=lambda r: (str(r[outer]), str(r[inner])))
    for row in rows:
        out.setdefault(str(row[outer]), {})[str(row[inner])] = int(row["amount_cents"])
    return out


def _nested_sums(sums: dict[tuple[str, str], int]) -> dict[str, dict[str, int]]:
    out: dict[str, dict[str, int]] = {}
    for (outer, inner), cents in sorted(sums.items()):
        out.setdefault(outer, {})[inner] = cents
    return out


def totals(amounts: ir.Table, agreements: Sequence[Terms]) -> list[dict[str, Any]]:
    found = {
        r["agreement"]: int(r["total"])
        for r in amounts.group_by("agreement")
        .aggregate(total=amounts.amount_cents.sum())
        .to_pyarrow()
        .to_pylist()
    }
    return _with_change(found, agreements)


def _with_change(found: dict[str, int], agreements: Sequence[Terms]) -> list[dict[str, Any]]:
    base = found.get(agreements[0].id, 0)
    rows = []
    for terms in agreements:
        total = found.get(terms.id, 0)
        change = total - base
        percent = (Decimal(change) * 100 / base).quantize(Decimal("0.01")) if base else None
        rows.append(
            {
                "id": terms.id,
                "total_cents": total,
                "change_cents": change,
                "change_percent": percent,
            }
        )
    return rows


def coverage(tables: Tables, agreements: Sequence[Terms]) -> list[dict[str, Any]]:
    """Made-for-new-media productions covered under each reading, per agreement."""
    facts = production_facts(tables.productions, tables.credits)
    facts = facts.filter(facts.medium == "new_media")
    readings = {
        i: READINGS if terms.has("new_media_jurisdiction") else (None,)
        for i, terms in enumerate(agreements)
    }
    columns = {
        f"{i}__{reading or 'none'}": is_covered(facts, agreements[i], reading).cast("int64").sum()
        for i, chosen in readings.items()
        for reading in chosen
    }
    result = facts.aggregate(total=facts.count(), **columns).to_pyarrow().to_pylist()[0]
    out = []
    for i, terms in enumerate(agreements):
        counts: dict[str, Any] = {
            "agreement": terms.id,
            "new_media_productions": int(result["total"]),
        }
        counts["covered"] = {
            (reading or "none"): int(result[f"{i}__{reading or 'none'}"] or 0)
            for reading in readings[i]
        }
        if terms.has("new_media_jurisdiction"):
            counts["reading_in_terms"] = terms.text("budget_test")
        out.append(counts)
    return out


CREDITS_PER_PASS = 8_000_000
"""The per-performer stage splits at most about this many credits at a time."""

EVENTS_PER_PASS = 25_000_000
"""The amounts are figured from at most about this many events at a time."""


def production_ranges(
    tables: Tables, per_pass: int = CREDITS_PER_PASS, rows: ir.Table | None = None
) -> list[tuple[int, int]]:
    """Consecutive ``[first, end)`` ranges of production ids, each holding about
    ``per_pass`` rows of ``rows`` (the credits unless given) or fewer (equal widths; rows
    are spread evenly over ids)."""
    count = int((tables.credits if rows is None else rows).count().to_pyarrow().as_py())
    ids = tables.productions.production_id
    bounds = tables.productions.aggregate(lo=ids.min(), hi=ids.max()).to_pyarrow().to_pylist()[0]
    if bounds["lo"] is None:
        return [(0, 1)]
    lo, hi = int(bounds["lo"]), int(bounds["hi"]) + 1
    passes = max(1, min(hi - lo, -(-count // per_pass)))
    step = -(-(hi - lo) // passes)
    return [(first, min(hi, first + step)) for first in range(lo, hi, step)]


def _in_range(table: ir.Table, first: int, end: int) -> ir.Table:
    return table.filter((table.production_id >= first) & (table.production_id < end))


def kept_amounts(
    tables: Tables, agreements: Sequence[Terms], per_pass: int = EVENTS_PER_PASS
) -> ir.Table:
    """The amounts as ``encoded`` keeps them, stored on the backend.

    Every formula is figured per production, so the amounts are figured in ranges of
    production ids holding about ``per_pass`` events each, one range at a time, and the
    ranges' amounts stacked: the same rows as in one pass. The events summed for a range,
    the stage that holds the most in memory, are dropped before the next range is read.
    The productions' facts are figured once over all of them (a series' budget counts
    every production of the series)."""
    ranges = production_ranges(tables, per_pass, tables.events)
    if len(ranges) == 1:
        amounts = production_amounts(tables, agreements, keep=materialize)
        return materialize(encoded(amounts, agreements), "gh_amounts")
    facts = materialize(coverage_facts(tables, agreements), "gh_facts")
    parts = []
    for first, end in ranges:
        scratch = Scratch()
        some = replace(
            tables,
            credits=_in_range(tables.credits, first, end),
            events=_in_range(tables.events, first, end),
        )
        amounts = production_amounts(some, agreements, scratch, _in_range(facts, first, end))
        parts.append(materialize(encoded(amounts, agreements), "gh_amounts"))
        scratch.release()
    return ibis.union(*parts, distinct=False)


def performer_totals(
    tables: Tables,
    kept: ir.Table,
    agreements: Sequence[Terms],
    per_pass: int = CREDITS_PER_PASS,
) -> ir.Table:
    """One row per performer with credits: earnings, one total column per agreement, and
    the decile of members' earnings. ``kept`` is the amounts table as ``encoded`` keeps it.

    Each production's amount is split among its credits in ranges of production ids, one
    range at a time (``production_ranges``), and the performers' partial sums are added
    up at the end: a performer's total is the same sum either way, and the splitting,
    the stage that holds the most in memory, holds one range's credits at a time."""
    count = len(agreements)
    unallocated = [KINDS.index(k) for k in UNALLOCATED_KINDS]
    wide = amounts_by_production(
        kept,
        list(range(count)),
        unallocated,
        minimum=[KINDS.index(k) for k in MINIMUM_KINDS],
        earnings=[KINDS.index(k) for k in EARNINGS_KINDS],
    )
    ranges = production_ranges(tables, per_pass)
    if len(ranges) == 1:
        totals = split_among_credits(wide, tables.credits, agreements)
    else:
        wide = materialize(wide, "gh_production_amounts")
        parts = [
            materialize(
                split_among_credits(
                    _in_range(wide, first, end),
                    _in_range(tables.credits, first, end),
                    agreements,
                ),
                "gh_performer_part",
            )
            for first, end in ranges
        ]
        stacked = ibis.union(*parts, distinct=False)
        columns = ["earnings_cents", *(f"total_{i}" for i in range(count))]
        totals = stacked.group_by("performer_id").aggregate(
            **{name: int64(stacked[name].sum()) for name in columns}
        )
    order = ibis.window(order_by=[totals.earnings_cents, totals.performer_id])
    return totals.mutate(decile=(ibis.ntile(10).over(order) + 1).cast("int64"))


def _band(change: ir.IntegerValue, base: ir.IntegerValue) -> ir.StringValue:
    floor = ibis.greatest(base, 100)
    return ibis.cases(
        (change * 20 > floor, "gain_more_than_5"),
        (change * 1000 > floor, "gain_less_than_5"),
        (-change * 20 > floor, "lose_more_than_5"),
        (-change * 1000 > floor, "lose_less_than_5"),
        else_="no_change",
    )


def distribution(performers: ir.Table, agreements: Sequence[Terms]) -> list[dict[str, Any]]:
    """Per offer against the baseline: by decile and overall, mean/median change and bands."""
    out = []
    for i, terms in enumerate(agreements[1:], start=1):
        change = performers[f"total_{i}"] - performers.total_0
        view = performers.mutate(change=change, band=_band(change, performers.total_0))
        band_counts = {b: (view.band == b).cast("int64").sum() for b in BANDS}
        by_decile = (
            view.group_by("decile")
            .aggregate(
                members=view.count(),
                mean_change=view.change.mean(),
                median_change=view.change.median(),
                baseline_cents=view.total_0.sum(),
                **band_counts,
            )
            .order_by("decile")
        )
        rows = by_decile.to_pyarrow().to_pylist()
        overall = (
            view.aggregate(
                members=view.count(),
                mean_change=view.change.mean(),
                median_change=view.change.median(),
                baseline_cents=view.total_0.sum(),
                **band_counts,
            )
            .to_pyarrow()
            .to_pylist()[0]
        )
        out.append(
            {
                "agreement": terms.id,
                "baseline": agreements[0].id,
                "deciles": [_decile_row(r) for r in rows],
                "all": _decile_row(overall),
            }
        )
    return out


def _decile_row(row: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {
        "members": int(row["members"]),
        "mean_change_cents": _cents(row["mean_change"]),
        "median_change_cents": _cents(row["median_change"]),
        "baseline_cents": int(row["baseline_cents"] or 0),
        "bands": {b: int(row[b] or 0) for b in BANDS},
    }
    if "decile" in row:
        out = {"decile": int(row["decile"]), **out}
    return out


def performer_view(
    tables: Tables, amounts: ir.Table, agreements: Sequence[Terms], performer_id: int
) -> dict[str, Any]:
    """One member's projection under each agreement, by kind."""
    mine = tables.credits.filter(tables.credits.performer_id == performer_id)
    productions = mine.select("production_id").distinct()
    theirs = amounts.semi_join(productions, "production_id")
    allocated = allocate(
        theirs,
        credit_shares(tables.credits.semi_join(productions, "production_id"), agreements),
        ["agreement", "kind"],
        agreements,
    )
    allocated = allocated.filter(allocated.performer_id == performer_id)
    summed = allocated.group_by(["agreement", "kind"]).aggregate(
        amount_cents=allocated.amount_cents.sum()
    )
    by_kind = _nested(summed, "agreement", "kind")
    return {
        "performer_id": performer_id,
        "credits": int(mine.count().to_pyarrow().as_py()),
        "agreements": [
            {
                "id": t.id,
                "total_cents": sum(by_kind.get(t.id, {}).values()),
                "by_kind": by_kind.get(t.id, {}),
            }
            for t in agreements
        ],
    }


STEPS = 5
"""How many times ``compare`` calls its ``step``: once as each of its stages starts."""


def _quiet(_what: str) -> None:
    return None


def compare(
    tables: Tables,
    agreements: Sequence[Terms],
    performer_id: int | None = None,
    step: Callable[[str], None] = _quiet,
) -> Comparison:
    """Cost every agreement over ``tables`` and compare each with the first.

    ``step(what)`` is called as each of the ``STEPS`` stages starts (for a progress bar)."""
    step("amounts per production")
    kept = kept_amounts(tables, agreements)
    return _compare_cached(tables, kept, agreements, performer_id, step)


def published_beside(
    tables: Tables, kept: ir.Table, agreements: Sequence[Terms]
) -> list[dict[str, Any]]:
    """For each agreement whose side published what it adds over the baseline: the
    costing's change over the agreement's three contract years, projected to
    ``FULL_SCALE_MEMBERS`` in proportion to the data set's members, beside that figure."""
    ids = [t.id for t in agreements]
    wanted = [
        (p, ids.index(str(p["agreement"])))
        for p in PUBLISHED
        if p["baseline"] == ids[0] and p["agreement"] in ids
    ]
    if not wanted:
        return []
    members = int(tables.members.count().to_pyarrow().as_py())
    out = []
    for figure, index in wanted:
        terms = agreements[index]
        start, end = terms.term_start, term_end(terms)
        inside = kept.filter(
            (kept.period_start >= start)
            & (kept.period_start < end)
            & kept.agreement.isin([0, index])
        )
        sums = {
            int(r["agreement"]): int(r["cents"])
            for r in inside.group_by("agreement")
            .aggregate(cents=int64(inside.amount_cents.sum()))
            .to_pyarrow()
            .to_pylist()
        }
        change = sums.get(index, 0) - sums.get(0, 0)
        projected = (
            int(
                (Decimal(change) * FULL_SCALE_MEMBERS / members).quantize(Decimal(1), ROUND_HALF_UP)
            )
            if members
            else 0
        )
        out.append(
            {
                "agreement": terms.id,
                "baseline": ids[0],
                "term": [start.isoformat(), end.isoformat()],
                "change_cents": change,
                "members": members,
                "projected_members": FULL_SCALE_MEMBERS,
                "projected_change_cents": projected,
                "published": figure["figure"],
                "published_cents": figure["cents"],
                "source": figure["source"],
                "note": figure["note"],
            }
        )
    return out


def _compare_cached(
    tables: Tables,
    kept: ir.Table,
    agreements: Sequence[Terms],
    performer_id: int | None,
    step: Callable[[str], None] = _quiet,
) -> Comparison:
    """``kept``: the amounts as ``encoded`` keeps them; sums group on its small integers
    and the names are put back on the few rows that come out."""
    step("totals by kind and year")
    year = kept.period_start.year().cast("int32")
    summed = (
        kept.mutate(year=year)
        .group_by(["agreement", "kind", "year"])
        .aggregate(amount_cents=int64(kept.amount_cents.sum()))
        .to_pyarrow()
        .to_pylist()
    )
    found: dict[str, int] = {}
    by_kind: dict[tuple[str, str], int] = {}
    by_year: dict[tuple[str, str], int] = {}
    for row in summed:
        cents = int(row["amount_cents"])
        agreement, kind = agreements[int(row["agreement"])].id, KINDS[int(row["kind"])]
        when = str(row["year"])
        found[agreement] = found.get(agreement, 0) + cents
        by_kind[(agreement, kind)] = by_kind.get((agreement, kind), 0) + cents
        by_year[(agreement, when)] = by_year.get((agreement, when), 0) + cents
    by_market: dict[tuple[str, str], int] = {}
    for (agreement, kind), cents in by_kind.items():
        market = MARKET_OF_KIND.get(kind, kind)
        by_market[(agreement, market)] = by_market.get((agreement, market), 0) + cents
    step("coverage by jurisdiction reading")
    result = Comparison(
        agreements=_with_change(found, agreements),
        by_kind=_nested_sums(by_kind),
        by_year=_nested_sums(by_year),
        coverage=coverage(tables, agreements),
        by_market=_nested_sums(by_market),
        published=published_beside(tables, kept, agreements),
    )
    step("amounts per performer")
    if performer_id is not None:
        amounts = decoded(kept, agreements)
        result.performer = performer_view(tables, amounts, agreements, performer_id)
        step("done")
        return result
    performers = materialize(performer_totals(tables, kept, agreements), "gh_performers")
    step("winners and losers by decile")
    result.distribution = distribution(performers, agreements)
    return result
