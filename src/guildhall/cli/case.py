"""``guildhall case``: the bargaining record and its rules."""

from __future__ import annotations

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
def load(file: Path = typer.Argument(..., help="A case file (YAML).")) -> None:
    """Check a case file and store it; a bad file changes nothing."""
    from guildhall.services import cases

    case = cases.load_case_file(database_url(), file)
    typer.echo(f"loaded {case.id}: {len(case.events)} events, {len(case.conflicts)} conflicts")


@app.command("show")
def show(
    case_id: str = CASE,
    fmt: Format = FORMAT,
) -> None:
    """The case's timeline with its sources, and the conflicts between sources."""
    from guildhall.cli.case_format import case_to_text
    from guildhall.services import cases
    from guildhall.services.case_views import case_to_json

    case, rulebook = cases.get_case_and_rules(database_url(), case_id)
    rules = cases.rulebook_summary(rulebook)
    if fmt is Format.json:
        print_json(case_to_json(case, rules))
    else:
        typer.echo(case_to_text(case, rules))


@app.command("add-event")
def add_event(
    case_id: str = CASE,
    file: Path = typer.Argument(..., metavar="EVENT.yaml", help="The event file (YAML)."),
) -> None:
    """Append an event, if the case's rules allow it now."""
    from guildhall.services import cases

    event = cases.add_event_file(database_url(), case_id, file)
    typer.echo(f"recorded #{event.seq}: {event.date.isoformat()} {event.kind}")


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
