"""Exact integer arithmetic on the backend: half-up division against Python's integers."""

from __future__ import annotations

import ibis
from hypothesis import given, settings
from hypothesis import strategies as st

from guildhall.costing.arith import div_half_up, to_cents


def _half_up(n: int, d: int) -> int:
    return (2 * n + d) // (2 * d)


def _on_duckdb(pairs: list[tuple[int, int]]) -> list[int]:
    table = ibis.memtable({"n": [p[0] for p in pairs], "d": [p[1] for p in pairs]})
    table = table.mutate(n=table.n.cast("int64"), d=table.d.cast("int64"), i=ibis.row_number())
    out = table.select("i", q=div_half_up(table.n, table.d)).order_by("i")
    return list(ibis.duckdb.connect().execute(out)["q"])


EDGES = [
    (0, 1),
    (5, 10),  # exactly a half: up
    (4, 10),
    (15, 10),
    (2**61, 2**10),  # products near the data bounds, quotients near 2**51
    (2**61 + 2**9, 2**10),  # a half at that size
    (2**61 - 1, 2**10 - 1),
    (999_999_999_999_500_000, 1_000_000),  # micro-cents to cents, a half
    (4_503_599_627_370_495 * 2, 2),  # quotient 2**52 - 1
]


def test_half_up_division_is_exact_at_the_edges() -> None:
    pairs = [(n, d) for n, d in EDGES if _half_up(n, d) < 2**52]
    assert len(pairs) == len(EDGES)
    assert _on_duckdb(pairs) == [_half_up(n, d) for n, d in pairs]


@settings(max_examples=30, deadline=None)
@given(
    st.lists(
        st.tuples(st.integers(0, 2**61), st.integers(1, 2**40)).filter(
            lambda p: _half_up(*p) < 2**52
        ),
        min_size=1,
        max_size=40,
    )
)
def test_half_up_division_matches_python(pairs: list[tuple[int, int]]) -> None:
    assert _on_duckdb(pairs) == [_half_up(n, d) for n, d in pairs]


def test_micro_cents_round_half_up_to_cents() -> None:
    table = ibis.memtable({"m": [0, 499_999, 500_000, 1_500_000, 2_499_999, 10**18 + 500_000]})
    got = ibis.duckdb.connect().execute(table.select(c=to_cents(table.m.cast("int64"))))["c"]
    assert list(got) == [0, 0, 1, 2, 2, 10**12 + 1]
