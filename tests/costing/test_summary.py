"""Summing the events before the formulas changes no amount: the costing over the summed
rows equals the costing event by event, to the cent, in every kind."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from guildhall.costing import engine
from guildhall.costing.backends import connect
from guildhall.costing.data.schema import DataSet
from guildhall.costing.data.synth import SynthSpec, synthesize
from guildhall.costing.engine import open_tables, production_amounts
from guildhall.costing.params import Terms, terms_from_agreement
from guildhall.costing.summary import last_day, one_line_each, run_caps, summarised
from guildhall.terms import load

AGREEMENTS = ("sag-2005", "amptp-2008-final-offer", "sag-2008-threshold-proposals")


def _agreements() -> list[Terms]:
    return [terms_from_agreement(load(a)) for a in AGREEMENTS]


def _amounts(data: DataSet, agreements: list[Terms]) -> list[tuple[object, ...]]:
    rows = production_amounts(open_tables(connect("duckdb"), data), agreements)
    return sorted(tuple(r.values()) for r in rows.to_pyarrow().to_pylist())


def _event_by_event(
    data: DataSet, agreements: list[Terms], monkeypatch: pytest.MonkeyPatch
) -> list[tuple[object, ...]]:
    with monkeypatch.context() as patched:
        patched.setattr(engine, "summarised", lambda events, _agreements: one_line_each(events))
        return _amounts(data, agreements)


def test_summed_rows_cost_the_same_as_each_event(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = tmp_path / "data"
    synthesize(SynthSpec(members=500, titles=150, events=20000, seed=3), root, lambda t, n: None)
    data = DataSet(root)
    agreements = _agreements()
    summed = _amounts(data, agreements)
    kinds = {row[3] for row in summed}
    assert {"network_rerun", "syndication", "basic_cable", "streaming_fixed"} <= kinds
    assert summed == _event_by_event(data, agreements, monkeypatch)


def test_runs_and_days_at_the_caps_cost_the_same(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Events on each side of the longest schedule and of the last day a window ends, on
    productions of the synthetic set: summed, they must pay what they pay one by one."""
    root = tmp_path / "data"
    synthesize(SynthSpec(members=500, titles=400, events=3000, seed=8), root, lambda t, n: None)
    agreements = _agreements()
    caps, day = run_caps(agreements), last_day(agreements)
    assert caps["basic_cable"] == 13 and day == 24 + 2 * 26 * 7
    productions = pq.read_table(DataSet(root).path("productions")).to_pylist()
    # New network programs (the fixed streaming residual and streaming on gross apply),
    # of new and continuing series, and one older program.
    offer_start = agreements[1].term_start
    new = [
        p
        for p in productions
        if p["medium"] == "network_tv" and p["production_start"] >= offer_start
    ]
    tv = [
        *[p for p in new if p["is_new_series"]][:2],
        *[p for p in new if not p["is_new_series"]][:2],
        *[p for p in productions if p["medium"] == "network_tv"][:1],
    ]
    assert any(p["is_new_series"] for p in tv) and len(tv) >= 3
    events = pq.read_table(DataSet(root).path("events"))
    start = events.column("event_id").to_pylist()
    next_id = max(start) + 1
    extra = []
    for p in tv:
        first = p["production_start"] + dt.timedelta(days=400)
        quarter = dt.date(first.year, 3 * ((first.month - 1) // 3) + 1, 1)
        for market, units in (
            ("basic_cable", 12),
            ("basic_cable", 13),
            ("basic_cable", 14),
            ("syndication", 40),
            ("free_tv_rerun", 7),
            ("free_tv_rerun", 8),
        ):
            extra.append((market, units, 0))
        for days in (day - 1, day, day + 1, 16, 17, 23, 24, 206, 207):
            extra.append(("ad_supported_streaming", 0, days))
        for market, units, days in extra[-15:]:
            events = pa.concat_tables([events, pa.table({
                "event_id": [next_id], "production_id": [p["production_id"]],
                "market": [market], "period_start": [quarter],
                "days_since_first_exhibition": pa.array([days], pa.int32()),
                "distributors_gross_cents": [123_457], "units": [units],
                "views": [0], "subscribers": [0],
            }, schema=events.schema)])  # fmt: skip
            next_id += 1
    for part in DataSet(root).path("events").glob("*.parquet"):
        part.unlink()
    pq.write_table(events, DataSet(root).path("events") / "part-0.parquet")
    data = DataSet(root)
    assert _amounts(data, agreements) == _event_by_event(data, agreements, monkeypatch)


def test_summary_counts_runs_and_keeps_downloads() -> None:
    import ibis

    agreements = _agreements()
    events = ibis.memtable(
        {
            "production_id": [1, 1, 1, 1],
            "period_start": [dt.date(2009, 1, 1)] * 4,
            "market": ["basic_cable", "basic_cable", "electronic_sell_through",
                       "electronic_sell_through"],
            "days_since_first_exhibition": [10, 20, 30, 40],
            "distributors_gross_cents": [100, 200, 300, 400],
            "units": [20, 30, 5, 6],
            "views": [0, 0, 0, 0],
            "subscribers": [0, 0, 0, 0],
        }
    )  # fmt: skip
    con = connect("duckdb")
    rows = con.to_pyarrow(summarised(events, agreements)).to_pylist()
    by_market = {r["market"]: r for r in rows}
    assert len(rows) == 2
    assert by_market["basic_cable"]["units"] == 13 and by_market["basic_cable"]["lines"] == 2
    assert by_market["electronic_sell_through"]["units"] == 11
    assert by_market["electronic_sell_through"]["distributors_gross_cents"] == 700
