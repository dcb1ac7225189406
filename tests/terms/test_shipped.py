"""The agreements shipped in ``agreements/``: they load, pass check, and every value is sourced."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from guildhall.cli.app import run
from guildhall.terms import UNITS, DatedValue, check, default_directory, list_agreements, load
from guildhall.terms.parse import parse_file

SHIPPED = (
    "sag-2005",
    "dga-2008",
    "wga-2008",
    "aftra-2008",
    "amptp-2008-final-offer",
    "sag-2008-threshold-proposals",
    "sag-2009",
    "sag-aftra-2023",
)
SEEDS = Path(__file__).parents[2] / "cases" / "sag-2008" / "documents"


def _normalise(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def _all_values() -> list[tuple[str, str, str, DatedValue]]:
    out = []
    for path in sorted(default_directory().glob("*.yaml")):
        parsed, problems = parse_file(path)
        assert parsed is not None and not problems, problems
        for parameter in parsed.parameters.values():
            values = list(parameter.values)
            for reading in parameter.readings.values():
                values.extend(reading.values)
            for value in values:
                out.append((path.stem, parameter.name, parameter.unit, value))
    return out


def test_every_shipped_agreement_is_there_and_passes_check(
    capsys: pytest.CaptureFixture[str],
) -> None:
    agreements, problems = check()
    assert problems == []
    assert {a.id for a in agreements} == set(SHIPPED)
    assert run(["terms", "check"]) == 0
    assert "ok: 8 agreement(s)" in capsys.readouterr().out


@pytest.mark.parametrize("agreement_id", SHIPPED)
def test_each_loads(agreement_id: str) -> None:
    agreement = load(agreement_id)
    assert agreement.id == agreement_id
    assert agreement.parameters
    assert all(len(f.sha256) == 64 for f in agreement.files)


def test_every_shipped_value_has_a_source_and_a_unit() -> None:
    values = _all_values()
    assert len(values) > 80
    for agreement_id, name, unit, value in values:
        where = f"{agreement_id}: {name}"
        assert unit in UNITS, where
        assert value.source.document.strip(), where
        assert value.source.quote.strip(), where
        assert value.source.section or value.source.url, where


def test_every_quote_from_a_seed_article_is_its_exact_words() -> None:
    quoted = [v for v in _all_values() if v[3].source.document.endswith(".txt")]
    assert quoted
    for agreement_id, name, _unit, value in quoted:
        text = _normalise((SEEDS / value.source.document).read_text(encoding="utf-8"))
        assert _normalise(value.source.quote) in text, f"{agreement_id}: {name}"


def test_uncertain_terms_say_what_is_missing() -> None:
    for agreement in list_agreements():
        for parameter in agreement.parameters.values():
            if parameter.is_uncertain:
                assert parameter.missing, f"{agreement.id}: {parameter.name}"


def test_the_july_1974_cut_off_is_only_a_reading() -> None:
    parameter = load("amptp-2008-final-offer").parameter("library_cutoff_date_television")
    assert parameter.is_uncertain
    assert parameter.values == ()
    assert "sag_contention_july_1974" in parameter.readings


def test_the_and_or_reading_of_the_thresholds_is_switchable() -> None:
    for agreement_id in ("wga-2008", "aftra-2008", "amptp-2008-final-offer"):
        parameter = load(agreement_id).parameter("budget_test")
        assert parameter.is_uncertain
        assert "all_thresholds" in parameter.readings
