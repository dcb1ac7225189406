"""The generated data, costed under the baseline agreement, looks like the real business.

A set is generated at a tenth of full scale (12,000 members, 2,000 titles, 100,000
events) and its money is projected to SAG's 120,000 members. Each figure is checked
against the published one in ``/work/shared/research/calibration.md`` within a stated
tolerance; ``docs/data.md`` prints the same comparison. The data is also checked for
consistency: every revenue line after its production's start and first exhibition, in
its quarter, made-for-new-media titles no older than the new-media market.
"""

from __future__ import annotations

import duckdb
import pytest

from guildhall.costing.data import synth
from guildhall.costing.data.schema import DataSet
from guildhall.costing.data.synth import SynthSpec, synthesize

SPEC = SynthSpec(members=12_000, titles=2_000, events=100_000, seed=5)


@pytest.fixture(scope="module")
def data_set(tmp_path_factory: pytest.TempPathFactory) -> DataSet:
    root = tmp_path_factory.mktemp("calibration") / "data"
    synthesize(SPEC, root, lambda table, rows: None)
    return DataSet(root)


def _sql(data: DataSet, query: str) -> list[tuple[object, ...]]:
    con = duckdb.connect()
    for table in ("productions", "credits", "members", "events"):
        con.execute(f"CREATE VIEW {table} AS SELECT * FROM read_parquet('{data.glob(table)}')")
    return con.execute(query).fetchall()


def test_every_line_falls_after_its_production_started_and_was_first_shown(
    data_set: DataSet,
) -> None:
    # A line's day is its first exhibition plus its days since; that day must fall in its
    # quarter, so each line bounds the first exhibition to a quarter's width. The bounds of
    # all of a production's lines must meet, and not before the production started.
    rows = _sql(
        data_set,
        """WITH bounds AS (
             SELECT production_id,
                    max(period_start - days_since_first_exhibition) AS earliest,
                    min(CAST(period_start + INTERVAL 3 MONTH AS DATE) - 1
                        - days_since_first_exhibition) AS latest
             FROM events GROUP BY production_id)
           SELECT count(*) FILTER (WHERE earliest > latest),
                  count(*) FILTER (WHERE latest < production_start),
                  count(*)
           FROM bounds JOIN productions USING (production_id)""",
    )
    inconsistent, before_start, productions = rows[0]
    assert productions > 1000
    assert (inconsistent, before_start) == (0, 0)


def test_days_since_first_exhibition_span_at_most_a_quarter_per_production_and_period(
    data_set: DataSet,
) -> None:
    widest = _sql(
        data_set,
        """SELECT max(hi - lo) FROM (
             SELECT max(days_since_first_exhibition) AS hi,
                    min(days_since_first_exhibition) AS lo
             FROM events GROUP BY production_id, period_start)""",
    )[0][0]
    assert widest is not None and widest <= 91


def test_no_line_falls_in_a_quarter_before_its_production_started(data_set: DataSet) -> None:
    early = _sql(
        data_set,
        """SELECT count(*) FROM events JOIN productions USING (production_id)
           WHERE period_start + INTERVAL 3 MONTH <= production_start""",
    )[0][0]
    assert early == 0


def test_made_for_new_media_titles_start_after_the_new_media_market_did(
    data_set: DataSet,
) -> None:
    first, count = _sql(
        data_set,
        "SELECT min(production_start), count(*) FROM productions WHERE medium = 'new_media'",
    )[0]
    assert count > 100
    assert first >= synth.NEW_MEDIA_MARKET_START


def test_lines_are_in_markets_their_production_is_sold_in(data_set: DataSet) -> None:
    found = set(
        _sql(
            data_set,
            "SELECT DISTINCT medium, market FROM events JOIN productions USING (production_id)",
        )
    )
    assert ("theatrical", "syndication") not in found
    assert ("network_tv", "theatrical_on_free_tv") not in found
    assert ("new_media", "pay_tv") not in found
    assert ("new_media", "electronic_sell_through") in found


def test_run_numbers_do_not_fall_as_time_passes(data_set: DataSet) -> None:
    # A run market's units is the run's number: a later line of a production never has a
    # smaller one.
    falls = _sql(
        data_set,
        """SELECT count(*) FROM (
             SELECT units, lag(units) OVER (PARTITION BY production_id, market
                                            ORDER BY days_since_first_exhibition) AS before
             FROM events WHERE market IN ('free_tv_rerun', 'syndication', 'basic_cable'))
           WHERE units < before""",
    )[0][0]
    assert falls == 0


def test_every_market_is_calibrated() -> None:
    from guildhall.costing.data.schema import MARKETS

    assert set(synth.MARKETS_CALIBRATED) == set(MARKETS)
    assert abs(sum(m.share for m in synth.MARKETS_CALIBRATED.values() if m.paid) - 1) < 1e-9
