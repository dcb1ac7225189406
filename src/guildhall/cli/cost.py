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
    """``[AGREEMENT:]PARAMETER=READING`` pairs; the key keeps the agreement prefix."""
    out = {}
    for value in values:
        name, _, reading = value.partition("=")
        if not reading or not name.rpartition(":")[2]:
            raise typer.BadParameter(f"{value!r}: write [AGREEMENT:]PARAMETER=READING")
        out[name] = reading
    return out


READING_HELP = (
    "AGREEMENT:PARAMETER=READING for an uncertain term of one agreement, or "
    "PARAMETER=READING for every agreement costed that has that reading (repeatable)."
)


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
    reading: list[str] = typer.Option([], "--reading", help=READING_HELP),
    force: bool = typer.Option(False, "--force", help="Replace a --chart file that exists."),
) -> None:
    """Cost each agreement and compare it with the first.

    Agreements are read from $GUILDHALL_AGREEMENTS if it is set (as ``terms`` reads
    them), else from the checkout's agreements/ folder."""
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
    for warning in result.warnings:
        typer.echo(f"warning: {warning}", err=True)
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
    sections = (("kind", result.by_kind), ("market", result.by_market), ("year", result.by_year))
    for section, table in sections:
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
    ids = [a["id"] for a in result.agreements]
    _table(echo, "By kind", result.by_kind, ids)
    _table(echo, "By market", result.by_market, ids, width=36)
    _table(echo, "By year", result.by_year, ids)
    for row in result.published:
        echo(
            f"What {row['agreement']} adds over {row['baseline']}, "
            f"{row['term'][0]} to {row['term'][1]}"
        )
        echo(
            f"  on this data set ({row['members']:,} members): {format_cents(row['change_cents'])}"
        )
        echo(
            f"  projected to {row['projected_members']:,} members: "
            f"{format_cents(row['projected_change_cents'])}"
        )
        echo(f"  published: {row['published']} ({row['note']}; {row['source']})")
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


def _table(
    echo: Any, title: str, table: dict[str, dict[str, int]], ids: list[str], width: int = 24
) -> None:
    echo(title)
    keys = sorted({k for values in table.values() for k in values})
    echo("  " + f"{'':<{width}}" + "".join(f"{i[:22]:>24}" for i in ids))
    for key in keys:
        cells = "".join(f"{format_cents(table.get(i, {}).get(key, 0)):>24}" for i in ids)
        echo(f"  {key:<{width}}{cells}")


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
    backend: str = typer.Option("duckdb", "--backend", help="duckdb or pyspark."),
    reading: list[str] = typer.Option([], "--reading", help=READING_HELP),
) -> None:
    """Show why one amount is owed: the term in the contract's words, the coverage facts,
    the arithmetic row by row, and each parameter with its source."""
    from guildhall.services import costing as service

    if output not in ("text", "json"):
        raise typer.BadParameter(f"--format is text or json, not {output!r}")
    try:
        period_start = date.fromisoformat(period)
    except ValueError:
        raise typer.BadParameter(f"--period must be YYYY-MM-DD, not {period!r}") from None
    found = service.explain_amount(
        agreement,
        data,
        production,
        period_start,
        kind,
        readings=_reading(reading),
        backend=backend,
    )
    for warning in found["warnings"]:
        typer.echo(f"warning: {warning}", err=True)
    if output == "json":
        print_json(found)
        return
    _explained(found, production, period, kind)


def _explained(found: dict[str, Any], production: int, period: str, kind: str) -> None:
    echo = typer.echo
    echo(f"{found['agreement']}: production {production}, period {period}, {kind}")
    echo(f"amount owed: {format_cents(found['amount_cents'])}")
    echo(f"the term: {found['contract']}")
    facts = found["coverage"]
    per_minute = facts["budget_per_minute_dollars"]
    echo(
        f"the production: {facts['medium']}, started {facts['production_start']}, budget "
        f"{format_cents(facts['budget_cents'])} for {facts['running_minutes']} minutes"
        + (f" (${per_minute:,} a minute)" if per_minute is not None else "")
        + f"; covered: {'yes' if facts['covered'] else 'no'}"
    )
    if "jurisdiction" in facts:
        j = facts["jurisdiction"]
        thresholds = ", ".join(f"{k} {v}" for k, v in j["thresholds"].items())
        echo(f"  jurisdiction: {j['scope']}, budget test {j['budget_test']} ({thresholds})")
        echo(f"  reading used: {j['reading']}")
    for name, cutoff in facts.get("cutoffs", {}).items():
        echo(f"  {name}: {cutoff['date']}  [{cutoff['source']}]")
    echo(f"formulas: {', '.join(found['formulas'])}")
    echo(f"arithmetic ({len(found['arithmetic'])} rows):")
    for step in found["arithmetic"]:
        echo(f"  {step['text']}")
    if found["rounding"]:
        echo(f"  {found['rounding']}")
    echo("parameters:")
    for p in found["parameters"]:
        echo(f"  {p['name']} = {p['shown']}  [{p['source']}]")
    echo(f"performers ({len(found['credits'])}):")
    for c in found["credits"]:
        minimum = c.get("applicable_minimum_cents")
        shown = f", minimum {format_cents(minimum[0])}" if minimum else ""
        echo(f"  {c['performer_id']}: {c['category']}, {c['units']} units{shown}")
    echo(f"input rows ({len(found['inputs'])}):")
    for row in found["inputs"]:
        echo("  " + ", ".join(f"{k}={v}" for k, v in row.items()))
