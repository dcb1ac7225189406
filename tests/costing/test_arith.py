"""Exact integer arithmetic on the backend: half-up division against Python's integers."""

from __future__ import annotations

import ibis
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from ibis.backends.sql.compilers.duckdb import DuckDBCompiler

from guildhall.costing import arith
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


def _compiled(dialect: str = "duckdb") -> str:
    table = ibis.table({"n": "int64", "d": "int64"}, name="t")
    return str(ibis.to_sql(table.select(q=div_half_up(table.n, table.d)), dialect=dialect))


def test_duckdb_divides_in_integers_past_the_floating_point_range() -> None:
    """Quotients at and above 2**53, where a double no longer holds every integer: the
    integer division is exact where the floating-point form could not be."""
    pairs = [(2**61 + 1, 3), (2**60 - 1, 1), (2**56 + 1, 2), (2**54 + 3, 1)]
    assert all(_half_up(n, d) >= 2**53 for n, d in pairs)
    assert _on_duckdb(pairs) == [_half_up(n, d) for n, d in pairs]
    sql = _compiled()
    assert "//" in sql and "ROUND" not in sql.upper()


def test_spark_sql_divides_in_integers() -> None:
    sql = _compiled("pyspark")
    assert " DIV " in sql and "ROUND" not in sql.upper()


@pytest.fixture
def floating_point_form(monkeypatch: pytest.MonkeyPatch) -> None:
    """DuckDB made to compile the form a backend without integer division gets."""
    monkeypatch.setattr(
        DuckDBCompiler, "visit_HalfUpQuotient", arith._through_floating_point, raising=False
    )


@pytest.mark.usefixtures("floating_point_form")
def test_the_floating_point_form_is_exact_below_2_to_the_52() -> None:
    sql = _compiled()
    assert "ROUND" in sql.upper() and "//" not in sql
    pairs = [(n, d) for n, d in EDGES if _half_up(n, d) < 2**52]
    assert _on_duckdb(pairs) == [_half_up(n, d) for n, d in pairs]
