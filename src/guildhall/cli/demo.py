"""``guildhall demo``: the main job on embedded defaults."""

from __future__ import annotations

from pathlib import Path

import typer

from guildhall.cli.case_format import case_to_text
from guildhall.services import cases

DEMO_DB = Path("var/demo/guildhall.db")


def demo(
    store: Path = typer.Option(DEMO_DB, "--store", help="SQLite file for the demo (made afresh)."),
) -> None:
    """Load the sag-2008 case into a fresh SQLite store and print its timeline."""
    store.parent.mkdir(parents=True, exist_ok=True)
    store.unlink(missing_ok=True)
    url = f"sqlite:///{store}"
    case = cases.load_demo_case(url)
    _, rulebook = cases.get_case_and_rules(url, case.id)
    typer.echo(case_to_text(cases.get_case(url, case.id), cases.rulebook_summary(rulebook)))
    typer.echo("")
    typer.echo(f"Store: {url}. Try: guildhall --db {url} case next {case.id}")
