"""The worked example in docs/terms.md is a valid offer and diffs as it says."""

from __future__ import annotations

import re
import shutil
from datetime import date
from decimal import Decimal
from pathlib import Path

from guildhall.terms import FORMULAS, UNITS, default_directory, diff, load

DOC = Path(__file__).parents[2] / "docs" / "terms.md"


def _example() -> str:
    text = DOC.read_text(encoding="utf-8")
    match = re.search(r"<!-- example: [a-z0-9-]+ -->\n```yaml\n(.*?)```", text, re.S)
    assert match
    return match.group(1)


def test_the_worked_example_checks_and_diffs(tmp_path: Path) -> None:
    for path in default_directory().glob("*.yaml"):
        shutil.copy(path, tmp_path)
    (tmp_path / "amptp-2008-counter-offer.yaml").write_text(_example(), encoding="utf-8")
    counter = load("amptp-2008-counter-offer", tmp_path)
    assert counter.value("budget_per_minute_threshold", date(2009, 1, 1)) == Decimal("10000")
    result = diff(load("amptp-2008-final-offer", tmp_path), counter)
    assert [c.name for c in result.parameters] == [
        "budget_per_minute_threshold",
        "reuse_residual_platforms",
    ]


def test_the_docs_name_every_formula_and_unit() -> None:
    text = DOC.read_text(encoding="utf-8")
    for name in [*FORMULAS, *UNITS]:
        assert f"`{name}`" in text, name
