"""``guildhall cost``: what each agreement pays over a data set, side by side.

``guildhall cost AGREEMENT... --data DIR`` compares agreements (the first is the
baseline); ``guildhall cost explain AGREEMENT --data DIR --production ID --period DATE
--kind KIND`` shows why one amount is owed.
"""

from __future__ import annotations

import csv
import sys
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer
from typer.core import TyperGroup

from guildhall.cli.output import print_json
from guildhall.cli.progress import progress_bar
from guildhall.core.money import format_cents

if TYPE_CHECKING:
    from guildhall.costing.compare import Comparison


class _CostGroup(TyperGroup):
    """A group whose default command is ``run``: ``cost A B`` means ``cost run A B``."""

    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:
        if args and args[0] not in self.commands and args[0] not in ("--help", "-h"):
            args = ["run", *args]
        return super().parse_args(ctx, args)


app = typer.Typer(
    cls=_CostGroup,
    help="Cost agreements over revenue data: AGREEMENT... --data DIR, or explain.",
    no_args_is_help=True,
)


def _reading(values: list[str]) -> dict[str, str]:
    out = {}
    for value in values:
        name, _, reading = value.partition("=")
        if not reading:
            raise typer.BadParameter(f"{value!r}: write PARAMETER=READING")
        out[name] = reading
    return out


@app.command(name="run")
def run(
    agreements: list[str] = typer.Argument(..., help="Agreement ids; the first is the baseline."),
    data: Path = typer.Option(..., "--data", help="The data set folder."),
    output: str = typer.Option("text", "--format", help="text, json or csv."),
    chart: Path | None = typer.Option(
        None, "--chart", help="Write charts to FILE.png or .html (refused if it exists)."
    ),
    performer: int | None = typer.Option(None, "--performer", help="One member's projection."),
    backend: str = typer.Option("duckdb", "--backend", help="duckdb or pyspark."),
    reading: list[str] = typer.Option(
        [], "--reading", help="PARAMETER=READING for an uncertain term (repeatable)."
    ),
    force: bool = typer.Option(False, "--force", help="Replace a --chart file that exists."),
) -> None:
    """Cost each agreement and compare it with the first."""
    from guildhall.services import costing as service

    if output not in ("text", "json", "csv"):
        raise typer.BadParameter(f"--format is text, json or csv, not {output!r}")
    if chart is not None:
        service.check_chart_target(chart, force=force)  # before the costing, not after
    with progress_bar(transient=True) as bar:
        task = bar.add_task("costing", total=None)

        def step(what: str, done: int, total: int) -> None:
            bar.update(task, description=what, completed=done, total=total)

        result = service.cost_agreements(
            agreements,
            data,
            backend=backend,
            performer_id=performer,
            readings=_reading(reading),
            progress=step,
        )
        if chart is not None:
            bar.update(task, description=f"writing {chart}")
            service.write_chart(result, chart, force=force)
    if output == "json":
        print_json(result.as_dict())
    elif output == "csv":
        _csv(result)
    else:
        _text(result)


def _csv(result: Comparison) -> None:
    writer = csv.writer(sys.stdout)
    writer.writerow(["agreement", "section", "key", "amount_cents"])
    for row in result.agreements:
        writer.writerow([row["id"], "total", "", row["total_cents"]])
    for section, table in (("kind", result.by_kind), ("year", result.by_year)):
        for agreement, values in table.items():
            for key, cents in sorted(values.items()):
                writer.writerow([agreement, section, key, cents])


def _text(result: Comparison) -> None:
    echo = typer.echo
    echo("Total cost")
    for row in result.agreements:
        change = (
            "baseline"
            if row is result.agreements[0]
            else (f"{format_cents(row['change_cents'])} ({row['change_percent']}%)")
        )
        echo(f"  {row['id']:<36} {format_cents(row['total_cents']):>20}  {change}")
    _table(echo, "By kind", result.by_kind, [a["id"] for a in result.agreements])
    _table(echo, "By year", result.by_year, [a["id"] for a in result.agreements])
    echo("Made-for-new-media productions covered, by jurisdiction reading")
    for row in result.coverage:
        readings = ", ".join(f"{k}: {v}" for k, v in row["covered"].items())
        echo(f"  {row['agreement']:<36} of {row['new_media_productions']}: {readings}")
    for offer in result.distribution:
        _distribution(echo, offer)
    if result.performer is not None:
        echo(f"Performer {result.performer['performer_id']}")
        for row in result.performer["agreements"]:
            echo(f"  {row['id']:<36} {format_cents(row['total_cents']):>20}")
    echo(
        f"data sha256 {result.provenance['data']['sha256']}; guildhall "
        f"{result.provenance['guildhall_version']}"
    )


def _table(echo: Any, title: str, table: dict[str, dict[str, int]], ids: list[str]) -> None:
    echo(title)
    keys = sorted({k for values in table.values() for k in values})
    echo("  " + f"{'':<24}" + "".join(f"{i[:22]:>24}" for i in ids))
    for key in keys:
        cells = "".join(f"{format_cents(table.get(i, {}).get(key, 0)):>24}" for i in ids)
        echo(f"  {key:<24}{cells}")


def _distribution(echo: Any, offer: dict[str, Any]) -> None:
    from guildhall.costing.compare import BANDS

    echo(f"Per performer: {offer['agreement']} against {offer['baseline']}")
    echo("  decile  members   mean change  median change  " + "  ".join(b[:12] for b in BANDS))
    for row in [*offer["deciles"], {**offer["all"], "decile": "all"}]:
        bands = "  ".join(f"{row['bands'][b]:>12}" for b in BANDS)
        echo(
            f"  {row['decile']!s:>6} {row['members']:>8}"
            f" {format_cents(row['mean_change_cents']):>13}"
            f" {format_cents(row['median_change_cents']):>14}  {bands}"
        )


@app.command(name="explain")
def explain(
    agreement: str = typer.Argument(..., help="Agreement id."),
    data: Path = typer.Option(..., "--data", help="The data set folder."),
    production: int = typer.Option(..., "--production", help="Production id."),
    period: str = typer.Option(..., "--period", help="Period start, YYYY-MM-DD."),
    kind: str = typer.Option(..., "--kind", help="Kind of payment, e.g. rental."),
    output: str = typer.Option("text", "--format", help="text or json."),
) -> None:
    """Print the formula, the parameter values with their sources, and the input rows."""
    from guildhall.services import costing as service

    try:
        period_start = date.fromisoformat(period)
    except ValueError:
        raise typer.BadParameter(f"--period must be YYYY-MM-DD, not {period!r}") from None
    found = service.explain_amount(agreement, data, production, period_start, kind)
    if output == "json":
        print_json(found)
        return
    echo = typer.echo
    echo(f"{found['agreement']}: production {production}, period {period}, {kind}")
    echo(f"amount owed: {format_cents(found['amount_cents'])}")
    echo(f"formulas: {', '.join(found['formulas'])}")
    echo(found["formula"])
    echo("parameters:")
    for p in found["parameters"]:
        echo(f"  {p['name']} = {p['value']}  [{p['source']}]")
    echo(f"input rows ({len(found['inputs'])}):")
    for row in found["inputs"]:
        echo("  " + ", ".join(f"{k}={v}" for k, v in row.items()))
