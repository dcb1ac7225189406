"""``guildhall data``: generate a calibrated data set, or import one from CSV or Parquet."""

from __future__ import annotations

from pathlib import Path

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from guildhall.costing.data.synth import SynthSpec
from guildhall.services import costing as service

app = typer.Typer(
    help="Make or import the revenue data that costing runs on.", no_args_is_help=True
)


@app.command()
def synth(
    out: Path = typer.Argument(..., help="Folder to write (replaced if it exists)."),
    members: int = typer.Option(120_000, help="Members of the guild."),
    titles: int = typer.Option(20_000, help="Productions."),
    events: int = typer.Option(1_000_000, help="Revenue events."),
    seed: int = typer.Option(0, help="Seed: the same seed gives the same files."),
) -> None:
    """Generate a deterministic data set calibrated to public figures (docs/data.md)."""
    spec = SynthSpec(members=members, titles=titles, events=events, seed=seed)
    credits_estimate = titles * 60
    with Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        transient=False,
    ) as bar:
        totals = {"productions": titles, "members": members, "credits": credits_estimate}
        totals["events"] = events
        tasks = {name: bar.add_task(name, total=total) for name, total in totals.items()}

        def advance(table: str, rows: int) -> None:
            bar.advance(tasks[table], rows)

        service.synth_data(out, spec, advance)
        bar.update(tasks["credits"], total=bar.tasks[tasks["credits"]].completed)
    typer.echo(f"wrote {out}")


@app.command(name="import")
def import_(
    src: Path = typer.Argument(..., help="Folder with productions, credits, members, events."),
    out: Path = typer.Argument(..., help="Folder to write the checked tables to."),
    quarantine: Path | None = typer.Option(
        None, "--quarantine", help="Write good rows and send every bad row to this CSV file."
    ),
) -> None:
    """Check every row and write the tables as Parquet; any problem writes nothing."""
    report = service.import_data_set(src, out, quarantine)
    for table, rows in report.written.items():
        typer.echo(f"{table}: {rows} rows")
    if report.problems:
        typer.echo(
            f"{len(report.problems)} problems in {report.quarantined_rows} rows"
            f" quarantined to {quarantine}",
            err=True,
        )
