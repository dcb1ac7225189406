"""The same expressions on Spark give the same cents as on DuckDB."""

from __future__ import annotations

from pathlib import Path

import pytest

from guildhall.costing.backends import connect
from guildhall.costing.data.schema import DataSet
from guildhall.costing.data.synth import SynthSpec, synthesize
from guildhall.costing.engine import open_tables, production_amounts
from guildhall.costing.params import terms_from_agreement
from guildhall.terms import load


@pytest.mark.spark
def test_duckdb_and_spark_agree_to_the_cent(tmp_path: Path) -> None:
    root = tmp_path / "data"
    synthesize(SynthSpec(members=300, titles=80, events=5000, seed=11), root, lambda t, n: None)
    agreements = [terms_from_agreement(load(a)) for a in ("wga-2008", "dga-2008")]

    def amounts(backend: str) -> list[tuple[object, ...]]:
        tables = open_tables(connect(backend), DataSet(root))
        rows = production_amounts(tables, agreements).to_pyarrow().to_pylist()
        return sorted(tuple(r.values()) for r in rows)

    on_duckdb = amounts("duckdb")
    assert on_duckdb
    assert amounts("pyspark") == on_duckdb
