"""docs/cli.md is the commands' real --help, regenerated whenever a command changes."""

from __future__ import annotations

from pathlib import Path

from guildhall.cli.reference import reference

DOC = Path(__file__).resolve().parents[1] / "docs" / "cli.md"


def test_the_cli_reference_matches_the_commands() -> None:
    expected = reference()
    assert DOC.read_text(encoding="utf-8") == expected, (
        "docs/cli.md is out of date: python -m guildhall.cli.reference > docs/cli.md"
    )


def test_the_reference_covers_every_case_command() -> None:
    text = reference()
    for command in ("list", "load", "show", "add-event", "next"):
        assert f"## `guildhall case {command}`" in text
