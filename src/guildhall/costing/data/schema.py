"""The four analytical tables, as Arrow schemas, with the values each column may take.

A data set is a folder with one Parquet file (or a folder of Parquet parts) per table:
``productions``, ``credits``, ``members`` and ``events``. ``docs/data.md`` describes the
columns in words; this module is the one definition the generator, the importer and the
engine share.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pyarrow as pa

MEDIUMS = ("theatrical", "network_tv", "cable_tv", "new_media")
MARKETS = (
    "ad_supported_streaming",
    "subscription_streaming",
    "rental",
    "electronic_sell_through",
    "free_tv_rerun",
    "pay_tv",
    "syndication",
    "foreign_free_tv",
    "basic_cable",
    "supplemental_markets",
    "theatrical_on_free_tv",
)
"""Where a report line's revenue came from. New markets are appended (the generator draws
them by index). ``free_tv_rerun`` is a network prime-time rerun; made-for-new-media reuse is
not a market of its own but a ``new_media`` production in one of the four new-media
markets. ``docs/data.md`` gives each market's meaning and the columns it reads."""
TRADITIONAL_MARKETS = (
    "free_tv_rerun",
    "syndication",
    "foreign_free_tv",
    "basic_cable",
    "pay_tv",
    "supplemental_markets",
    "theatrical_on_free_tv",
)
NEW_MEDIA_MARKETS = (
    "rental",
    "electronic_sell_through",
    "ad_supported_streaming",
    "subscription_streaming",
)
RUN_MARKETS = ("free_tv_rerun", "syndication", "basic_cable")
"""Markets paid per run as a percentage of the applicable minimum: an event is one run and
its ``units`` is the run's number (1 = the first rerun in that market)."""
CATEGORIES = ("series_regular", "guest_star", "day_player", "background", "stunt")
STANDINGS = ("active", "suspended", "honorary", "withdrawn")

TABLES = ("productions", "credits", "members", "events")

PRODUCTIONS = pa.schema(
    [
        pa.field("production_id", pa.int64(), nullable=False),
        pa.field("title", pa.string(), nullable=False),
        pa.field("medium", pa.string(), nullable=False),
        pa.field("series_id", pa.int64()),
        pa.field("is_new_series", pa.bool_(), nullable=False),
        pa.field("is_derivative", pa.bool_(), nullable=False),
        pa.field("production_start", pa.date32(), nullable=False),
        pa.field("budget_cents", pa.int64(), nullable=False),
        pa.field("running_minutes", pa.int32(), nullable=False),
        pa.field("residual_base_cents", pa.int64(), nullable=False),
        pa.field("employer", pa.string(), nullable=False),
    ]
)

CREDITS = pa.schema(
    [
        pa.field("production_id", pa.int64(), nullable=False),
        pa.field("performer_id", pa.int64(), nullable=False),
        pa.field("category", pa.string(), nullable=False),
        pa.field("units", pa.int32(), nullable=False),
        pa.field("earnings_cents", pa.int64(), nullable=False),
        pa.field("is_covered_performer", pa.bool_(), nullable=False),
    ]
)

MEMBERS = pa.schema(
    [
        pa.field("performer_id", pa.int64(), nullable=False),
        pa.field("standing", pa.string(), nullable=False),
        pa.field("joined_year", pa.int16(), nullable=False),
    ]
)

EVENTS = pa.schema(
    [
        pa.field("event_id", pa.int64(), nullable=False),
        pa.field("production_id", pa.int64(), nullable=False),
        pa.field("market", pa.string(), nullable=False),
        pa.field("period_start", pa.date32(), nullable=False),
        pa.field("days_since_first_exhibition", pa.int32(), nullable=False),
        pa.field("distributors_gross_cents", pa.int64(), nullable=False),
        pa.field("units", pa.int64(), nullable=False),
        pa.field("views", pa.int64(), nullable=False),
        pa.field("subscribers", pa.int64(), nullable=False),
    ]
)

SCHEMAS: dict[str, pa.Schema] = {
    "productions": PRODUCTIONS,
    "credits": CREDITS,
    "members": MEMBERS,
    "events": EVENTS,
}

ALLOWED: dict[tuple[str, str], tuple[str, ...]] = {
    ("productions", "medium"): MEDIUMS,
    ("events", "market"): MARKETS,
    ("credits", "category"): CATEGORIES,
    ("members", "standing"): STANDINGS,
}
"""Columns whose values come from a fixed list."""

LIMITS: dict[tuple[str, str], tuple[int, int]] = {
    ("productions", "budget_cents"): (0, 10**13),
    ("productions", "running_minutes"): (1, 10_000),
    ("productions", "residual_base_cents"): (0, 10**11),
    ("credits", "units"): (1, 10**6),
    ("credits", "earnings_cents"): (0, 10**12),
    ("events", "days_since_first_exhibition"): (0, 100_000),
    ("events", "distributors_gross_cents"): (0, 10**11),
    ("events", "units"): (0, 10**7),
    ("events", "views"): (0, 10**10),
    ("events", "subscribers"): (0, 10**10),
}
"""Inclusive bounds for integer columns; they keep every integer product the engine
forms below 2**62, so arithmetic in cents stays exact on every backend."""


@dataclass(frozen=True)
class DataSet:
    """Where a data set's four tables are on disk."""

    root: Path

    def path(self, table: str) -> Path:
        folder = self.root / table
        return folder if folder.is_dir() else self.root / f"{table}.parquet"

    def glob(self, table: str) -> str:
        path = self.path(table)
        return str(path / "*.parquet") if path.is_dir() else str(path)

    def missing(self) -> list[str]:
        return [t for t in TABLES if not self.path(t).exists()]
