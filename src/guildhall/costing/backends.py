"""The Ibis backends a costing can run on: DuckDB embedded (default) or Spark."""

from __future__ import annotations

import os

import ibis
from ibis.backends import BaseBackend

BACKENDS = ("duckdb", "pyspark")


def duckdb_settings(memory_limit: str | None = None) -> dict[str, str | int | bool]:
    """The settings every costing connection to DuckDB gets.

    A costing never depends on the order rows come out of a query (every result is
    grouped or ordered explicitly), so DuckDB need not preserve insertion order, which
    lets it stream and spill large results in parallel with less memory. One thread per
    core. ``memory_limit`` (``"1.5GiB"``) caps DuckDB's memory, above which it spills to
    disk; without it DuckDB takes its own default, 80% of the machine's memory."""
    settings: dict[str, str | int | bool] = {
        "preserve_insertion_order": False,
        "threads": os.cpu_count() or 1,
    }
    if memory_limit:
        settings["memory_limit"] = memory_limit
    return settings


def connect(name: str, *, memory_limit: str | None = None) -> BaseBackend:
    """A fresh connection; ``pyspark`` starts (or reuses) a local Spark session."""
    if name == "duckdb":
        return ibis.duckdb.connect(**duckdb_settings(memory_limit))
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
