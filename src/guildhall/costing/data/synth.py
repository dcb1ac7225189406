"""A deterministic generator of productions, credits, members and revenue events.

Every table is drawn from NumPy generators seeded by ``(seed, table, chunk)``, so the same
arguments give byte-identical Parquet files and chunks can be made one at a time: events
are written in parts of ``CHUNK_ROWS`` rows and never held in memory together.

The data is consistent with itself: each production has a first exhibition after its
start, and each revenue line falls on a day of its quarter after that first exhibition,
inside the window of its market (network reruns in the first seasons, syndication after
the network run, theatrical films on free TV after their pay-TV window), so
``days_since_first_exhibition`` is that day's distance from the first exhibition.
Made-for-new-media productions start no earlier than ``NEW_MEDIA_MARKET_START``.

The sizes of things follow ``CALIBRATION``, scaled by ``members / 120,000``: the year's
residuals by market (``MARKETS_CALIBRATED``), session earnings on the year's productions,
and how many members work. ``docs/data.md`` gives each figure's source and
``tests/costing/test_calibration.py`` checks what the baseline agreement makes of them.
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
    "residual_dollars_per_year": 635_000_000,
    "session_dollars_per_year": {"television": 248_000_000, "theatrical": 310_000_000},
    "working_share_of_members": 0.5,
    "activity_sigma": 1.6,
    "credits_per_title": 60,
    "contract_quarters": 12,
    "first_quarter": date(2008, 7, 1),
    "new_media_series_share": 0.5,
    "new_media_professional_cast_share": 0.3,
    "popularity_sigma": 1.5,
    "gross_sigma": 1.0,
}
"""The figures the generator is tuned to; ``docs/data.md`` gives the source of each."""

NEW_MEDIA_MARKET_START = date(2006, 1, 1)
"""No made-for-new-media production starts before this day."""

_EPOCH = date(1970, 1, 1)
_FIRST_START = date(1950, 1, 1)
_LAST_START = date(2011, 3, 31)
_MEDIUM_P = np.array([0.20, 0.40, 0.28, 0.12])
_TV = (1, 2)
_NEW_MEDIA = 3
_EPISODES_PER_SERIES = {1: 12, 2: 12, 3: 6}
_UNIT_PRICE_CENTS = {"rental": 399, "electronic_sell_through": 1499}
_EXHIBITION_LAG_DAYS = {0: (180, 540), 1: (60, 240), 2: (60, 240), 3: (7, 90)}
"""Days from a production's start to its first exhibition, by medium (uniform)."""
_YEAR = 365


@dataclass(frozen=True)
class Market:
    """How a market's lines are drawn.

    ``share``: the market's part of a year's residuals under the baseline terms;
    ``yield_``: what the baseline pays per cent of gross (a gross market) or per run
    (a run market: dollars per run of an average cast, so lines are that many runs);
    ``mediums``: who is sold there; ``age``: the window, in days since first exhibition,
    in which a line can fall (``None``: no end); ``spacing``: days between runs, for the
    run number in ``units``; ``lines``: weight among the gross markets' lines; ``paid``:
    whether the baseline pays on the market at all. The 2005 terms pay nothing on rental
    or streaming; those markets' shares size their gross beside sell-through's at its
    rate (2010's digital spending: video on demand $1.8B to downloads' $683M);
    ``film_share``: the share of the market's lines on theatrical films (WGA West's 2010
    pay-TV and home-video residuals were films')."""

    share: float
    yield_: float
    mediums: tuple[int, ...]
    age: tuple[int, int | None]
    spacing: int = 0
    lines: float = 1.0
    paid: bool = True
    film_share: float | None = None


MARKETS_CALIBRATED: dict[str, Market] = {
    "free_tv_rerun": Market(0.178, 36_000.0, (1,), (120, 3 * _YEAR), spacing=180),
    "syndication": Market(0.177, 3_900.0, (1,), (4 * _YEAR, None), spacing=120),
    "basic_cable": Market(0.069, 1_180.0, _TV, (14, None), spacing=60),
    "foreign_free_tv": Market(0.098, 0.036, _TV, (180, None), lines=2.0),
    "pay_tv": Market(0.180, 0.036, (0, 1, 2), (240, None), lines=2.0, film_share=0.85),
    "supplemental_markets": Market(
        0.133, 0.0095, (0, 1, 2), (90, None), lines=3.0, film_share=0.75
    ),
    "theatrical_on_free_tv": Market(0.151, 0.036, (0,), (2 * _YEAR, None), lines=1.5),
    "electronic_sell_through": Market(0.014, 0.0108, (0, 1, 2, 3), (0, None), lines=3.0),
    "rental": Market(0.014 * 2.64, 0.0108, (0, 1, 2, 3), (0, None), lines=3.0, paid=False),
    "ad_supported_streaming": Market(
        0.014 * 0.3, 0.0108, (0, 1, 2, 3), (0, None), lines=3.0, paid=False
    ),
    "subscription_streaming": Market(
        0.014 * 0.5, 0.0108, (0, 1, 2, 3), (0, None), lines=1.5, paid=False
    ),
}
"""Every market's calibration. Shares: WGA West's 2010 residuals by market (pay TV, home
video, foreign, basic cable, new media), the rest split between network and syndicated
reruns and theatrical films on free TV; yields: the baseline's rates (``docs/data.md``)."""


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


