"""The amounts and the per-performer stage give the same figures whether they take all
events and credits at once or range by range of production ids."""

from __future__ import annotations

import pytest

from guildhall.costing.backends import connect
from guildhall.costing.compare import kept_amounts, performer_totals, production_ranges
from guildhall.costing.data.schema import DataSet
from guildhall.costing.data.synth import SynthSpec, synthesize
from guildhall.costing.engine import Tables, encoded, materialize, open_tables, production_amounts
from guildhall.costing.params import Terms, terms_from_agreement
from guildhall.terms import load

AGREEMENTS = ("sag-2005", "amptp-2008-final-offer", "sag-2008-threshold-proposals")


@pytest.fixture(scope="module")
def data_set(tmp_path_factory: pytest.TempPathFactory) -> DataSet:
    root = tmp_path_factory.mktemp("passes") / "data"
    synthesize(SynthSpec(members=500, titles=150, events=8000, seed=5), root, lambda t, n: None)
    return DataSet(root)


def _agreements() -> list[Terms]:
    return [terms_from_agreement(load(a)) for a in AGREEMENTS]


def _performers(tables: Tables, agreements: list[Terms], per_pass: int) -> list[tuple[object, ...]]:
    kept = materialize(encoded(production_amounts(tables, agreements), agreements), "amounts")
    rows = performer_totals(tables, kept, agreements, per_pass).to_pyarrow().to_pylist()
    return sorted(tuple(r.values()) for r in rows)


def test_ranges_cover_every_production_once(data_set: DataSet) -> None:
    tables = open_tables(connect("duckdb"), data_set)
    credits = tables.credits.count().to_pyarrow().as_py()
    ranges = production_ranges(tables, per_pass=-(-credits // 5))
    assert ranges == [(0, 30), (30, 60), (60, 90), (90, 120), (120, 150)]
    assert production_ranges(tables, per_pass=credits) == [(0, 150)]


@pytest.mark.parametrize("passes", [2, 7])
def test_splitting_by_ranges_changes_no_cent(data_set: DataSet, passes: int) -> None:
    tables = open_tables(connect("duckdb"), data_set)
    credits = tables.credits.count().to_pyarrow().as_py()
    agreements = _agreements()
    whole = _performers(tables, agreements, per_pass=credits)
    assert len(whole) > 100 and any(row[2] for row in whole)
    split = _performers(tables, agreements, per_pass=-(-credits // passes))
    assert split == whole


@pytest.mark.spark
def test_spark_splits_by_ranges_to_the_same_cent(data_set: DataSet) -> None:
    agreements = _agreements()
    credits = open_tables(connect("duckdb"), data_set).credits.count().to_pyarrow().as_py()
    per_pass = -(-credits // 3)
    on_duckdb = _performers(open_tables(connect("duckdb"), data_set), agreements, per_pass)
    assert _performers(open_tables(connect("pyspark"), data_set), agreements, per_pass) == on_duckdb


def _amounts(tables: Tables, agreements: list[Terms], per_pass: int) -> list[tuple[object, ...]]:
    rows = kept_amounts(tables, agreements, per_pass).to_pyarrow().to_pylist()
    return sorted(tuple(r.values()) for r in rows)


def _series_split_across_ranges(tables: Tables, ranges: list[tuple[int, int]]) -> bool:
    """Whether some series has productions in two ranges (its budget is summed over all)."""
    rows = tables.productions.select("production_id", "series_id").to_pyarrow().to_pylist()
    where: dict[object, set[int]] = {}
    for row in rows:
        if row["series_id"] is not None:
            first = next(i for i, (lo, hi) in enumerate(ranges) if lo <= row["production_id"] < hi)
            where.setdefault(row["series_id"], set()).add(first)
    return any(len(found) > 1 for found in where.values())


@pytest.mark.parametrize("passes", [3, 11])
def test_figuring_amounts_by_ranges_changes_no_cent(data_set: DataSet, passes: int) -> None:
    tables = open_tables(connect("duckdb"), data_set)
    events = tables.events.count().to_pyarrow().as_py()
    agreements = _agreements()
    whole = _amounts(tables, agreements, per_pass=events)
    per_pass = -(-events // passes)
    ranges = production_ranges(tables, per_pass, tables.events)
    assert len(ranges) == passes
    assert _series_split_across_ranges(tables, ranges)
    split = _amounts(tables, agreements, per_pass=per_pass)
    assert len(whole) > 1000
    assert {row[3] for row in whole} >= {0, 1, 2} or len({row[0] for row in whole}) == 3
    assert split == whole


def test_a_range_drops_its_scratch_tables(data_set: DataSet) -> None:
    con = connect("duckdb")
    tables = open_tables(con, data_set)
    events = tables.events.count().to_pyarrow().as_py()
    kept = kept_amounts(tables, _agreements(), per_pass=-(-events // 4))
    stored = [row[0] for row in con.raw_sql("SELECT table_name FROM duckdb_tables()").fetchall()]
    assert sum(name.startswith("gh_amounts") for name in stored) == 4
    assert [name for name in stored if name.startswith("gh_residuals")] == []
    assert kept.count().to_pyarrow().as_py() > 0
