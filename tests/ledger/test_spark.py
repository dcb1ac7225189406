"""Reconciliation on Spark gives the same findings, to the cent, as on DuckDB."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from guildhall.costing.backends import connect
from guildhall.ledger.reconcile import collect, reconcile
from guildhall.services.ledger_reconcile import OBLIGATIONS, REMITTANCES

DUE = date(2008, 10, 28)


def _owed(production: int, performer: int | None, cents: int) -> dict[str, object]:
    return {"employer": "Studio A", "agreement": "wga-2008", "production_id": production,
            "performer_id": performer, "period_start": date(2008, 4, 1), "kind": "rental",
            "amount_cents": cents, "due_on": DUE, "rate_ppm": 15_000, "grace_days": 7}  # fmt: skip


def _paid(
    production: int, performer: int | None, cents: int, on: date, ref: str
) -> dict[str, object]:
    return {"employer": "Studio A", "production_id": production, "performer_id": performer,
            "period_start": date(2008, 4, 1), "kind": "rental", "amount_cents": cents,
            "paid_on": on, "reference": ref}  # fmt: skip


@pytest.mark.spark
def test_duckdb_and_spark_find_the_same(tmp_path: Path) -> None:
    owed = [_owed(1, 10, 60_000), _owed(1, 11, 40_000), _owed(2, None, 10_000), _owed(3, 12, 5)]
    paid = [
        _paid(1, None, 30_000, date(2008, 10, 20), "A"),
        _paid(1, None, 50_000, date(2008, 11, 14), "B"),
        _paid(2, 99, 13_000, date(2008, 10, 1), "C"),
        _paid(1, 99, 100, date(2008, 10, 1), "D"),
        _paid(4, None, 200, date(2008, 10, 1), "E"),
    ]
    pq.write_table(pa.Table.from_pylist(owed, schema=OBLIGATIONS), tmp_path / "o.parquet")
    pq.write_table(pa.Table.from_pylist(paid, schema=REMITTANCES), tmp_path / "r.parquet")

    def found(backend: str) -> dict[str, list[dict[str, object]]]:
        con = connect(backend)
        o = con.read_parquet(str(tmp_path / "o.parquet"))
        r = con.read_parquet(str(tmp_path / "r.parquet"))
        return collect(reconcile(o, r, date(2008, 12, 1)))

    on_duckdb = found("duckdb")
    assert [len(on_duckdb[k]) for k in ("shortfalls", "late", "overpayments", "unmatched")] == [
        2, 1, 1, 2
    ]  # fmt: skip
    assert found("pyspark") == on_duckdb
