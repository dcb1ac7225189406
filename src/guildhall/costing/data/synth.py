"""A deterministic generator of productions, credits, members and revenue events.

Every table is drawn from NumPy generators seeded by ``(seed, table, chunk)``, so the same
arguments give byte-identical Parquet files and chunks can be made one at a time: events
are written in parts of ``CHUNK_ROWS`` rows and never held in memory together. The
calibration to public figures is in ``CALIBRATION`` and written out in ``docs/data.md``.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq

from guildhall.costing.data.schema import (
    CATEGORIES,
    CREDITS,
    EVENTS,
    MARKETS,
    MEDIUMS,
    MEMBERS,
    PRODUCTIONS,
    STANDINGS,
)

CHUNK_ROWS = 2_000_000
Progress = Callable[[str, int], None]

CALIBRATION: dict[str, Any] = {
    "members_per_guild": 120_000,
    "residual_dollars_per_year": 800_000_000,
    "average_residual_share_of_gross": 0.05,
    "working_share_of_members": 0.5,
    "credits_per_title": 60,
    "contract_quarters": 12,
    "first_quarter": date(2008, 7, 1),
    "new_media_series_share": 0.5,
    "new_media_professional_cast_share": 0.3,
}
"""The figures the generator is tuned to; ``docs/data.md`` gives the source of each."""

_EPOCH = date(1970, 1, 1)
_MEDIUM_P = np.array([0.20, 0.35, 0.25, 0.20])
_MARKETS_BY_MEDIUM = {
    0: ([0, 1, 2, 3, 4, 5], [0.10, 0.20, 0.25, 0.20, 0.10, 0.15]),
    1: ([0, 1, 2, 3, 4, 5], [0.30, 0.20, 0.10, 0.15, 0.20, 0.05]),
    2: ([0, 1, 2, 3, 4, 5], [0.25, 0.25, 0.10, 0.15, 0.15, 0.10]),
    3: ([0, 1, 2, 3], [0.50, 0.35, 0.05, 0.10]),
}
_UNIT_PRICE_CENTS = {2: 399, 3: 1499}
_EPISODES_PER_SERIES = {1: 12, 2: 12, 3: 6}
_NEW_MEDIA = 3


@dataclass(frozen=True)
class SynthSpec:
    """What to generate: table sizes and the seed."""

    members: int
    titles: int
    events: int
    seed: int


def _rng(seed: int, table: int, chunk: int) -> np.random.Generator:
    return np.random.Generator(np.random.PCG64(np.random.SeedSequence([seed, table, chunk])))


def _days(d: date) -> int:
    return (d - _EPOCH).days


def _productions(spec: SynthSpec) -> pa.Table:
    rng = _rng(spec.seed, 1, 0)
    n = spec.titles
    ids = np.arange(n, dtype=np.int64)
    medium = rng.choice(4, size=n, p=_MEDIUM_P)
    is_series = (medium == 1) | (medium == 2)
    is_series |= (medium == _NEW_MEDIA) & (
        rng.random(n) < float(CALIBRATION["new_media_series_share"])
    )
    series_id = _series_ids(medium, is_series)
    start_year = 1950 + 61.5 * np.sqrt(rng.random(n))
    start = np.array(_days(date(1950, 1, 1)) + (start_year - 1950) * 365.25, dtype=np.int32)
    minutes = np.select(
        [medium == 0, medium == 3],
        [rng.integers(85, 140, n), rng.integers(2, 16, n)],
        rng.choice([22, 44], size=n),
    ).astype(np.int32)
    per_minute = np.exp(rng.normal(np.log(np.select([medium == 3], [12_000.0], 60_000.0)), 0.9))
    budget = (per_minute * minutes * 100).astype(np.int64)
    base = (np.exp(rng.normal(np.log(21_667.0), 0.5, n)) * 100).astype(np.int64)
    return pa.table(
        {
            "production_id": ids,
            "title": pa.array([f"Title {i:07d}" for i in ids]),
            "medium": pa.DictionaryArray.from_arrays(
                medium.astype(np.int32), list(MEDIUMS)
            ).dictionary_decode(),
            "series_id": pa.array(series_id, mask=~is_series),
            "is_new_series": rng.random(n) < 0.3,
            "is_derivative": (medium == 3) & (rng.random(n) < 0.4),
            "production_start": pa.array(start, pa.int32()).cast(pa.date32()),
            "budget_cents": budget,
            "running_minutes": minutes,
            "residual_base_cents": base,
            "employer": pa.array([f"Employer {i % 40:02d}" for i in ids]),
        },
        schema=PRODUCTIONS,
    )


def _series_ids(medium: np.ndarray, is_series: np.ndarray) -> np.ndarray:
    """Consecutive productions of one medium form a series of that medium's episode count."""
    series_id = np.full(len(medium), -1, dtype=np.int64)
    for m, episodes in _EPISODES_PER_SERIES.items():
        where = np.flatnonzero(is_series & (medium == m))
        series_id[where] = m * len(medium) + np.arange(len(where)) // episodes
    return series_id


def _members(spec: SynthSpec) -> pa.Table:
    rng = _rng(spec.seed, 2, 0)
    n = spec.members
    standing = rng.choice(len(STANDINGS), size=n, p=[0.86, 0.08, 0.01, 0.05])
    return pa.table(
        {
            "performer_id": np.arange(n, dtype=np.int64),
            "standing": pa.array(np.array(STANDINGS)[standing]),
            "joined_year": rng.integers(1950, 2009, n).astype(np.int16),
        },
        schema=MEMBERS,
    )


