"""Money, thresholds and located YAML: the pure pieces everything else stands on."""

from __future__ import annotations

import doctest
from decimal import Decimal
from fractions import Fraction

import pytest

from guildhall.core import money, thresholds
from guildhall.core.thresholds import Threshold, parse_fraction
from guildhall.files import located_yaml
from guildhall.files.located_yaml import parse_yaml


@pytest.mark.parametrize("module", [money, thresholds, located_yaml])
def test_docstring_examples_run(module: object) -> None:
    failures, tried = doctest.testmod(module)  # type: ignore[arg-type]
    assert tried > 0 and failures == 0


def test_money_refuses_binary_floats() -> None:
    with pytest.raises(TypeError):
        money.to_cents(0.1)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("dollars", "cents"),
    [("0.005", 1), ("-0.005", -1), ("0.004", 0), ("1234.565", 123457), ("15000", 1500000)],
)
def test_money_rounds_half_away_from_zero_once(dollars: str, cents: int) -> None:
    assert money.to_cents(Decimal(dollars)) == cents


@pytest.mark.parametrize(
    ("comparison", "yes", "cast", "passes"),
    [
        ("at_least", 75, 100, True),
        ("at_least", 74, 100, False),
        ("more_than", 75, 100, False),
        ("more_than", 76, 100, True),
        ("at_least", 3, 4, True),
        ("at_least", 0, 0, False),
        ("at_least", 749_999, 1_000_000, False),
        ("at_least", 750_000, 1_000_000, True),
    ],
)
def test_threshold_edges_are_exact(comparison: str, yes: int, cast: int, passes: bool) -> None:
    rule = Threshold(Fraction(3, 4), comparison)  # type: ignore[arg-type]
    assert rule.is_met(yes=yes, cast=cast) is passes


def test_threshold_refuses_impossible_counts() -> None:
    with pytest.raises(ValueError):
        Threshold(Fraction(1, 2), "more_than").is_met(yes=5, cast=4)


@pytest.mark.parametrize("text", ["3/4", "75%", "0.75"])
def test_threshold_spellings_agree(text: str) -> None:
    assert parse_fraction(text) == Fraction(3, 4)


def test_yaml_reads_numbers_as_decimals_and_keys_as_text() -> None:
    doc, problems = parse_yaml("on: 0.1\nno: 2\n", "t.yaml")
    assert problems == []
    assert doc.data == {"on": Decimal("0.1"), "no": 2}


def test_yaml_duplicate_key_is_a_problem_with_its_line() -> None:
    _, problems = parse_yaml("a: 1\nb: 2\na: 3\n", "t.yaml")
    assert [str(p) for p in problems] == [
        "t.yaml:3:1: key 'a' appears twice in this mapping (first on line 1)"
    ]


def test_yaml_syntax_error_names_line_and_column() -> None:
    _, problems = parse_yaml("a: [1, 2\nb: 3\n", "t.yaml")
    assert len(problems) == 1
    assert problems[0].where.file == "t.yaml" and problems[0].where.line is not None
    assert problems[0].where.column is not None
