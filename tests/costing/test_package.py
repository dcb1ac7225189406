"""The whole package on the same markets, and the readings that change it.

Each test here is one thing that was wrong once: a reading that changed nothing, readings
that could not be scoped to one agreement, the DGA covering nothing, cable programs paid
on gross, one fixed residual shared by a cast, a 2023 costing that failed, and ``cost``
reading agreements from the wrong folder.
"""

from __future__ import annotations

import datetime as dt
import json
import shutil
from decimal import Decimal
from pathlib import Path
from typing import Any

import ibis
import pytest
from fastapi.testclient import TestClient
from tests.costing.tables import write_data_set

from guildhall.cli.app import run
from guildhall.core.errors import InvalidInput
from guildhall.costing.allocation import obligations
from guildhall.costing.data.schema import DataSet
from guildhall.costing.engine import open_tables, production_amounts
from guildhall.costing.params import terms_from_mapping
from guildhall.services import costing
from guildhall.terms import default_directory
from guildhall.web.app import create_app

OFFER = "amptp-2008-final-offer"
CUT = f"{OFFER}:library_cutoff_date_television=sag_contention_july_1974"


def _q(year: int, month: int) -> dt.date:
    return dt.date(year, month, 1)


@pytest.fixture(scope="module")
def library(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A 1970 network program and a 1990 one, each streamed, syndicated and on cable."""
    root = tmp_path_factory.mktemp("library") / "data"
    productions = [
        {"production_id": 1, "medium": "network_tv", "production_start": dt.date(1970, 9, 1)},
        {"production_id": 2, "medium": "network_tv", "production_start": dt.date(1990, 9, 1)},
    ]
    credits = [
        {"production_id": p, "performer_id": 10 * p + k, "category": c}
        for p in (1, 2)
        for k, c in enumerate(("series_regular", "day_player"))
    ]
    events = []
    for p in (1, 2):
        events += [
            {"production_id": p, "market": "ad_supported_streaming", "period_start": _q(2009, 1),
             "distributors_gross_cents": 1_000_000},
            {"production_id": p, "market": "subscription_streaming", "period_start": _q(2009, 4),
             "distributors_gross_cents": 2_000_000},
            {"production_id": p, "market": "syndication", "period_start": _q(2009, 1), "units": 3},
            {"production_id": p, "market": "pay_tv", "period_start": _q(2009, 1),
             "distributors_gross_cents": 500_000},
        ]  # fmt: skip
    members = [{"performer_id": c["performer_id"]} for c in credits]
    tables = {"productions": productions, "credits": credits, "members": members, "events": events}
    return write_data_set(root, tables)


def _by_kind(result: costing.Comparison, agreement: str) -> dict[str, int]:
    return result.by_kind.get(agreement, {})


def test_the_july_1974_reading_cuts_streaming_only(library: Path) -> None:
    plain = costing.cost_agreements(["sag-2005", OFFER], library)
    cut = costing.cost_agreements(
        ["sag-2005", OFFER], library, readings={CUT.split("=")[0]: CUT.split("=")[1]}
    )
    assert not cut.warnings
    before, after = _by_kind(plain, OFFER), _by_kind(cut, OFFER)
    # Streaming of the 1970 program stops: 6% of $10,000 ad-supported; nothing is left of
    # the 1970 program's streaming, the 1990 program's is unchanged.
    assert before["ad_supported_streaming"] == 2 * 60_000
    assert after["ad_supported_streaming"] == 60_000
    # Syndication and pay TV of the same program are untouched.
    for kind in ("syndication", "pay_tv"):
        assert after[kind] == before[kind] > 0
    # The 2005 terms have no such cut-off, and the reading was scoped to the offer.
    assert _by_kind(cut, "sag-2005") == _by_kind(plain, "sag-2005")


def test_an_unscoped_reading_applies_to_the_agreements_that_have_it(library: Path) -> None:
    # sag-2005 has no library_cutoff_date_television: the reading still applies to the offer.
    cut = costing.cost_agreements(
        ["sag-2005", OFFER],
        library,
        readings={"library_cutoff_date_television": "sag_contention_july_1974"},
    )
    assert _by_kind(cut, OFFER)["ad_supported_streaming"] == 60_000


@pytest.mark.parametrize(
    ("key", "reading", "says"),
    [
        ("sag-2005:library_cutoff_date_television", "sag_contention_july_1974", "no reading"),
        ("wga-2008:budget_test", "all_thresholds", "not one of the agreements costed"),
        (f"{OFFER}:budget_test", "no_such_reading", "no reading 'no_such_reading'"),
        ("budget_test", "no_such_reading", "no agreement costed has the reading"),
    ],
)
def test_a_reading_that_does_not_apply_is_refused_by_name(
    library: Path, key: str, reading: str, says: str
) -> None:
    with pytest.raises(InvalidInput, match=says):
        costing.cost_agreements(["sag-2005", OFFER], library, readings={key: reading})


def test_a_bad_reading_is_exit_2(library: Path, capsys: pytest.CaptureFixture[str]) -> None:
    argv = ["cost", "sag-2005", OFFER, "--data", str(library)]
    assert run([*argv, "--reading", "sag-2005:budget_test=all_thresholds"]) == 2
    assert "sag-2005 has no reading 'all_thresholds' of budget_test" in capsys.readouterr().err


def _folder(tmp_path: Path, extra: str) -> Path:
    folder = tmp_path / "agreements"
    shutil.copytree(default_directory(), folder)
    (folder / "offer-with-readings.yaml").write_text(extra, encoding="utf-8")
    return folder


SAME_VALUE = """\
id: offer-with-readings
name: An offer whose readings change nothing
based_on: amptp-2008-final-offer
kind: proposal
status: rejected
parameters:
  pay_tv_percent:
    unit: percent_of_distributors_gross
    description: Pay television.
    values:
      - value: 3.6
        source: {document: test, section: none, quote: "3.6"}
    readings:
      same_again:
        description: The same 3.6%.
        values:
          - value: 3.6
            source: {document: test, section: none, quote: "3.6"}
  unused_percent:
    unit: percent_of_distributors_gross
    description: Read by no formula.
    values:
      - value: 1
        source: {document: test, section: none, quote: "1"}
    readings:
      other:
        description: Another value nobody reads.
        values:
          - value: 2
            source: {document: test, section: none, quote: "2"}
"""


def test_a_reading_that_changes_nothing_warns(
    library: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv("GUILDHALL_AGREEMENTS", str(_folder(tmp_path, SAME_VALUE)))
    argv = ["cost", "sag-2005", "offer-with-readings", "--data", str(library), "--format", "json"]
    argv += ["--reading", "offer-with-readings:pay_tv_percent=same_again"]
    argv += ["--reading", "offer-with-readings:unused_percent=other"]
    capsys.readouterr()
    assert run(argv) == 0
    captured = capsys.readouterr()
    assert (
        "warning: offer-with-readings: the reading same_again of pay_tv_percent changes nothing"
        in captured.err
    )
    assert "the reading other of unused_percent changes nothing: no formula" in captured.err
    assert len(json.loads(captured.out)["warnings"]) == 2


def test_cost_reads_the_agreements_folder_setting(
    library: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The agreement exists only in the folder the setting names.
    with pytest.raises(Exception, match="offer-with-readings"):
        costing.cost_agreements(["sag-2005", "offer-with-readings"], library)
    monkeypatch.setenv("GUILDHALL_AGREEMENTS", str(_folder(tmp_path, SAME_VALUE)))
    result = costing.cost_agreements(["sag-2005", "offer-with-readings"], library)
    assert [a["id"] for a in result.agreements] == ["sag-2005", "offer-with-readings"]


NO_VALUE = """\
id: offer-with-readings
name: An offer with a rate left to a reading
based_on: amptp-2008-final-offer
kind: proposal
status: rejected
parameters:
  pay_tv_percent:
    unit: percent_of_distributors_gross
    description: Pay television, unsettled.
    status: uncertain
    missing: Nothing settles it.
    values: []
    readings:
      guess:
        description: A guess.
        values:
          - value: 3
            source: {document: test, section: none, quote: "3"}
"""


def test_a_rate_with_no_value_is_a_problem_not_a_crash(
    library: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("GUILDHALL_AGREEMENTS", str(_folder(tmp_path, NO_VALUE)))
    with pytest.raises(InvalidInput, match="reads pay_tv_percent, which has no value"):
        costing.cost_agreements(["sag-2005", "offer-with-readings"], library)
    client = TestClient(create_app("sqlite://", data_dir=library))
    response = client.get("/api/costing?agreements=sag-2005,offer-with-readings")
    assert response.status_code == 422
    assert "pay_tv_percent" in response.text
    chosen = "reading=offer-with-readings:pay_tv_percent=guess"
    assert (
        client.get(f"/api/costing?agreements=sag-2005,offer-with-readings&{chosen}").status_code
        == 200
    )


def test_the_2023_agreement_costs_and_the_web_app_answers(library: Path) -> None:
    result = costing.cost_agreements(["sag-2009", "sag-aftra-2023"], library)
    assert result.agreements[1]["total_cents"] > 0
    client = TestClient(create_app("sqlite://", data_dir=library))
    response = client.get("/api/costing?agreements=sag-2009,sag-aftra-2023")
    assert response.status_code == 200
    assert response.json()["agreements"][1]["id"] == "sag-aftra-2023"


def test_the_dga_covers_made_for_new_media_productions(tmp_path: Path) -> None:
    # Above $15,000 a minute; below every threshold; below them but derived from a program.
    web = {"medium": "new_media", "running_minutes": 10}
    productions = [
        {**web, "production_id": 1, "budget_cents": 100_000_000},
        {**web, "production_id": 2, "budget_cents": 1_000_000},
        {**web, "production_id": 3, "budget_cents": 1_000_000, "is_derivative": True},
    ]
    root = write_data_set(tmp_path / "data", {"productions": productions})
    result = costing.cost_agreements(["dga-2008"], root)
    assert result.coverage[0]["covered"] == {"any": 2, "all": 2}


def test_a_cable_program_gets_the_fixed_residual_only(tmp_path: Path) -> None:
    """WGA: cable shows are outside the 2% formula (domain.md §1.2)."""
    productions = [
        {"production_id": p, "medium": m, "production_start": dt.date(2009, 1, 1)}
        for p, m in ((1, "cable_tv"), (2, "network_tv"))
    ]
    events = [
        {"production_id": p, "market": "ad_supported_streaming", "period_start": q,
         "days_since_first_exhibition": day, "distributors_gross_cents": 1_000_000}
        for p in (1, 2)
        for q, day in ((_q(2009, 4), 17), (_q(2010, 4), 400), (_q(2010, 7), 500))
    ]  # fmt: skip
    root = write_data_set(tmp_path / "data", {"productions": productions, "events": events})
    result = costing.cost_agreements(["wga-2008"], root)
    rows = (
        production_amounts(
            open_tables(ibis.duckdb.connect(), DataSet(root)),
            costing.load_terms(["wga-2008"], {})[0],
        )
        .to_pyarrow()
        .to_pylist()
    )
    kinds = {(r["production_id"], r["kind"]) for r in rows}
    assert (1, "streaming_fixed") in kinds and (2, "streaming_fixed") in kinds
    assert (2, "ad_supported_streaming") in kinds, "a network program is paid 2% of gross"
    assert (1, "ad_supported_streaming") not in kinds, "a cable program is not"
    assert result.by_kind["wga-2008"]["ad_supported_streaming"] == 2 * 20_000


def test_the_fixed_residual_is_three_percent_of_each_performers_minimum(tmp_path: Path) -> None:
    """3% of the series regular's $15,000 and of the day player's $5,000, whatever their
    units: not one production base shared by units."""
    productions = [
        {
            "production_id": 1,
            "production_start": dt.date(2009, 1, 1),
            "residual_base_cents": 9_999_900,
        }
    ]
    credits = [
        {"production_id": 1, "performer_id": 1, "category": "series_regular", "units": 1},
        {"production_id": 1, "performer_id": 2, "category": "day_player", "units": 9},
        {"production_id": 1, "performer_id": 3, "category": "background", "units": 5},
    ]
    events = [
        {"production_id": 1, "market": "ad_supported_streaming", "period_start": _q(2009, 4),
         "days_since_first_exhibition": 30}
    ]  # fmt: skip
    root = write_data_set(
        tmp_path / "data", {"productions": productions, "credits": credits, "events": events}
    )
    terms = terms_from_mapping(
        {
            "id": "offer",
            "formulas": ["ad_supported_streaming_residual", "applicable_minimum"],
            "parameters": {
                "free_window_days_continuing_series": 17,
                "free_window_days_new_series": 24,
                "fixed_residual_percent": 3,
                "fixed_residual_period_weeks": 26,
                "fixed_residual_periods": 2,
                "streaming_gross_percent": 6,
                "applicable_minimum_series_regular": 15000,
                "applicable_minimum_guest_star": 2833,
                "applicable_minimum_day_player": 5000,
                "applicable_minimum_stunt": 759,
                "applicable_minimum_background": 0,
                "minimum_increase_year_1": 0,
                "minimum_increase_year_2": 0,
                "minimum_increase_year_3": 0,
            },
        }
    )
    tables = open_tables(ibis.duckdb.connect(), DataSet(root))
    amounts = production_amounts(tables, [terms])
    owed = obligations(amounts, tables.credits, [terms]).to_pyarrow().to_pylist()
    by_performer = {r["performer_id"]: r["amount_cents"] for r in owed}
    assert by_performer == {1: 45_000, 2: 15_000}


def _explain(library: Path, kind: str, period: dt.date, **options: Any) -> dict[str, Any]:
    return costing.explain_amount(OFFER, library, 1, period, kind, **options)


def test_explain_shows_rate_times_base_and_the_contracts_words(library: Path) -> None:
    found = _explain(library, "ad_supported_streaming", _q(2009, 1))
    assert found["amount_cents"] == 60_000
    (step,) = found["arithmetic"]
    assert step["text"] == "ad_supported_streaming: 6% × $10,000.00 = $600"
    assert found["rounding"].endswith("rounded once, half up: $600.00")
    assert "6% of the distributor's gross" in found["contract"]
    assert "micro-cents" not in found["contract"]
    facts = found["coverage"]
    assert facts["production_start"] == dt.date(1970, 9, 1) and facts["covered"] is True
    assert facts["budget_per_minute_dollars"] == Decimal("22727.27")  # $1,000,000 / 44 min


def test_explain_of_a_run_shows_each_performers_minimum(library: Path) -> None:
    found = _explain(library, "syndication", _q(2009, 1))
    # Run 3 pays 25% of the two performers' minimums in year 1 of the offer (3% up):
    # $2,833.33 × 1.03 = $2,918.33 and $759 × 1.03 = $781.77.
    (step,) = found["arithmetic"]
    assert step["text"] == "run 3: 25% × $3,700.10 = $925.025"
    assert found["amount_cents"] == 92_503
    minimums = {c["category"]: c["applicable_minimum_cents"][0] for c in found["credits"]}
    assert minimums == {"series_regular": 291_833, "day_player": 78_177}


def test_explain_with_a_reading_and_a_backend(library: Path) -> None:
    key, reading = CUT.split("=")
    found = _explain(library, "ad_supported_streaming", _q(2009, 1), readings={key: reading})
    assert found["amount_cents"] == 0
    assert found["coverage"]["cutoffs"]["library_cutoff_date_television"]["date"] == dt.date(
        1974, 7, 1
    )
    assert "sag_contention_july_1974" in str(found["coverage"]["cutoffs"])


def test_explain_a_tier_split_with_the_gross_before(tmp_path: Path) -> None:
    productions = [{"production_id": 7, "medium": "theatrical"}]
    events = [
        {"production_id": 7, "market": "supplemental_markets", "period_start": q,
         "distributors_gross_cents": g}
        for q, g in ((_q(2008, 7), 400_000_000), (_q(2008, 10), 200_000_000))
    ]  # fmt: skip
    root = write_data_set(tmp_path / "data", {"productions": productions, "events": events})
    found = costing.explain_amount("sag-2005", root, 7, _q(2008, 10), "supplemental_markets")
    (step,) = found["arithmetic"]
    assert step["gross_before_cents"] == 400_000_000
    assert (step["first_tier_cents"], step["above_tier_cents"]) == (100_000_000, 100_000_000)
    assert found["amount_cents"] == 900_000 + 1_080_000


def test_explain_an_unknown_production_is_exit_2(
    library: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    argv = ["cost", "explain", OFFER, "--data", str(library), "--production", "999"]
    assert run([*argv, "--period", "2009-01-01", "--kind", "pay_tv"]) == 2
    assert "no production 999" in capsys.readouterr().err
    argv = ["cost", "explain", OFFER, "--data", str(library), "--production", "1"]
    argv += ["--period", "2009-01-01", "--kind", "syndication", "--backend", "duckdb"]
    argv += ["--reading", "library_cutoff_date_television=sag_contention_july_1974"]
    assert run(argv) == 0
    out = capsys.readouterr().out
    assert "run 3: 25% × $3,700.10 = $925.025" in out and "the term: Syndication" in out