def _strings(codes: np.ndarray, values: tuple[str, ...]) -> pa.Array:
    return pa.DictionaryArray.from_arrays(
        pa.array(codes.astype(np.int32)), pa.array(list(values))
    ).dictionary_decode()


def _scale(spec: SynthSpec) -> float:
    return spec.members / int(CALIBRATION["members_per_guild"])


def _years() -> float:
    return int(CALIBRATION["contract_quarters"]) / 4


def _term() -> tuple[int, int]:
    """First and last day of the contract term, as days since 1970-01-01."""
    starts = _quarter_starts()
    last = _quarter_end(int(starts[-1]))
    return int(starts[0]), last


def _quarter_end(start: int) -> int:
    d = date.fromordinal(_EPOCH.toordinal() + start)
    month = d.month + 3
    following = date(d.year + (month - 1) // 12, (month - 1) % 12 + 1, 1)
    return _days(following) - 1


@dataclass(frozen=True)
class Titles:
    """What the events and credits are drawn from: each production's medium, start,
    first exhibition (days since 1970-01-01) and popularity."""

    medium: np.ndarray
    start: np.ndarray
    first_exhibition: np.ndarray
    popularity: np.ndarray


def _titles(spec: SynthSpec) -> Titles:
    rng = _rng(spec.seed, 1, 0)
    n = spec.titles
    medium = rng.choice(4, size=n, p=_MEDIUM_P)
    lo = np.array([_EXHIBITION_LAG_DAYS[m][0] for m in range(4)])[medium]
    hi = np.array([_EXHIBITION_LAG_DAYS[m][1] for m in range(4)])[medium]
    lag = lo + (rng.random(n) * (hi - lo + 1)).astype(np.int64)
    first = np.where(medium == _NEW_MEDIA, _days(NEW_MEDIA_MARKET_START), _days(_FIRST_START))
    last = np.minimum(_days(_LAST_START), _term()[1] - lag)
    # Weighted to recent years: the density of starts grows linearly with the year.
    start = first + ((last - first) * np.sqrt(rng.random(n))).astype(np.int64)
    popularity = np.exp(rng.normal(0.0, float(CALIBRATION["popularity_sigma"]), n))
    return Titles(medium, start, start + lag, popularity)


def _productions(spec: SynthSpec, titles: Titles) -> pa.Table:
    rng = _rng(spec.seed, 5, 0)
    n = spec.titles
    medium = titles.medium
    ids = np.arange(n, dtype=np.int64)
    is_series = np.isin(medium, _TV)
    is_series |= (medium == _NEW_MEDIA) & (
        rng.random(n) < float(CALIBRATION["new_media_series_share"])
    )
    series_id = _series_ids(medium, is_series)
    minutes = np.select(
        [medium == 0, medium == _NEW_MEDIA],
        [rng.integers(85, 140, n), rng.integers(2, 16, n)],
        rng.choice([22, 44], size=n),
    ).astype(np.int32)
    per_minute = np.exp(
        rng.normal(np.log(np.select([medium == _NEW_MEDIA], [12_000.0], 60_000.0)), 0.9)
    )
    budget = np.minimum((per_minute * minutes * 100).astype(np.int64), 10**13)
    base = (np.exp(rng.normal(np.log(21_667.0), 0.5, n)) * 100).astype(np.int64)
    return pa.table(
        {
            "production_id": ids,
            "title": pa.array([f"Title {i:07d}" for i in ids]),
            "medium": _strings(medium, MEDIUMS),
            "series_id": pa.array(series_id, mask=~is_series),
            "is_new_series": rng.random(n) < 0.3,
            "is_derivative": (medium == _NEW_MEDIA) & (rng.random(n) < 0.4),
            "production_start": pa.array(titles.start.astype(np.int32), pa.int32()).cast(
                pa.date32()
            ),
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
            "standing": _strings(standing, STANDINGS),
            "joined_year": rng.integers(1950, 2009, n).astype(np.int16),
        },
        schema=MEMBERS,
    )


def _activity(spec: SynthSpec) -> np.ndarray:
    """Cumulative weights by which credits draw performers: a working share of members,
    each with a lognormal activity, the most active first (lowest ids); the rest never
    work under the contract."""
    rng = _rng(spec.seed, 6, 0)
    working = max(1, round(spec.members * float(CALIBRATION["working_share_of_members"])))
    drawn = np.exp(rng.normal(0.0, float(CALIBRATION["activity_sigma"]), working))
    weight = np.zeros(spec.members)
    weight[:working] = np.sort(drawn)[::-1]
    cumulative: np.ndarray = np.cumsum(weight) / weight.sum()
    return cumulative


_CATEGORY_P = [0.10, 0.15, 0.40, 0.30, 0.05]
_CATEGORY_UNITS = np.array([10, 4, 1, 1, 2], dtype=np.int32)


def _unit_pay_cents(spec: SynthSpec, titles: Titles) -> np.ndarray:
    """Session pay per allocation unit, by medium: the year's session earnings (scaled)
    over the units the productions started in the term are expected to hold."""
    term_first, term_last = _term()
    in_term = (titles.start >= term_first) & (titles.start <= term_last)
    units_per_credit = float(np.dot(_CATEGORY_P, _CATEGORY_UNITS))
    per_title = float(CALIBRATION["credits_per_title"]) * units_per_credit
    session = CALIBRATION["session_dollars_per_year"]
    out = np.zeros(4)
    for kind, mediums in (("theatrical", (0,)), ("television", (1, 2, 3))):
        titles_in_term = max(1, int((in_term & np.isin(titles.medium, mediums)).sum()))
        dollars = float(session[kind]) * _years() * _scale(spec)
        out[list(mediums)] = dollars * 100 / (titles_in_term * per_title)
    return out


def _credit_chunks(spec: SynthSpec, titles: Titles) -> Iterator[pa.Table]:
    per_chunk = max(1, CHUNK_ROWS // int(CALIBRATION["credits_per_title"]))
    activity = _activity(spec)
    unit_pay = _unit_pay_cents(spec, titles)
    medium = titles.medium
    for chunk, first in enumerate(range(0, spec.titles, per_chunk)):
        rng = _rng(spec.seed, 3, chunk)
        ids = np.arange(first, min(spec.titles, first + per_chunk), dtype=np.int64)
        counts = np.maximum(1, rng.poisson(CALIBRATION["credits_per_title"], len(ids)))
        production = np.repeat(ids, counts)
        professional = (medium[ids] != _NEW_MEDIA) | (
            rng.random(len(ids)) < float(CALIBRATION["new_media_professional_cast_share"])
        )
        n = len(production)
        performer = np.searchsorted(activity, rng.random(n), side="right").astype(np.int64)
        performer = np.minimum(performer, spec.members - 1)
        category = rng.choice(len(CATEGORIES), size=n, p=_CATEGORY_P)
        units = _CATEGORY_UNITS[category]
        pay = unit_pay[medium[production]] * units * np.exp(rng.normal(0.0, 0.3, n))
        yield pa.table(
            {
                "production_id": production,
                "performer_id": performer,
                "category": _strings(category, CATEGORIES),
                "units": units,
                "earnings_cents": np.minimum(pay.astype(np.int64), 10**12),
                "is_covered_performer": np.repeat(professional, counts)
                & (category != 3)
                & (rng.random(n) < 0.6),
            },
            schema=CREDITS,
        )


def _quarter_starts() -> np.ndarray:
    """The first day of each quarter of the contract term, as days since 1970-01-01."""
    first: date = CALIBRATION["first_quarter"]
    months = [first.month - 1 + 3 * q for q in range(int(CALIBRATION["contract_quarters"]))]
    return np.array([_days(date(first.year + m // 12, m % 12 + 1, 1)) for m in months], np.int64)


@dataclass(frozen=True)
class Plan:
    """Per market: how many lines, the cumulative weights of the productions that can have
    a line there, the window of days each can have one in, and the gross per line."""

    lines: np.ndarray
    cumulative: list[np.ndarray]
    eligible: list[np.ndarray]
    window: list[tuple[np.ndarray, np.ndarray]]
    gross_mean_cents: np.ndarray


def _plan(spec: SynthSpec, titles: Titles) -> Plan:
    term_first, term_last = _term()
    residual = float(CALIBRATION["residual_dollars_per_year"]) * _years() * _scale(spec)
    runs = np.zeros(len(MARKETS))
    weights = np.zeros(len(MARKETS))
    cumulative, eligible, window = [], [], []
    gross = np.zeros(len(MARKETS))
    for m, name in enumerate(MARKETS):
        market = MARKETS_CALIBRATED[name]
        amin, amax = market.age
        lo = np.maximum(term_first, titles.first_exhibition + amin)
        end = titles.first_exhibition + (term_last if amax is None else amax)
        hi = np.minimum(term_last, end) if amax is not None else np.full_like(lo, term_last)
        can = np.isin(titles.medium, market.mediums) & (lo <= hi)
        where = np.flatnonzero(can)
        w = titles.popularity[where] * (hi[where] - lo[where] + 1)
        if market.film_share is not None:
            film = titles.medium[where] == 0
            for part, share in ((film, market.film_share), (~film, 1 - market.film_share)):
                if w[part].sum() > 0:
                    w[part] *= share / w[part].sum()
        eligible.append(where)
        cumulative.append(np.cumsum(w) / w.sum() if len(where) else w)
        window.append((lo[where], hi[where]))
        if not len(where):
            continue
        dollars = market.share * residual
        if market.spacing:
            runs[m] = dollars / market.yield_
        else:
            weights[m] = market.lines
            gross[m] = dollars * 100 / market.yield_
    # A run line is one run: as many as the residuals call for, at most half the lines.
    run_lines = np.floor(runs * min(1.0, spec.events / 2 / max(runs.sum(), 1.0)))
    rest = max(0, spec.events - int(run_lines.sum()))
    lines = run_lines + rest * weights / max(weights.sum(), 1e-12)
    counts = np.floor(lines).astype(np.int64)
    counts[int(np.argmax(weights))] += spec.events - int(counts.sum())
    mean = np.where(counts > 0, gross / np.maximum(counts, 1), 0.0)
    return Plan(counts, cumulative, eligible, window, mean)


def _event_chunk(
    spec: SynthSpec, titles: Titles, plan: Plan, chunk: int, first: int, n: int
) -> pa.Table:
    rng = _rng(spec.seed, 4, chunk)
    share = plan.lines / max(1, plan.lines.sum())
    market = np.searchsorted(np.cumsum(share), rng.random(n), side="right")
    market = np.minimum(market, len(MARKETS) - 1)
    production = np.zeros(n, dtype=np.int64)
    lo = np.zeros(n, dtype=np.int64)
    hi = np.zeros(n, dtype=np.int64)
    for m in range(len(MARKETS)):
        where = np.flatnonzero(market == m)
        if not len(where):
            continue
        pick = np.searchsorted(plan.cumulative[m], rng.random(len(where)), side="right")
        pick = np.minimum(pick, len(plan.eligible[m]) - 1)
        production[where] = plan.eligible[m][pick]
        lo[where] = plan.window[m][0][pick]
        hi[where] = plan.window[m][1][pick]
    day = lo + (rng.random(n) * (hi - lo + 1)).astype(np.int64)
    starts = _quarter_starts()
    period = starts[np.searchsorted(starts, day, side="right") - 1]
    since = day - titles.first_exhibition[production]
    sigma = float(CALIBRATION["gross_sigma"])
    gross = plan.gross_mean_cents[market] * np.exp(rng.normal(-(sigma**2) / 2, sigma, n))
    gross = np.minimum(gross.astype(np.int64), 10**11)
    units = np.zeros(n, dtype=np.int64)
    for name, price in _UNIT_PRICE_CENTS.items():
        m = MARKETS.index(name)
        units = np.where(market == m, gross // price, units)
    for m, name in enumerate(MARKETS):
        calibrated = MARKETS_CALIBRATED[name]
        if calibrated.spacing:
            run = 1 + (day - (titles.first_exhibition[production] + calibrated.age[0]))
            units = np.where(market == m, 1 + run // calibrated.spacing, units)
            gross = np.where(market == m, 0, gross)
    units = np.minimum(units, 10**7)
    is_sub = market == MARKETS.index("subscription_streaming")
    views = np.where(is_sub, rng.lognormal(np.log(2_000_000), 1.5, n).astype(np.int64), 0)
    return pa.table(
        {
            "event_id": np.arange(first, first + n, dtype=np.int64),
            "production_id": production,
            "market": _strings(market, MARKETS),
            "period_start": pa.array(period.astype(np.int32), pa.int32()).cast(pa.date32()),
            "days_since_first_exhibition": since.astype(np.int32),
            "distributors_gross_cents": gross,
            "units": units,
            "views": np.minimum(views, 10**10),
            "subscribers": np.where(is_sub, 50_000_000, 0).astype(np.int64),
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
    titles = _titles(spec)
    productions = _productions(spec, titles)
    pq.write_table(productions, out / "productions.parquet")
    progress("productions", productions.num_rows)
    members = _members(spec)
    pq.write_table(members, out / "members.parquet")
    progress("members", members.num_rows)
    _write_parts(out / "credits", _credit_chunks(spec, titles), progress, "credits")
    _write_parts(out / "events", _event_chunks(spec, titles), progress, "events")


def _event_chunks(spec: SynthSpec, titles: Titles) -> Iterator[pa.Table]:
    plan = _plan(spec, titles)
    for chunk, first in enumerate(range(0, spec.events, CHUNK_ROWS)):
        yield _event_chunk(spec, titles, plan, chunk, first, min(CHUNK_ROWS, spec.events - first))
