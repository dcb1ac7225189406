"""``guildhall terms diff``, ``show`` and ``list`` through the command line."""

from __future__ import annotations

import json

import pytest

from guildhall.cli.app import run

OFFER, PROPOSALS = "amptp-2008-final-offer", "sag-2008-threshold-proposals"


def test_diff_shows_the_jurisdiction_change_and_the_reuse_residual_with_sources(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert run(["terms", "diff", OFFER, PROPOSALS]) == 0
    out = capsys.readouterr().out
    assert "changed new_media_jurisdiction_scope" in out
    assert "budget_thresholds" in out and "all_productions" in out
    assert "$15,000-per-minute budget threshold" in out
    assert "changed reuse_residual_platforms" in out
    assert "[consumer_pay]" in out and "[consumer_pay, ad_supported]" in out
    assert "made-for-Internet productions" in out
    assert "source: 001_ca3c4b3eea986f46.txt, paragraph 7" in out
    assert "source: 000_333080c6fa4b27e7.txt, paragraph 9" in out
    assert "https://amptp.org/statements/071708.html" in out
    assert "changed force_majeure_in_agreement" in out


def test_diff_as_json_shows_only_the_overrides(capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["terms", "diff", OFFER, PROPOSALS, "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["b_is_based_on_a"] is True
    changes = {c["name"]: c for c in data["parameters"]}
    assert set(changes) == {
        "new_media_jurisdiction_scope",
        "reuse_residual_platforms",
        "force_majeure_in_agreement",
    }
    scope = changes["new_media_jurisdiction_scope"]
    assert scope["read_by"] == ["new_media_jurisdiction"]
    assert scope["before"]["values"][0]["value"] == "budget_thresholds"
    assert scope["after"]["values"][0]["value"] == "all_productions"
    assert "$15,000-per-minute" in scope["before"]["values"][0]["source"]["quote"]
    reuse = changes["reuse_residual_platforms"]
    assert reuse["read_by"] == ["made_for_new_media_reuse_residual"]
    assert reuse["after"]["values"][0]["source"]["document"] == "000_333080c6fa4b27e7.txt"
    assert data["formulas"] == {"added": [], "removed": []}


def test_the_ratified_2009_agreement_against_the_offer(capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["terms", "diff", OFFER, "sag-2009", "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert [c["name"] for c in data["parameters"]] == [
        "force_majeure_in_agreement",
        "minimum_increase_year_1",
        "minimum_increase_year_2",
        "minimum_increase_year_3",
        "pension_health_percent",
    ]


def test_the_offer_against_the_2005_baseline_adds_the_new_media_formulas(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert run(["terms", "diff", "sag-2005", OFFER, "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert "ad_supported_streaming_residual" in data["formulas"]["added"]
    assert "electronic_sell_through_residual" not in data["formulas"]["added"]
    changes = {c["name"]: c["change"] for c in data["parameters"]}
    assert changes["sell_through_rate_above_tier_television"] == "changed"
    assert changes["new_media_jurisdiction_scope"] == "changed"
    assert changes["force_majeure_in_agreement"] == "changed"
    assert changes["budget_per_minute_threshold"] == "added"
    assert "force_majeure_suspension_weeks" not in changes
    # The offer inherits every traditional market from the 2005 terms: same formulas,
    # same rates; what differs is its minimum increases.
    assert "syndication_residual" not in data["formulas"]["removed"]
    assert "syndication_schedule" not in changes
    assert changes["minimum_increase_year_1"] == "changed"


def test_an_agreement_against_itself(capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["terms", "diff", "wga-2008", "wga-2008"]) == 0
    assert "no term changes" in capsys.readouterr().out


def test_list(capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["terms", "list", "--format", "json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert {r["id"]: r["kind"] for r in rows}[OFFER] == "final_offer"


def test_show_on_a_date_with_a_reading(capsys: pytest.CaptureFixture[str]) -> None:
    argv = ["terms", "show", OFFER, "--on", "2009-01-01", "--format", "json"]
    argv += ["--reading", "library_cutoff_date_television=sag_contention_july_1974"]
    assert run(argv) == 0
    data = json.loads(capsys.readouterr().out)
    parameters = {p["name"]: p for p in data["parameters"]}
    cutoff = parameters["library_cutoff_date_television"]
    assert cutoff["reading"] == "sag_contention_july_1974"
    assert cutoff["values"][0]["value"] == "1974-07-01"
    assert parameters["force_majeure_suspension_weeks"]["defined_in"] == "sag-2005"
    assert [f["id"] for f in data["files"]] == ["sag-2005", OFFER]


def test_show_text(capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["terms", "show", "sag-aftra-2023"]) == 0
    out = capsys.readouterr().out
    assert "participation_bonus_viewer_share (percent_of_domestic_subscribers)" in out
    assert "20%" in out


def test_show_unknown_agreement_exits_2(capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["terms", "show", "sag-1999"]) == 2
    assert "no agreement 'sag-1999'" in capsys.readouterr().err


def test_show_unknown_reading_exits_2(capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["terms", "show", OFFER, "--reading", "budget_test=strictest"]) == 2
    assert "has no reading 'strictest'" in capsys.readouterr().err


def test_show_bad_date_exits_2(capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["terms", "show", OFFER, "--on", "June 2009"]) == 2
    assert "is not a date" in capsys.readouterr().err


def test_formulas(capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["terms", "formulas", "--format", "json"]) == 0
    rows = {r["name"]: r for r in json.loads(capsys.readouterr().out)}
    assert "budget_test" in rows["new_media_jurisdiction"]["reads_parameters"]
