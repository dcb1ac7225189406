"""The layers of Guildhall, checked: who may import whom (docs/architecture.md)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[1] / "src" / "guildhall"

DOMAIN = {"bargaining", "terms", "costing", "ledger", "ballots"}
ALLOWED: dict[str, set[str]] = {
    "core": set(),
    "files": {"core"},
    "settings": {"core"},
    "bargaining": {"core", "files"},
    "terms": {"core", "files"},
    "ballots": {"core", "files"},
    "costing": {"core", "files", "terms"},
    "ledger": {"core", "files", "terms", "costing"},
    "store": {"core", "files", "settings"} | DOMAIN,
    "services": {"core", "files", "settings", "store"} | DOMAIN,
    "cli": {"core", "files", "settings", "services"} | DOMAIN,
    "web": {"core", "files", "settings", "services"} | DOMAIN,
    "__main__": {"cli"},
}


def _layer(path: Path) -> str:
    rel = path.relative_to(SRC)
    return rel.parts[0].removesuffix(".py")


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found: set[str] = set()
    for node in ast.walk(tree):
        names: list[str] = []
        if isinstance(node, ast.Import):
            names = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names = [node.module]
        for name in names:
            parts = name.split(".")
            if parts[0] == "guildhall" and len(parts) > 1:
                found.add(parts[1])
    return found


def _modules() -> list[Path]:
    return sorted(p for p in SRC.rglob("*.py") if p.parent != SRC or p.name != "__init__.py")


@pytest.mark.parametrize("path", _modules(), ids=lambda p: str(p.relative_to(SRC)))
def test_module_imports_only_what_its_layer_may(path: Path) -> None:
    layer = _layer(path)
    assert layer in ALLOWED, f"{layer} is not a known layer; add it to docs/architecture.md"
    wrong = {i for i in _imports(path) if i != layer and i not in ALLOWED[layer]}
    assert not wrong, f"{path.relative_to(SRC)} ({layer}) may not import {sorted(wrong)}"


def test_the_checker_sees_a_forbidden_import(tmp_path: Path) -> None:
    bad = tmp_path / "bad.py"
    bad.write_text("from guildhall.store.db import Store\nimport guildhall.cli.app\n")
    assert _imports(bad) == {"store", "cli"}


SQL_PACKAGES = ("sqlalchemy", "alembic", "psycopg")


def _third_party(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(a.name.split(".")[0] for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module.split(".")[0])
    return found


@pytest.mark.parametrize("path", _modules(), ids=lambda p: str(p.relative_to(SRC)))
def test_only_the_store_talks_sql(path: Path) -> None:
    if _layer(path) == "store":
        return
    sql = _third_party(path) & set(SQL_PACKAGES)
    assert not sql, f"{path.relative_to(SRC)} imports {sorted(sql)}; SQL belongs in guildhall.store"
