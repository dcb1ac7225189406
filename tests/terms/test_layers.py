"""What the terms code may import: written down here and checked."""

from __future__ import annotations

import ast
from pathlib import Path

SRC = Path(__file__).parents[2] / "src" / "guildhall"

ALLOWED = {
    "terms": ("guildhall.core", "guildhall.files", "guildhall.terms"),
    "services/terms.py": ("guildhall.core", "guildhall.terms"),
    "cli/terms.py": (
        "guildhall.cli.output",
        "guildhall.core",
        "guildhall.services",
        "guildhall.terms",
    ),
}


def _imports(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return {n for n in names if n.startswith("guildhall")}


def test_terms_imports_only_what_it_may() -> None:
    for area, allowed in ALLOWED.items():
        target = SRC / area
        files = sorted(target.rglob("*.py")) if target.is_dir() else [target]
        assert files
        for path in files:
            for name in _imports(path):
                assert name.startswith(allowed), f"{path.relative_to(SRC)} imports {name}"
