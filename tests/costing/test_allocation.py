"""Per-performer totals in one pass over credits agree with the per-production allocation."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

import ibis

from guildhall.costing.allocation import (
    allocate,
    amounts_by_production,
    credit_shares,
    split_among_credits,
)
from guildhall.costing.engine import decoded, encoded
from guildhall.costing.formulas import UNALLOCATED_KINDS
from guildhall.costing.params import terms_from_mapping

AGREEMENTS = ["base", "offer"]

# Production 1 has a performer with two credits (7), production 2 units that do not
# divide its amounts evenly, production 3 no amounts at all, production 4 no credits.
CREDITS = [
    (1, 7, 3, 1_000),
    (1, 7, 2, 2_000),
    (1, 9, 1, 500),
    (1, 4, 5, 700),
    (2, 9, 1, 300),
    (2, 11, 1, 300),
    (2, 12, 1, 300),
    (3, 7, 4, 900),
]
AMOUNTS = [
    ("base", 1, dt.date(2008, 7, 1), "rental", 1_001),
    ("base", 1, dt.date(2008, 10, 1), "sell_through", 333),
    ("offer", 1, dt.date(2008, 7, 1), "rental", 2_999),
    ("base", 2, dt.date(2008, 7, 1), "sell_through", 100),
    ("offer", 2, dt.date(2009, 1, 1), "new_media_reuse", 101),
    ("offer", 2, dt.date(2009, 1, 1), "streaming_bonus_fund", 5_000),
    ("offer", 4, dt.date(2009, 1, 1), "rental", 77),
]


def _tables() -> tuple[ibis.Table, ibis.Table]:
    con = ibis.duckdb.connect()
    credits = con.create_table(
        "credits",
        ibis.memtable(
            {
                "production_id": [c[0] for c in CREDITS],
                "performer_id": [c[1] for c in CREDITS],
                "units": [c[2] for c in CREDITS],
                "earnings_cents": [c[3] for c in CREDITS],
            },
            schema={
                "production_id": "int64",
                "performer_id": "int64",
                "units": "int32",
                "earnings_cents": "int64",
            },
        ),
    )
    amounts = con.create_table(
        "amounts",
        ibis.memtable(
            {
                "agreement": [a[0] for a in AMOUNTS],
                "production_id": [a[1] for a in AMOUNTS],
                "period_start": [a[2] for a in AMOUNTS],
                "kind": [a[3] for a in AMOUNTS],
                "amount_cents": [a[4] for a in AMOUNTS],
            },
            schema={
                "agreement": "string",
                "production_id": "int64",
                "period_start": "date",
                "kind": "string",
                "amount_cents": "int64",
            },
        ),
    )
    return credits, amounts


def test_one_pass_totals_equal_the_allocation_per_production() -> None:
    credits, amounts = _tables()
    kept = amounts.filter(amounts.kind != "streaming_bonus_fund")
    per_production = kept.group_by(["agreement", "production_id"]).aggregate(
        amount_cents=kept.amount_cents.sum()
    )
    allocated = allocate(per_production, credit_shares(credits), ["agreement"])
    expected: dict[int, dict[str, int]] = defaultdict(lambda: dict.fromkeys(AGREEMENTS, 0))
    by_production: dict[tuple[str, int], int] = defaultdict(int)
    for row in allocated.to_pyarrow().to_pylist():
        if row["performer_id"] is not None:
            expected[row["performer_id"]][row["agreement"]] += row["amount_cents"]
            by_production[(row["agreement"], row["production_id"])] += row["amount_cents"]
    # Exact: every production's shares add up to its amount.
    for row in per_production.to_pyarrow().to_pylist():
        if row["production_id"] != 4:
            assert by_production[(row["agreement"], row["production_id"])] == row["amount_cents"]

    wide = amounts_by_production(amounts, AGREEMENTS, UNALLOCATED_KINDS)
    found = (
        split_among_credits(wide, credits, [terms_from_mapping({"id": a}) for a in AGREEMENTS])
        .to_pyarrow()
        .to_pylist()
    )
    earnings: dict[int, int] = defaultdict(int)
    for credit in CREDITS:
        earnings[credit[1]] += credit[3]
    assert {r["performer_id"] for r in found} == set(earnings)
    for row in found:
        performer = row["performer_id"]
        assert row["earnings_cents"] == earnings[performer]
        for i, agreement in enumerate(AGREEMENTS):
            assert row[f"total_{i}"] == expected.get(performer, {}).get(agreement, 0)
    # Production 1, "base": 1,334 cents over 11 units; performer 7 holds units 1-5 after
    # performer 4 (5 units): round(1334 × 10 / 11) − round(1334 × 5 / 11) = 1213 − 606 = 607.
    seven = next(r for r in found if r["performer_id"] == 7)
    assert seven["total_0"] == 607


def test_the_compact_amounts_table_restores_every_name() -> None:
    _, amounts = _tables()
    agreements = [terms_from_mapping({"id": a}) for a in AGREEMENTS]
    back = decoded(encoded(amounts, agreements), agreements)
    order = ["agreement", "production_id", "period_start", "kind"]
    assert (
        back.order_by(order).to_pyarrow().to_pylist()
        == amounts.order_by(order).to_pyarrow().to_pylist()
    )
