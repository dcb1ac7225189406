"""The per-performer stage gives the same totals whether it splits all credits at once or
range by range of production ids."""

from __future__ import annotations

import pytest

from guildhall.costing.backends import connect
from guildhall.costing.compare import performer_totals, production_ranges
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
