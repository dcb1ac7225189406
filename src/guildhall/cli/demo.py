"""``guildhall demo``: the main job on embedded defaults.

A fresh SQLite store with the ``sag-2008`` case, a generated data set (DuckDB over
Parquet), the three 2008 positions costed side by side, one account for each role of the
web app (passwords generated for this run and printed, never stored in a file), then the
web app over all of it.
"""

from __future__ import annotations

import os
from pathlib import Path

import typer

from guildhall.core.errors import InvalidInput
from guildhall.core.problems import Location, Problem

DEMO_DIR = Path("var/demo")
POSITIONS = ["sag-2005", "amptp-2008-final-offer", "sag-2008-threshold-proposals"]
DATA_SIZE = {"members": "20000", "titles": "4000", "events": "400000", "seed": "2008"}
MARK = ".guildhall-demo"
"""The file that says a folder is the demo's own: its store and chart are remade each run."""


def claim_folder(folder: Path, *, force: bool = False) -> None:
    """Make ``folder`` the demo's, or refuse one that holds anything not the demo's."""
    mark = folder / MARK
    if folder.exists() and not folder.is_dir():
        raise InvalidInput([Problem(Location(file=str(folder)), "is a file, not a folder")])
    if folder.is_dir() and not mark.exists() and any(folder.iterdir()) and not force:
        raise InvalidInput(
            [
                Problem(
                    Location(file=str(folder)),
                    "holds files that are not the demo's; they are never overwritten",
                    "name an empty or new --folder, or pass --force",
                )
            ]
        )
    folder.mkdir(parents=True, exist_ok=True)
    mark.write_text("This folder is guildhall demo's own: it remakes what is here.\n")


def demo(
    folder: Path = typer.Option(
        DEMO_DIR, "--folder", help="Where the demo keeps its store and data."
    ),
    serve: bool = typer.Option(True, "--serve/--no-serve", help="Start the web app afterwards."),
    host: str = typer.Option("127.0.0.1", "--host", help="Address to serve the web app on."),
    port: int = typer.Option(8000, "--port", help="Port to serve the web app on."),
    force: bool = typer.Option(
        False, "--force", help="Use a --folder that holds files not made by the demo."
    ),
) -> None:
    """Load sag-2008 into a fresh store, cost the 2008 offers over generated data, serve the app."""
    from guildhall.cli.app import run
    from guildhall.cli.case_format import case_to_text
    from guildhall.services import cases

    claim_folder(folder, force=force)
    store = folder / "guildhall.db"
    store.unlink(missing_ok=True)
    url = f"sqlite:///{store}"
    case = cases.load_demo_case(url)
    case, rulebook = cases.get_case_and_rules(url, case.id)
    typer.echo(case_to_text(case, cases.rulebook_summary(rulebook)))

    data = folder / "data"
    if not (data / "events").exists():
        typer.echo(f"\nGenerating a data set in {data} ...")
        sizes = [f"--{k}={v}" for k, v in DATA_SIZE.items()]
        _check(run(["data", "synth", str(data), *sizes, "--force"]))  # the demo's own
    typer.echo("\nWhat each position pays over that data (the first is the baseline):\n")
    chart = ["--chart", str(folder / "cost.png"), "--force"]  # the demo's own chart
    _check(run(["cost", *POSITIONS, "--data", str(data), *chart]))
    typer.echo(f"\nChart: {folder / 'cost.png'}")
    from guildhall.services.demo_accounts import add_demo_accounts

    made = add_demo_accounts(url, data)
    typer.echo(f"\nSign in at http://{host}:{port}/sign-in as any of these (this run only):\n")
    for a in made:
        member = f"  (member {a.member_id})" if a.member_id else ""
        typer.echo(f"  {a.role:<22} {a.email:<42} {a.password}{member}")
    typer.echo(f"\nOne-time sign-in links are written to {folder / 'mail'}")
    if not serve:
        typer.echo(f"Store: {url}. Serve it with: guildhall --db {url} serve")
        return
    os.environ["GUILDHALL_DATABASE_URL"] = url
    os.environ["GUILDHALL_DATA_DIR"] = str(data)
    os.environ["GUILDHALL_MAIL_DIR"] = str(folder / "mail")
    typer.echo(
        f"\nGuildhall is at http://{host}:{port}/ (the sag-2008 case:"
        f" http://{host}:{port}/cases/sag-2008; Ctrl-C stops it)"
    )
    import uvicorn

    uvicorn.run("guildhall.web.app:app_from_env", factory=True, host=host, port=port)


def _check(code: int) -> None:
    if code != 0:
        raise typer.Exit(code)
