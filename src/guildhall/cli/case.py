"""``guildhall case``: the bargaining record and its rules."""

from __future__ import annotations

import getpass
import sys
from datetime import date
from enum import StrEnum
from pathlib import Path

import typer

from guildhall.cli.context import database_url
from guildhall.cli.output import print_json

app = typer.Typer(
    help="Bargaining cases: the dated, sourced record and its rules.", no_args_is_help=True
)


class Format(StrEnum):
    text = "text"
    json = "json"


FORMAT = typer.Option(Format.text, "--format", help="text or json.")
CASE = typer.Argument(..., metavar="CASE", help="The case's id, e.g. sag-2008.")
RECORDED_BY = typer.Option(
    None, "--recorded-by", metavar="NAME", help="Who is recording (default: your login name)."
)


def _recorder(name: str | None) -> str:
    """The name given, else the login name of whoever runs the command."""
    if name is not None and name.strip():
        return name.strip()
    try:
        return getpass.getuser()
    except (OSError, KeyError):
        raise typer.BadParameter(
            "cannot tell your login name; say who is recording", param_hint="--recorded-by"
        ) from None


@app.command("list")
def list_cases(fmt: Format = FORMAT) -> None:
    """The cases in the store."""
    from guildhall.services import cases

    rows = cases.list_cases(database_url())
    if fmt is Format.json:
        print_json([{"id": i, "title": t, "events": n} for i, t, n in rows])
        return
    if not rows:
        typer.echo("No cases yet: guildhall case load cases/sag-2008/case.yaml")
    for case_id, title, count in rows:
        typer.echo(f"{case_id:<20} {count:>4} events  {title}")


@app.command("load")
def load(
    file: Path = typer.Argument(..., help="A case file (YAML)."),
    replace: bool = typer.Option(
        False, "--replace", help="Store a changed file as the case's next version."
    ),
    force: bool = typer.Option(
        False, "--force", help="Replace even when the file lacks events the stored case has."
    ),
    recorded_by: str | None = RECORDED_BY,
    fmt: Format = FORMAT,
) -> None:
    """Check a case file and store it; a bad file changes nothing. For a case already in
    the store, say what differs, and replace it only when asked (the earlier version is kept)."""
    from guildhall.cli.case_format import load_to_text
    from guildhall.services import cases
    from guildhall.services.case_views import load_to_json

    result = cases.load_case_file(
        database_url(), file, recorded_by=_recorder(recorded_by), replace=replace, force=force
    )
    if fmt is Format.json:
        print_json(load_to_json(result))
    else:
        typer.echo(load_to_text(result, file))
    if result.status == "differs":
        option = "--force" if result.needs_force else "--replace"
        sys.stderr.write(
            f"error: {result.case.id} in the store differs from {file}; nothing was replaced "
            f"({option} stores the file as version {result.version + 1} and keeps version "
            f"{result.version})\n"
        )
        raise typer.Exit(2)


@app.command("show")
def show(
    case_id: str = CASE,
    at_version: int | None = typer.Option(
        None,
        "--at-version",
        min=1,
        metavar="N",
        help="Show an earlier version of the case (guildhall case versions lists them).",
    ),
    fmt: Format = FORMAT,
) -> None:
    """The case's timeline with its sources, and the conflicts between sources."""
    from guildhall.cli.case_format import case_to_text
    from guildhall.services import cases
    from guildhall.services.case_views import case_to_json

    case, rulebook = cases.get_case_and_rules(database_url(), case_id, at_version)
    rules = cases.rulebook_summary(rulebook)
    if fmt is Format.json:
        print_json(case_to_json(case, rules))
    else:
        typer.echo(case_to_text(case, rules))


@app.command("versions")
def versions(case_id: str = CASE, fmt: Format = FORMAT) -> None:
    """Each version of the case loaded from its file: when, by whom, from which file."""
    from guildhall.cli.case_format import versions_to_text
    from guildhall.services import cases
    from guildhall.services.case_views import versions_to_json

    rows = cases.versions(database_url(), case_id)
    if fmt is Format.json:
        print_json(versions_to_json(rows))
    else:
        typer.echo(versions_to_text(case_id, rows))


@app.command("add-event")
def add_event(
    case_id: str = CASE,
    file: Path = typer.Argument(..., metavar="EVENT.yaml", help="The event file (YAML)."),
    recorded_by: str | None = RECORDED_BY,
    fmt: Format = FORMAT,
) -> None:
    """Append an event, if it passes a case file's checks and the rules allow it over the
    whole log. A correction names the event it corrects (corrects: ID)."""
    from guildhall.cli.case_format import event_recorded_text
    from guildhall.services import cases
    from guildhall.services.case_views import event_to_json

    event = cases.add_event_file(database_url(), case_id, file, recorded_by=_recorder(recorded_by))
    if fmt is Format.json:
        print_json(event_to_json(event))
    else:
        typer.echo(event_recorded_text(event))


@app.command("next")
def next_events(
    case_id: str = CASE,
    on: str | None = typer.Option(None, "--on", help="Judge as of this date (YYYY-MM-DD)."),
    fmt: Format = FORMAT,
) -> None:
    """Which events the rules allow now, and which they refuse and why."""
    from guildhall.cli.case_format import steps_to_text
    from guildhall.services import cases
    from guildhall.services.case_views import steps_to_json

    day = _day(on)
    case, steps = cases.steps(database_url(), case_id, day)
    if fmt is Format.json:
        print_json(steps_to_json(steps))
    else:
        typer.echo(steps_to_text(case, steps))


def _day(text: str | None) -> date | None:
    if text is None:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise typer.BadParameter(
            f"{text!r} is not a date (YYYY-MM-DD)", param_hint="--on"
        ) from None
