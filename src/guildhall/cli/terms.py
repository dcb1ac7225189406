"""``guildhall terms``: list, show, compare and check agreements and offers."""

from __future__ import annotations

import datetime as dt
import textwrap
from pathlib import Path
from typing import Any

import typer

from guildhall.cli.output import print_json, print_problems
from guildhall.core.errors import InvalidInput
from guildhall.core.problems import Location, Problem

app = typer.Typer(
    help="Agreements and offers as dated, sourced terms: list, show, diff, check.",
    no_args_is_help=True,
)

FORMAT = typer.Option("text", "--format", help="text or json.")


def _check_format(output: str) -> None:
    if output not in ("text", "json"):
        raise InvalidInput([Problem(Location(field="--format"), f"unknown format {output!r}")])


def _parse_day(text: str | None) -> dt.date | None:
    if text is None:
        return None
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise InvalidInput(
            [Problem(Location(field="--on"), f"{text!r} is not a date written YYYY-MM-DD")]
        ) from None


def _parse_readings(pairs: list[str]) -> dict[str, str]:
    out: dict[str, str] = {}
    for pair in pairs:
        name, sep, reading = pair.partition("=")
        if not sep or not name or not reading:
            raise InvalidInput(
                [Problem(Location(field="--reading"), f"{pair!r} is not PARAMETER=READING")]
            )
        out[name] = reading
    return out


def _source_lines(value: dict[str, Any], indent: str) -> list[str]:
    source = value["source"]
    where = source["section"] or source["url"]
    lines = [f"{indent}source: {source['document']}" + (f", {where}" if where else "")]
    quote = textwrap.fill(
        f"“{source['quote']}”",
        width=96,
        initial_indent=indent + "  ",
        break_on_hyphens=False,
        subsequent_indent=indent + "  ",
    )
    lines.append(quote)
    if value.get("derived"):
        lines.append(f"{indent}derived: {value['derived']}")
    return lines


def _value_lines(parameter: dict[str, Any], indent: str) -> list[str]:
    lines: list[str] = []
    if not parameter["values"]:
        lines.append(f"{indent}(no settled value)")
    for value in parameter["values"]:
        start = value["from"].isoformat() if value["from"] else "…"
        end = value["to"].isoformat() if value["to"] else "…"
        lines.append(f"{indent}{value['shown']}   [{start} to {end}]")
        lines.extend(_source_lines(value, indent + "  "))
    if parameter["status"] == "uncertain":
        lines.append(f"{indent}UNCERTAIN: {parameter.get('missing', '')}")
    for name, reading in parameter.get("readings", {}).items():
        shown = ", ".join(v["shown"] for v in reading["values"])
        lines.append(f"{indent}reading {name}: {shown} — {reading['description']}")
    return lines


@app.command("list")
def list_command(output: str = FORMAT) -> None:
    """List every agreement and offer."""
    from guildhall.services import terms as service

    _check_format(output)
    rows = service.list_terms()
    if output == "json":
        print_json(rows)
        return
    for row in rows:
        base = f"  (based on {row['based_on']})" if row["based_on"] else ""
        typer.echo(f"{row['id']:<30} {row['kind']:<20} {row['status']:<10} {row['name']}{base}")


@app.command("show")
def show_command(
    agreement: str = typer.Argument(..., help="An agreement id or a path to its file."),
    on: str | None = typer.Option(None, "--on", help="Show only the values in force on this date."),
    reading: list[str] = typer.Option(
        [], "--reading", help="PARAMETER=READING: use a named reading of an uncertain term."
    ),
    output: str = FORMAT,
) -> None:
    """Show an agreement: identity, formulas, and every term with its source."""
    from guildhall.services import terms as service

    _check_format(output)
    data = service.show_terms(agreement, _parse_day(on), _parse_readings(reading))
    if output == "json":
        print_json(data)
        return
    term = data["term"]
    typer.echo(f"{data['id']}: {data['name']}")
    typer.echo(
        f"  {data['kind']}, {data['status']}; {data['guild']} with {', '.join(data['employers'])}"
    )
    typer.echo(f"  term: {term['from'] or '…'} to {term['to'] or '…'}")
    if data["based_on"]:
        typer.echo(f"  based on: {data['based_on']}")
    if data["missing"]:
        typer.echo(f"  UNCERTAIN: {data['missing']}")
    for file in data["files"]:
        typer.echo(f"  file: {file['path']} sha256:{file['sha256'][:16]}")
    typer.echo(f"  formulas: {', '.join(data['formulas']) or '(none)'}")
    for parameter in data["parameters"]:
        typer.echo(f"\n{parameter['name']} ({parameter['unit']}) — {parameter['description']}")
        typer.echo(f"  from {parameter['file']}")
        for line in _value_lines(parameter, "  "):
            typer.echo(line)


@app.command("diff")
def diff_command(
    a: str = typer.Argument(..., help="The agreement to compare from."),
    b: str = typer.Argument(..., help="The agreement to compare to."),
    output: str = FORMAT,
) -> None:
    """Compare two agreements term by term, with both sources side by side."""
    from guildhall.services import terms as service

    _check_format(output)
    data = service.diff_terms(a, b)
    if output == "json":
        print_json(data)
        return
    typer.echo(f"{data['a']} → {data['b']}")
    for row in data["identity"]:
        typer.echo(f"  {row['field']}: {row['a']} → {row['b']}")
    for name in data["formulas"]["added"]:
        typer.echo(f"  formula added: {name}")
    for name in data["formulas"]["removed"]:
        typer.echo(f"  formula removed: {name}")
    if not data["parameters"]:
        typer.echo("  no term changes")
    for change in data["parameters"]:
        read_by = f"; read by {', '.join(change['read_by'])}" if change["read_by"] else ""
        typer.echo(f"\n{change['change']} {change['name']} ({change['unit']}{read_by})")
        for side, key in ((data["a"], "before"), (data["b"], "after")):
            typer.echo(f"  {side}:")
            if change[key] is None:
                typer.echo("    (not in this agreement)")
                continue
            for line in _value_lines(change[key], "    "):
                typer.echo(line)


@app.command("check")
def check_command(
    path: Path | None = typer.Argument(None, help="A file or folder (default: agreements/)."),
    output: str = FORMAT,
) -> int:
    """Check agreement files; exit 2 on any problem, each with file:line:column."""
    from guildhall.services import terms as service

    _check_format(output)
    ids, problems = service.check_terms(path)
    if output == "json":
        print_json(
            {"ok": not problems, "agreements": ids, "problems": [p.as_dict() for p in problems]}
        )
        return 2 if problems else 0
    if problems:
        print_problems(problems)
        typer.echo(f"{len(problems)} problem(s)", err=True)
        return 2
    typer.echo(f"ok: {len(ids)} agreement(s) checked: {', '.join(ids)}")
    return 0


@app.command("formulas")
def formulas_command(output: str = FORMAT) -> None:
    """List the formula catalogue: what each formula reads and returns."""
    from guildhall.services import terms as service

    _check_format(output)
    rows = service.formula_catalogue()
    if output == "json":
        print_json(rows)
        return
    for row in rows:
        typer.echo(f"{row['name']} → {row['returns']}: {row['summary']}")
        typer.echo(f"  parameters: {', '.join(row['reads_parameters'])}")
        typer.echo(f"  inputs: {', '.join(row['reads_inputs'])}")
