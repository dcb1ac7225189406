"""``guildhall data``: generate a calibrated data set, or import one from CSV or Parquet."""

from __future__ import annotations

from pathlib import Path

import typer

from guildhall.cli.progress import progress_bar

app = typer.Typer(
    help="Make or import the revenue data that costing runs on.", no_args_is_help=True
)

FORCE = typer.Option(False, "--force", help="Replace output that exists already.")


@app.command()
def synth(
    out: Path = typer.Argument(
        ..., help="Folder to write; one with anything in it is refused unless --force."
    ),
    members: int = typer.Option(120_000, help="Members of the guild."),
    titles: int = typer.Option(20_000, help="Productions."),
    events: int = typer.Option(1_000_000, help="Revenue events."),
    seed: int = typer.Option(0, help="Seed: the same seed gives the same files."),
    force: bool = FORCE,
) -> None:
    """Generate a deterministic data set calibrated to public figures (docs/data.md)."""
    from guildhall.costing.data.synth import SynthSpec
    from guildhall.files.output import refuse_existing
    from guildhall.services import costing as service

    refuse_existing(out, force=force, folder=True)
    spec = SynthSpec(members=members, titles=titles, events=events, seed=seed)
    totals = {"productions": titles, "members": members, "credits": titles * 60, "events": events}
    with progress_bar() as bar:
        tasks = {name: bar.add_task(name, total=total) for name, total in totals.items()}

        def advance(table: str, rows: int) -> None:
            bar.advance(tasks[table], rows)

        service.synth_data(out, spec, advance, force=force)
        bar.update(tasks["credits"], total=bar.tasks[tasks["credits"]].completed)
    typer.echo(f"wrote {out}")


@app.command(name="import")
def import_(
    src: Path = typer.Argument(..., help="Folder with productions, credits, members, events."),
    out: Path = typer.Argument(
        ..., help="Folder to write the checked tables to; refused if it has anything in it."
    ),
    quarantine: Path | None = typer.Option(
        None, "--quarantine", help="Write good rows and send every bad row to this CSV file."
    ),
    force: bool = FORCE,
) -> None:
    """Check every row and write the tables as Parquet; any problem writes nothing."""
    from guildhall.services import costing as service

    report = service.import_data_set(src, out, quarantine, force=force)
    for table, rows in report.written.items():
        typer.echo(f"{table}: {rows} rows")
    if report.problems:
        typer.echo(
            f"{len(report.problems)} problems in {report.quarantined_rows} rows"
            f" quarantined to {quarantine}",
            err=True,
        )
