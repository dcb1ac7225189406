"""The Ibis backends a costing can run on: DuckDB embedded (default) or Spark."""

from __future__ import annotations

import os

import ibis
from ibis.backends import BaseBackend

BACKENDS = ("duckdb", "pyspark")

MEMORY_LIMIT_VARIABLE = "GUILDHALL_DUCKDB_MEMORY_LIMIT"
"""Environment variable: DuckDB's memory limit for a costing (``"1.5GiB"``; DuckDB's own
default, 80% of the machine's memory, when unset). Above it DuckDB spills to disk."""


def duckdb_settings() -> dict[str, str | int | bool]:
    """The settings every costing connection to DuckDB gets.

    A costing never depends on the order rows come out of a query (every result is
    grouped or ordered explicitly), so DuckDB need not preserve insertion order, which
    lets it stream and spill large results in parallel with less memory. One thread per
    core."""
    settings: dict[str, str | int | bool] = {
        "preserve_insertion_order": False,
        "threads": os.cpu_count() or 1,
    }
    limit = os.environ.get(MEMORY_LIMIT_VARIABLE)
    if limit:
        settings["memory_limit"] = limit
    return settings


def connect(name: str) -> BaseBackend:
    """A fresh connection; ``pyspark`` starts (or reuses) a local Spark session."""
    if name == "duckdb":
        return ibis.duckdb.connect(**duckdb_settings())
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
