"""The CLI behaves as people expect: --version, --db anywhere, exit codes with one meaning
each, progress only on standard error, plain help, shell completion, a fast start."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from guildhall.cli.app import EXIT_CODES, command, run
from guildhall.cli.reference import reference

HEAVY = ("duckdb", "ibis", "pyspark", "matplotlib", "fastapi", "uvicorn", "coincurve", "nacl",
         "argon2", "weasyprint", "sqlalchemy", "alembic", "numpy", "pyarrow")  # fmt: skip
PYTHON_TYPE = re.compile(r"<[A-Za-z_][\w.\[\], |]*>|NoneType|\b(?:list|dict|tuple)\[")


def _commands(group: Any, path: list[str]) -> Iterator[tuple[list[str], Any]]:
    yield path, group
    for name, sub in sorted(getattr(group, "commands", {}).items()):
        yield from _commands(sub, [*path, name])


ALL = list(_commands(command(), []))


def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    from guildhall import __version__

    assert run(["--version"]) == 0
    assert capsys.readouterr().out == f"guildhall {__version__}\n"


@pytest.mark.parametrize("where", ["before", "after"])
def test_db_is_taken_before_or_after_the_subcommand(
    tmp_path: Path, where: str, capsys: pytest.CaptureFixture[str]
) -> None:
    store = tmp_path / "chosen.db"
    db = ["--db", f"sqlite:///{store}"]
    argv = [*db, "case", "list"] if where == "before" else ["case", "list", *db]
    assert run([*argv, "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out) == []
    assert store.exists()


def test_db_after_the_command_wins_over_the_one_before(tmp_path: Path) -> None:
    first, second = tmp_path / "first.db", tmp_path / "second.db"
    assert run(["--db", f"sqlite:///{first}", "case", "list", "--db", f"sqlite:///{second}"]) == 0
    assert second.exists() and not first.exists()


def test_every_command_takes_db_and_describes_every_parameter() -> None:
    undescribed = []
    for path, cmd in ALL:
        if not (cmd.help or "").strip():
            undescribed.append(" ".join(path) or "guildhall")
        names = [p.name for p in cmd.params]
        if not hasattr(cmd, "commands"):
            assert "db" in names, f"{' '.join(path)} does not take --db"
        for param in cmd.params:
            if not (getattr(param, "help", None) or "").strip():
                undescribed.append(f"{' '.join(path)} {param.name}")
    assert undescribed == []


@pytest.mark.parametrize("path", [p for p, _ in ALL], ids=lambda p: " ".join(p) or "guildhall")
def test_help_shows_no_python_types(path: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    assert run([*path, "--help"]) == 0
    text = capsys.readouterr().out
    assert "Usage:" in text
    assert PYTHON_TYPE.findall(text) == [], text


def test_the_reference_lists_the_exit_codes() -> None:
    text = reference()
    for code, meaning in EXIT_CODES.items():
        assert f"| {code} | {meaning} |" in text


def test_an_unexpected_failure_is_one_line_without_a_traceback(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from guildhall.services import terms

    def broken() -> object:
        raise RuntimeError("the agreements folder vanished\nsecond line")

    monkeypatch.setattr(terms, "list_terms", broken)
    assert run(["terms", "list"]) == 3
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.count("\n") == 1 and "Traceback" not in captured.err
    assert "RuntimeError: the agreements folder vanished" in captured.err
    assert "--debug" in captured.err
    assert run(["--debug", "terms", "list"]) == 3
    err = capsys.readouterr().err
    assert "Traceback" in err and "the agreements folder vanished" in err


def test_bad_input_is_2_and_found_false_is_1(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(["case", "frobnicate"]) == 2
    assert run(["terms", "show", "no-such-agreement"]) == 2
    board = tmp_path / "board.jsonl"
    board.write_text("")
    assert run(["ballots", "verify", str(board)]) in (1, 2)


def test_terms_check_takes_format_json(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["terms", "check", "--format", "json"]) == 0
    found = json.loads(capsys.readouterr().out)
    assert found["ok"] is True and "sag-2005" in found["agreements"] and found["problems"] == []
    bad = tmp_path / "bad.yaml"
    bad.write_text("id: [unclosed\n")
    assert run(["terms", "check", str(bad), "--format", "json"]) == 2
    found = json.loads(capsys.readouterr().out)
    assert found["ok"] is False and found["problems"]
    assert found["problems"][0]["where"]["file"].endswith("bad.yaml")


def test_progress_goes_to_standard_error_only(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "data"
    sizes = ["--members", "60", "--titles", "12", "--events", "300"]
    assert run(["data", "synth", str(out), *sizes]) == 0
    captured = capsys.readouterr()
    assert captured.out == f"wrote {out}\n"
    assert "events" in captured.err  # the bar, on standard error
    assert run(["cost", "wga-2008", "dga-2008", "--data", str(out), "--format", "json"]) == 0
    captured = capsys.readouterr()
    assert json.loads(captured.out)["agreements"][0]["id"] == "wga-2008"


def _guildhall(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "guildhall", *args],
        capture_output=True,
        text=True,
        env={**os.environ, **(env or {})},
        check=False,
        timeout=120,
    )


def test_the_cost_progress_bar_is_drawn_on_standard_error_in_a_terminal(tmp_path: Path) -> None:
    out = tmp_path / "data"
    sizes = ["--members", "60", "--titles", "12", "--events", "300"]
    assert run(["data", "synth", str(out), *sizes]) == 0
    done = _guildhall(
        "cost", "wga-2008", "--data", str(out), "--format", "json",
        env={"FORCE_COLOR": "1", "TTY_COMPATIBLE": "1", "TTY_INTERACTIVE": "1"},
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["agreements"][0]["id"] == "wga-2008"
    assert "amounts per production" in done.stderr or "costed" in done.stderr, done.stderr


def test_shell_completion_completes_commands_and_options() -> None:
    def complete(words: str) -> list[str]:
        cword = str(len(words.split()) - (0 if words.endswith(" ") else 1))
        done = _guildhall(
            env={"_GUILDHALL_COMPLETE": "complete_bash", "COMP_WORDS": words, "COMP_CWORD": cword}
        )
        assert done.returncode == 0, done.stderr
        return done.stdout.split()

    assert complete("guildhall ca") == ["case"]
    assert sorted(complete("guildhall case ")) == [
        "add-event",
        "list",
        "load",
        "next",
        "show",
        "versions",
    ]
    assert "--force" in complete("guildhall data synth --f")
    script = _guildhall("--show-completion", "bash")
    assert script.returncode == 0 and "_GUILDHALL_COMPLETE" in script.stdout


@pytest.mark.parametrize("argv", [["--help"], ["case", "--help"], ["ballots", "verify", "--help"]])
def test_help_loads_no_heavy_library(argv: list[str]) -> None:
    done = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "guildhall", *argv],
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    loaded = {
        line.split("|")[-1].strip().split(".")[0]
        for line in done.stderr.splitlines()
        if line.startswith("import time:")
    }
    assert "guildhall" in loaded and "typer" in loaded  # the measurement itself works
    assert sorted(loaded & set(HEAVY)) == []
