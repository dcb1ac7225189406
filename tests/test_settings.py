"""Configuration: the environment and the --db option choose the store."""

from __future__ import annotations

from pathlib import Path

import pytest

from guildhall.cli.app import run
from guildhall.settings import DEFAULT_DATABASE_URL, Settings


def test_defaults_are_embedded() -> None:
    settings = Settings.from_env({})
    assert settings.database_url == DEFAULT_DATABASE_URL == "sqlite:///var/guildhall.db"


def test_environment_names_the_database() -> None:
    assert Settings.from_env({"GUILDHALL_DATABASE_URL": "sqlite:///x.db"}).database_url == (
        "sqlite:///x.db"
    )


def test_the_environment_variable_reaches_the_cli(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    db = tmp_path / "env.db"
    monkeypatch.setenv("GUILDHALL_DATABASE_URL", f"sqlite:///{db}")
    assert run(["case", "list"]) == 0
    assert "No cases yet" in capsys.readouterr().out
    assert db.exists()


def test_a_usage_error_exits_2(capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["case", "frobnicate"]) == 2
    assert "No such command" in capsys.readouterr().err


def test_duckdb_memory_limit_is_a_setting() -> None:
    assert Settings.from_env({}).duckdb_memory_limit is None
    limited = Settings.from_env({"GUILDHALL_DUCKDB_MEMORY_LIMIT": "1.6GiB"})
    assert limited.duckdb_memory_limit == "1.6GiB"


def test_the_memory_limit_reaches_duckdb() -> None:
    from guildhall.costing.backends import connect

    con = connect("duckdb", memory_limit="1GiB")
    limit = con.raw_sql("SELECT current_setting('memory_limit')").fetchone()[0]
    assert limit == "1.0 GiB"
