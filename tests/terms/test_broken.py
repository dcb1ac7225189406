"""Every kind of mistake in an agreement file exits 2 and names file, line and column."""

from __future__ import annotations

from pathlib import Path

import pytest

from guildhall.cli.app import run

BROKEN = Path(__file__).parent / "broken"

# file -> (line, column, what the message says)
EXPECTED = {
    "unknown-key": (7, 1, "unknown key 'ratified_on' in an agreement"),
    "unknown-parameter-key": (14, 5, "unknown key 'rate' in rental_percent"),
    "unknown-unit": (12, 11, "unknown unit 'percent_of_gross'"),
    "unknown-kind": (5, 7, "unknown kind 'memo'"),
    "wrong-unit-value": (16, 16, "must be a number, not 'one point two percent'"),
    "percent-out-of-range": (16, 16, "a percentage above 100 (120)"),
    "override-changes-unit": (7, 3, "an override must keep the unit"),
    "overlapping-dates": (22, 9, "overlap the one before it"),
    "gapped-dates": (22, 9, "gap in dates"),
    "based-on-cycle": (7, 11, "based_on forms a cycle"),
    "based-on-cycle-partner": (7, 11, "based_on forms a cycle"),
    "based-on-missing": (7, 11, "based_on 'sag-1999': no such agreement"),
    "no-source": (15, 9, "a dated value has no 'source'"),
    "source-without-quote": (17, 9, "a source has no 'quote'"),
    "unknown-formula": (9, 29, "no formula called 'download_residual'"),
    "formula-missing-parameter": (9, 1, "reads theatrical_streaming_percent"),
    "bad-date": (15, 15, "from must be a date written YYYY-MM-DD"),
    "id-mismatch": (1, 5, "does not match the file name"),
    "uncertain-without-missing": (11, 3, "is uncertain but does not say what is missing"),
    "duplicate-key": (4, 1, "key 'guild' appears twice"),
    "not-yaml": (5, 5, "not valid YAML"),
}


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_broken_file_exits_2_with_file_line_and_column(
    name: str, capsys: pytest.CaptureFixture[str]
) -> None:
    path = BROKEN / f"{name}.yaml"
    line, column, what = EXPECTED[name]
    assert run(["terms", "check", str(path)]) == 2
    err = capsys.readouterr().err
    assert f"error: {path}:{line}:{column}: " in err
    assert what in err


def test_every_broken_file_is_expected_to_fail() -> None:
    files = {p.stem for p in BROKEN.glob("*.yaml")}
    assert files == set(EXPECTED) | {"valid-base"}


def test_the_base_the_broken_override_uses_is_itself_valid(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert run(["terms", "check", str(BROKEN / "valid-base.yaml")]) == 0
    assert "ok: 1 agreement(s)" in capsys.readouterr().out


def test_checking_the_folder_reports_every_file(capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["terms", "check", str(BROKEN)]) == 2
    err = capsys.readouterr().err
    for name in EXPECTED:
        assert f"{BROKEN / name}.yaml:" in err


def test_a_path_that_does_not_exist(capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["terms", "check", str(BROKEN / "nowhere.yaml")]) == 2
    assert "no such file or folder" in capsys.readouterr().err
