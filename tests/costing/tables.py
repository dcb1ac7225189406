"""Write small data sets for tests: rows as dicts, every column not given takes a default."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from guildhall.costing.data.schema import SCHEMAS

DEFAULTS: dict[str, dict[str, Any]] = {
    "productions": {
        "title": "A title",
        "medium": "network_tv",
        "series_id": None,
        "is_new_series": False,
        "is_derivative": False,
        "production_start": dt.date(2000, 1, 1),
        "budget_cents": 100_000_000,
        "running_minutes": 44,
        "residual_base_cents": 2_000_000,
        "employer": "Studio",
    },
    "credits": {
        "category": "series_regular",
        "units": 1,
        "earnings_cents": 100_000,
        "is_covered_performer": False,
    },
    "members": {"standing": "active", "joined_year": 2000},
    "events": {
        "days_since_first_exhibition": 400,
        "distributors_gross_cents": 0,
        "units": 0,
        "views": 0,
        "subscribers": 0,
    },
}


def write_data_set(root: Path, tables: Mapping[str, Sequence[Mapping[str, Any]]]) -> Path:
    """Write ``tables`` as a data set under ``root``; credits and members may be omitted."""
    root.mkdir(parents=True, exist_ok=True)
    events = [
        {"event_id": i, **DEFAULTS["events"], **row}
        for i, row in enumerate(tables.get("events", ()))
    ]
    rows = {
        "productions": [{**DEFAULTS["productions"], **r} for r in tables.get("productions", ())],
        "credits": [{**DEFAULTS["credits"], **r} for r in tables.get("credits", ())],
        "members": [{**DEFAULTS["members"], **r} for r in tables.get("members", ())],
        "events": events,
    }
    for name, table_rows in rows.items():
        schema = SCHEMAS[name]
        columns = {f.name: [r.get(f.name) for r in table_rows] for f in schema}
        pq.write_table(pa.table(columns, schema=schema), root / f"{name}.parquet")
    return root
