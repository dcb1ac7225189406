"""The Python API: load, value on a date, readings, inheritance, immutability."""

from __future__ import annotations

import dataclasses
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from guildhall.core.errors import InvalidInput, NotFound
from guildhall.terms import NoValue, default_directory, load


def test_value_on_a_date() -> None:
    offer = load("amptp-2008-final-offer")
    assert offer.value("sell_through_rate", on=date(2009, 1, 1)) == Decimal("5.4")
    assert offer.value("budget_per_minute_threshold", on=date(2009, 1, 1)) == Decimal("15000")


def test_no_value_before_a_term_starts() -> None:
    with pytest.raises(NoValue, match="no value on 2008-06-30"):
        load("amptp-2008-final-offer").value("sell_through_rate", on=date(2008, 6, 30))


def test_an_uncertain_term_with_no_value_asks_for_a_reading() -> None:
    offer = load("amptp-2008-final-offer")
    with pytest.raises(NoValue, match="choose a reading: sag_contention_july_1974"):
        offer.value("library_cutoff_date_television", on=date(2009, 1, 1))
    chosen = offer.value(
        "library_cutoff_date_television", on=date(2009, 1, 1), reading="sag_contention_july_1974"
    )
    assert chosen == date(1974, 7, 1)


def test_with_readings_returns_a_new_agreement() -> None:
    offer = load("amptp-2008-final-offer")
    strict = offer.with_readings({"budget_test": "all_thresholds"})
    assert strict.value("budget_test", on=date(2009, 1, 1)) == "all"
    assert offer.value("budget_test", on=date(2009, 1, 1)) == "any"


def test_an_unknown_reading_is_refused() -> None:
    with pytest.raises(InvalidInput, match="no reading 'strictest'"):
        load("wga-2008").with_readings({"budget_test": "strictest"})


def test_an_override_replaces_the_base_and_the_rest_is_inherited() -> None:
    proposals = load("sag-2008-threshold-proposals")
    assert proposals.based_on == "amptp-2008-final-offer"
    assert proposals.overrides == {
        "new_media_jurisdiction_scope",
        "reuse_residual_platforms",
        "force_majeure_in_agreement",
    }
    scope = proposals.parameter("new_media_jurisdiction_scope")
    assert scope.defined_in == "sag-2008-threshold-proposals"
    assert proposals.parameter("sell_through_rate").defined_in == "amptp-2008-final-offer"
    assert proposals.parameter("force_majeure_suspension_weeks").defined_in == "sag-2005"
    assert [f.agreement_id for f in proposals.files] == [
        "sag-2005",
        "amptp-2008-final-offer",
        "sag-2008-threshold-proposals",
    ]
    assert proposals.formulas == load("amptp-2008-final-offer").formulas
    assert proposals.guild == "SAG"


def test_the_source_comes_with_the_parameter() -> None:
    parameter = load("wga-2008").parameter("rental_percent")
    source = parameter.dated(date(2009, 1, 1)).source
    assert source.url == "http://www.onlinevideowatch.com/new-media-terms-to-end-wga-strike/"
    assert "1.2%" in source.quote
    assert parameter.where.line is not None


def test_agreements_are_immutable() -> None:
    agreement = load("wga-2008")
    with pytest.raises(dataclasses.FrozenInstanceError):
        agreement.name = "changed"  # type: ignore[misc]
    with pytest.raises(TypeError):
        agreement.parameters["rental_percent"] = agreement.parameters["budget_test"]  # type: ignore[index]


def test_load_by_path() -> None:
    path = default_directory() / "sag-2009.yaml"
    assert load(path).id == "sag-2009"
    assert load(str(path)).missing is not None


def test_load_unknown() -> None:
    with pytest.raises(NotFound):
        load("sag-1999")
    with pytest.raises(NotFound):
        load(Path("nowhere/sag-1999.yaml"))


def test_content_hash_changes_with_the_file(tmp_path: Path) -> None:
    source = (default_directory() / "sag-2005.yaml").read_text(encoding="utf-8")
    copy = tmp_path / "sag-2005.yaml"
    copy.write_text(source, encoding="utf-8")
    first = load(copy).files[0].sha256
    copy.write_text(source + "\n", encoding="utf-8")
    assert load(copy).files[0].sha256 != first
