"""Hand-computed cases in ``cases/*.yaml``: an agreement, input rows and the cents owed."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import ibis
import pytest
from tests.costing.tables import write_data_set

from guildhall.costing.data.schema import DataSet
from guildhall.costing.engine import open_tables, production_amounts
from guildhall.costing.params import terms_from_mapping
from guildhall.files.located_yaml import parse_yaml

CASES = Path(__file__).parent / "cases"


def _yaml(path: Path) -> Any:
    doc, problems = parse_yaml(path.read_text(encoding="utf-8"), str(path))
    assert not problems, problems
    return doc.data


def _case_files() -> list[Path]:
    return sorted(p for p in CASES.glob("*.yaml") if not p.name.startswith("_"))


@pytest.mark.parametrize("path", _case_files(), ids=lambda p: p.stem)
def test_case(path: Path, tmp_path: Path) -> None:
    base = _yaml(CASES / "_agreement.yaml")
    case = _yaml(path)
    terms = terms_from_mapping(
        {
            "id": path.stem,
            "term_start": base["term_start"],
            "formulas": case["formulas"],
            "parameters": {**base["parameters"], **case.get("parameters", {})},
        }
    )
    root = write_data_set(tmp_path / "data", case)
    tables = open_tables(ibis.duckdb.connect(), DataSet(root))
    amounts = production_amounts(tables, [terms]).to_pyarrow().to_pylist()
    got = sorted(
        (r["production_id"], r["period_start"], r["kind"], r["amount_cents"]) for r in amounts
    )
    expected = sorted(
        (e["production_id"], e["period_start"], e["kind"], e["amount_cents"])
        for e in case["expected"]
    )
    assert got == expected, case["name"]


def test_every_formula_and_boundary_has_a_case() -> None:
    formulas = {f for p in _case_files() for f in _yaml(p)["formulas"]}
    assert {
        "rental_residual",
        "electronic_sell_through_residual",
        "ad_supported_streaming_residual",
        "television_library_streaming_residual",
        "made_for_new_media_reuse_residual",
        "new_media_jurisdiction",
        "library_cutoff",
        "streaming_participation_bonus",
        "streaming_participation_fund",
    } <= formulas
