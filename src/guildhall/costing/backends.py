"""The Ibis backends a costing can run on: DuckDB embedded (default) or Spark."""

from __future__ import annotations

import ibis
from ibis.backends import BaseBackend

BACKENDS = ("duckdb", "pyspark")


def connect(name: str) -> BaseBackend:
    """A fresh connection; ``pyspark`` starts (or reuses) a local Spark session."""
    if name == "duckdb":
        return ibis.duckdb.connect()
    if name == "pyspark":
        from pyspark.sql import SparkSession

        session = (
            SparkSession.builder.master("local[2]")
            .appName("guildhall-costing")
            .config("spark.ui.enabled", "false")
            .config("spark.sql.shuffle.partitions", "8")
            .config("spark.sql.session.timeZone", "UTC")
            .getOrCreate()
        )
        return ibis.pyspark.connect(session)
    raise ValueError(f"unknown backend {name!r}; choose one of {', '.join(BACKENDS)}")
