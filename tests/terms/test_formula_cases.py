"""The formula catalogue against amounts worked by hand (``cases/*.yaml``)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from guildhall.files.located_yaml import read_yaml
from guildhall.terms import FORMULAS, load

CASES = Path(__file__).parent / "cases"


def _cases() -> list[Any]:
    out = []
    for path in sorted(CASES.glob("*.yaml")):
        doc, problems = read_yaml(path)
        assert not problems, problems
        out.extend(pytest.param(case, id=case["name"]) for case in doc.data)
    return out


@pytest.mark.parametrize("case", _cases())
def test_formula_case(case: dict[str, Any]) -> None:
    formula = FORMULAS[case["formula"]]
    if "agreement" in case:
        agreement = load(case["agreement"]).with_readings(case.get("readings", {}))
        assert formula.name in agreement.formulas
        params = agreement.values_on(formula.reads_parameters, case["on"])
    else:
        params = case["parameters"]
    result = formula(params, case["input"])
    assert result == case["expect"]
    assert type(result) is (bool if formula.returns == "covered" else int)


def test_every_formula_has_a_case() -> None:
    named = {case.values[0]["formula"] for case in _cases()}
    assert named == set(FORMULAS)


def test_a_formula_names_what_it_lacks() -> None:
    with pytest.raises(KeyError, match="rental_percent"):
        FORMULAS["rental_residual"]({}, {"distributors_gross_cents": 1})
    with pytest.raises(KeyError, match="distributors_gross_cents"):
        FORMULAS["rental_residual"]({"rental_percent": 1}, {})


def test_money_inputs_must_be_integer_cents() -> None:
    with pytest.raises(TypeError, match="whole cents"):
        FORMULAS["rental_residual"]({"rental_percent": 1}, {"distributors_gross_cents": 10.5})


def test_every_formula_is_documented() -> None:
    for formula in FORMULAS.values():
        assert formula.compute.__doc__, formula.name
        assert formula.reads_parameters and formula.reads_inputs