def _credit_chunks(spec: SynthSpec, medium: np.ndarray) -> Iterator[pa.Table]:
    per_chunk = max(1, CHUNK_ROWS // int(CALIBRATION["credits_per_title"]))
    working = max(1, int(spec.members * float(CALIBRATION["working_share_of_members"])))
    for chunk, first in enumerate(range(0, spec.titles, per_chunk)):
        rng = _rng(spec.seed, 3, chunk)
        titles = np.arange(first, min(spec.titles, first + per_chunk), dtype=np.int64)
        counts = np.maximum(1, rng.poisson(CALIBRATION["credits_per_title"], len(titles)))
        production = np.repeat(titles, counts)
        professional = (medium[titles] != _NEW_MEDIA) | (
            rng.random(len(titles)) < float(CALIBRATION["new_media_professional_cast_share"])
        )
        n = len(production)
        performer = (working * rng.random(n) ** 2).astype(np.int64)
        category = rng.choice(len(CATEGORIES), size=n, p=[0.10, 0.15, 0.40, 0.30, 0.05])
        units = np.array([10, 4, 1, 1, 2], dtype=np.int32)[category]
        earnings = units.astype(np.int64) * 78_200
        yield pa.table(
            {
                "production_id": production,
                "performer_id": performer,
                "category": pa.array(np.array(CATEGORIES)[category]),
                "units": units,
                "earnings_cents": earnings,
                "is_covered_performer": np.repeat(professional, counts)
                & (category != 3)
                & (rng.random(n) < 0.6),
            },
            schema=CREDITS,
        )


def _gross_mu(spec: SynthSpec, sigma: float) -> float:
    years = int(CALIBRATION["contract_quarters"]) / 4
    scale = spec.members / int(CALIBRATION["members_per_guild"])
    gross_dollars = (
        float(CALIBRATION["residual_dollars_per_year"])
        / float(CALIBRATION["average_residual_share_of_gross"])
        * years
        * scale
    )
    mean_cents = gross_dollars * 100 / max(1, spec.events)
    return float(np.log(mean_cents) - sigma**2 / 2)


def _quarter_starts() -> np.ndarray:
    """The first day of each quarter of the contract term, as days since 1970-01-01."""
    first: date = CALIBRATION["first_quarter"]
    months = [first.month - 1 + 3 * q for q in range(int(CALIBRATION["contract_quarters"]))]
    return np.array([_days(date(first.year + m // 12, m % 12 + 1, 1)) for m in months], np.int32)


def _event_chunk(spec: SynthSpec, medium: np.ndarray, chunk: int, first: int, n: int) -> pa.Table:
    rng = _rng(spec.seed, 4, chunk)
    production = (spec.titles * rng.random(n) ** 3).astype(np.int64)
    their_medium = medium[production]
    market = np.zeros(n, dtype=np.int64)
    for m, (choices, p) in _MARKETS_BY_MEDIUM.items():
        where = their_medium == m
        market[where] = rng.choice(choices, size=int(where.sum()), p=p)
    quarter = rng.integers(0, int(CALIBRATION["contract_quarters"]), n)
    period = _quarter_starts()[quarter]
    sigma = 1.6
    gross = np.exp(rng.normal(_gross_mu(spec, sigma), sigma, n)).astype(np.int64)
    gross = np.minimum(gross, 10**11)
    price = np.select([market == 2, market == 3], [399, 1499], 0)
    units = np.where(price > 0, gross // np.maximum(price, 1), 0).astype(np.int64)
    is_sub = market == 1
    subscribers = np.where(is_sub, 50_000_000, 0).astype(np.int64)
    views = np.where(is_sub, (rng.lognormal(np.log(2_000_000), 1.5, n)).astype(np.int64), 0)
    return pa.table(
        {
            "event_id": np.arange(first, first + n, dtype=np.int64),
            "production_id": production,
            "market": pa.array(np.array(MARKETS)[market]),
            "period_start": pa.array(period, pa.int32()).cast(pa.date32()),
            "days_since_first_exhibition": rng.exponential(240, n).astype(np.int32),
            "distributors_gross_cents": gross,
            "units": units,
            "views": np.minimum(views, 10**10),
            "subscribers": subscribers,
        },
        schema=EVENTS,
    )


def _write_parts(folder: Path, chunks: Iterator[pa.Table], progress: Progress, name: str) -> None:
    folder.mkdir(parents=True)
    for i, table in enumerate(chunks):
        pq.write_table(table, folder / f"part-{i:05d}.parquet", compression="zstd")
        progress(name, table.num_rows)


def synthesize(spec: SynthSpec, out: Path, progress: Progress) -> None:
    """Write a data set to ``out`` (replacing it), calling ``progress(table, rows)`` per chunk."""
    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)
    productions = _productions(spec)
    pq.write_table(productions, out / "productions.parquet")
    progress("productions", productions.num_rows)
    members = _members(spec)
    pq.write_table(members, out / "members.parquet")
    progress("members", members.num_rows)
    medium = np.array([MEDIUMS.index(m) for m in productions["medium"].to_pylist()])
    _write_parts(out / "credits", _credit_chunks(spec, medium), progress, "credits")
    _write_parts(out / "events", _event_chunks(spec, medium), progress, "events")


def _event_chunks(spec: SynthSpec, medium: np.ndarray) -> Iterator[pa.Table]:
    for chunk, first in enumerate(range(0, spec.events, CHUNK_ROWS)):
        yield _event_chunk(spec, medium, chunk, first, min(CHUNK_ROWS, spec.events - first))
