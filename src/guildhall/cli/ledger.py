"""``guildhall ledger``: what employers owe against what they paid, and the claims that follow.

The services (and the libraries under them: Ibis, DuckDB, Typst) are imported inside each
command, so that ``guildhall --help`` stays light.
"""

from __future__ import annotations

import csv
import getpass
import io
import sys
from datetime import date
from pathlib import Path
from typing import Any

import typer

from guildhall.cli.context import database_url
from guildhall.cli.output import dumps, print_json
from guildhall.core.errors import InvalidInput
from guildhall.core.money import format_cents
from guildhall.core.problems import Location, Problem

app = typer.Typer(
    help="What employers owe, what they paid, shortfalls and claims.", no_args_is_help=True
)
obligations_app = typer.Typer(
    help="Obligations in effect; record them from a costing or a force majeure suspension.",
    invoke_without_command=True,
)
remittances_app = typer.Typer(
    help="What employers paid: import remittance files.", no_args_is_help=True
)
app.add_typer(obligations_app, name="obligations")
app.add_typer(remittances_app, name="remittances")

FORMAT = typer.Option("text", "--format", help="text or json.")
BY = typer.Option(None, "--by", help="Who records this (default: the login name).")


def _by(by: str | None) -> str:
    return by or getpass.getuser()


def _format(value: str, allowed: tuple[str, ...] = ("text", "json")) -> str:
    if value not in allowed:
        raise InvalidInput(
            [Problem(Location(field="--format"), f"{value!r} is not one of {', '.join(allowed)}")]
        )
    return value


def _day(value: str | None, option: str) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise InvalidInput(
            [Problem(Location(field=option), f"{value!r} is not a date written YYYY-MM-DD")]
        ) from None


def _entry_line(e: Any) -> str:
    who = "-" if e.performer_id is None else str(e.performer_id)
    when = e.due_on or e.paid_on
    mark = f" reverses {e.reverses}" if e.reverses else ""
    return (
        f"{e.seq:>6}  {e.employer:<24} {e.production_id or '-':>8} {who:>8} "
        f"{e.period_start or '-'}  {e.payment_kind or '-':<22} {format_cents(e.amount_cents):>14}"
        f"  {when or '-'}{mark}"
    )


def _entry_json(e: Any) -> dict[str, Any]:
    return {
        "seq": e.seq,
        "key": e.key,
        "kind": e.kind,
        "employer": e.employer,
        "agreement": e.agreement,
        "production": e.production_id,
        "performer": e.performer_id,
        "period": e.period_start,
        "payment_kind": e.payment_kind,
        "amount_cents": e.amount_cents,
        "due_on": e.due_on,
        "paid_on": e.paid_on,
        "reference": e.reference,
        "claim": e.claim_id,
        "reverses": e.reverses,
        "source": e.source,
        "by": e.by,
        "recorded_at": e.recorded_at,
        "details": e.details,
    }


@obligations_app.callback()
def obligations(
    ctx: typer.Context,
    employer: str | None = typer.Option(None, "--employer", help="Only this employer's."),
    output: str = FORMAT,
) -> None:
    """List the obligations in effect (neither reversed nor reversals)."""
    if ctx.invoked_subcommand is not None:
        return
    from guildhall.services import ledger as service

    _format(output)
    found = service.obligations_in_effect(database_url(), employer=employer)
    if output == "json":
        print_json([_entry_json(e) for e in found])
        return
    for entry in found:
        typer.echo(_entry_line(entry))
    typer.echo(f"{len(found)} obligations, {format_cents(sum(e.amount_cents for e in found))}")


def _print_recorded(result: Any, output: str) -> None:
    if output == "json":
        print_json(result.as_dict())
        return
    typer.echo(f"{result.added} entries added, {result.already} already in the journal")


@obligations_app.command("record")
def obligations_record(
    agreement: str | None = typer.Argument(
        None, help="The agreement in force for these periods (or --case)."
    ),
    case: str | None = typer.Option(
        None, "--case", help="Take each period's agreement from this case's events."
    ),
    data: Path = typer.Option(..., "--data", help="The data set folder to cost."),
    start: str | None = typer.Option(
        None, "--from", help="First period (default: the term's start; with --case, the data's)."
    ),
    end: str | None = typer.Option(
        None, "--to", help="Last period (default: the term's end; with --case, the data's)."
    ),
    by: str | None = BY,
    output: str = FORMAT,
) -> None:
    """Cost the agreement in force over the data set and record its obligations per
    performer: AGREEMENT for every period, or, with --case, the agreement the case's
    events put in force in each period."""
    from guildhall.services import ledger as service

    _format(output)
    if (agreement is None) == (case is None):
        what = "both AGREEMENT and --case" if case else "neither AGREEMENT nor --case"
        raise InvalidInput(
            [
                Problem(
                    Location(field="--case"),
                    f"{what} given: name the agreement in force, or the case whose events say "
                    "which agreement was in force in each period, not both",
                )
            ]
        )
    first, last = _day(start, "--from"), _day(end, "--to")
    if case is not None:
        result = service.record_case_obligations(
            database_url(), case, data, start=first, end=last, by=_by(by)
        )
    else:
        assert agreement is not None
        result = service.record_costed_obligations(
            database_url(), agreement, data, start=first, end=last, by=_by(by)
        )
    _print_recorded(result, output)


@obligations_app.command("in-force")
def obligations_in_force(
    case: str = typer.Option(..., "--case", help="The case whose events to read."),
    start: str = typer.Option(..., "--from", help="First period (YYYY-MM-DD)."),
    end: str = typer.Option(..., "--to", help="Last period (YYYY-MM-DD)."),
    output: str = FORMAT,
) -> None:
    """Which agreement the case's events put in force in each quarter, and why; a quarter
    without one agreement on every day of it is named (exit 2)."""
    from guildhall.services import ledger_in_force as service

    _format(output)
    first, last = _day(start, "--from"), _day(end, "--to")
    assert first is not None and last is not None
    answers, problems = service.agreements_in_force(database_url(), case, first, last)
    if output == "json":
        print_json(
            {
                "case": case,
                "periods": [a.as_dict() for a in answers],
                "problems": [p.as_dict() for p in problems],
            }
        )
    else:
        for answer in answers:
            events = ", ".join(e.label() for e in answer.events)
            typer.echo(f"{answer.period_start}  {answer.agreement:<24} {events}")
            typer.echo(f"            {answer.reason}")
    if problems:
        raise InvalidInput(problems)


@obligations_app.command("force-majeure")
def obligations_force_majeure(
    file: Path = typer.Argument(..., help="A suspension file (YAML)."),
    by: str | None = BY,
    output: str = FORMAT,
) -> None:
    """Record the force majeure pay a suspension creates for each regular it held."""
    from guildhall.services import ledger as service

    _format(output)
    _print_recorded(service.record_force_majeure(database_url(), file, by=_by(by)), output)


@remittances_app.command("import")
def remittances_import(
    file: Path = typer.Argument(..., help="A remittance file, .csv or .parquet."),
    quarantine: Path | None = typer.Option(
        None, "--quarantine", help="Import the good rows and write every bad row to this CSV."
    ),
    force: bool = typer.Option(False, "--force", help="Replace the quarantine file if it exists."),
    by: str | None = BY,
    output: str = FORMAT,
) -> None:
    """Check every row; with any bad row and no --quarantine, import nothing (exit 2)."""
    from guildhall.services import ledger as service

    _format(output)
    result = service.import_remittances(
        database_url(), file, quarantine=quarantine, force=force, by=_by(by)
    )
    if output == "json":
        print_json(result.as_dict())
        return
    typer.echo(
        f"{file}: {result.rows} rows; {result.added} remittances added, "
        f"{result.already} already in the journal"
    )
    if result.added == 0 and result.already and not result.quarantined:
        typer.echo("nothing new: every remittance in the file was imported before")
    if result.quarantined:
        typer.echo(
            f"{len(result.problems)} problems in {result.quarantined} rows quarantined to "
            f"{result.quarantine}",
            err=True,
        )


@remittances_app.command("list")
def remittances_list(
    employer: str | None = typer.Option(None, "--employer", help="Only this employer's."),
    output: str = FORMAT,
) -> None:
    """The remittances in the journal, reversals included."""
    from guildhall.services import ledger as service

    _format(output)
    found = service.journal_entries(database_url(), kind="remittance", employer=employer)
    if output == "json":
        print_json([_entry_json(e) for e in found])
        return
    for entry in found:
        typer.echo(f"{_entry_line(entry)}  {entry.reference or ''}")


@app.command("reverse")
def reverse(
    entry: int = typer.Argument(..., help="The number of the entry to reverse."),
    reason: str = typer.Option(..., "--reason", help="Why; kept with the reversing entry."),
    by: str | None = BY,
    output: str = FORMAT,
) -> None:
    """Correct an entry: append one that cancels it. Nothing is ever edited or removed."""
    from guildhall.services import ledger as service

    _format(output)
    made = service.reverse_entry(database_url(), entry, reason=reason, by=_by(by))
    if output == "json":
        print_json(_entry_json(made))
        return
    typer.echo(f"entry {made.seq} reverses entry {made.reverses}")


@app.command("balances")
def balances(
    as_of: str | None = typer.Option(None, "--as-of", help="Due and paid on or before this day."),
    output: str = FORMAT,
) -> None:
    """Owed, paid and outstanding per employer, summed from the journal."""
    from guildhall.services import ledger as service

    _format(output)
    found = service.balances(database_url(), _day(as_of, "--as-of"))
    if output == "json":
        print_json(
            [
                {
                    "employer": b.employer,
                    "owed_cents": b.owed_cents,
                    "paid_cents": b.paid_cents,
                    "outstanding_cents": b.outstanding_cents,
                }
                for b in found
            ]
        )
        return
    for b in found:
        typer.echo(
            f"{b.employer:<30} owed {format_cents(b.owed_cents):>16}  paid "
            f"{format_cents(b.paid_cents):>16}  outstanding {format_cents(b.outstanding_cents):>16}"
        )


def _reconcile_text(result: dict[str, Any]) -> str:
    lines = [f"Reconciliation as of {result['as_of']}"]
    sections = (
        ("shortfalls", "unpaid_cents", "unpaid"),
        ("late", "late_cents", "paid late"),
        ("overpayments", "overpaid_cents", "overpaid"),
    )
    for name, amount, label in sections:
        rows = result[name]
        lines.append(f"\n{name} ({len(rows)})")
        for r in rows:
            interest = r.get("interest_cents")
            extra = f", interest {format_cents(interest)}" if interest is not None else ""
            lines.append(
                f"  {r['employer']}  production {r['production']}  {r['period']}  {r['kind']}: "
                f"owed {format_cents(r['owed_cents'])}, {label} {format_cents(r[amount])}{extra}"
            )
    lines.append(f"\nunmatched remittances ({len(result['unmatched'])})")
    for r in result["unmatched"]:
        lines.append(
            f"  {r['employer']} {r['reference']}: {format_cents(r['amount_cents'])} for "
            f"production {r['production']} {r['period']} {r['kind']}: {r['why']}"
        )
    totals = result["totals"]
    lines.append(
        f"\nunpaid {format_cents(totals['unpaid_cents'])}; interest "
        f"{format_cents(totals['interest_on_unpaid_cents'] + totals['interest_on_late_cents'])}; "
        f"overpaid {format_cents(totals['overpaid_cents'])}; unmatched "
        f"{format_cents(totals['unmatched_cents'])}"
    )
    lines.append(f"allocation: {result['allocation']}")
    return "\n".join(lines) + "\n"


def _reconcile_csv(result: dict[str, Any]) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(
        [
            "finding",
            "employer",
            "production",
            "period",
            "kind",
            "owed_cents",
            "paid_cents",
            "amount_cents",
            "interest_cents",
            "due_on",
            "reference",
        ]
    )
    for r in result["shortfalls"]:
        writer.writerow(
            [
                "shortfall",
                r["employer"],
                r["production"],
                r["period"],
                r["kind"],
                r["owed_cents"],
                r["paid_cents"],
                r["unpaid_cents"],
                r["interest_cents"],
                r["due_on"],
                "",
            ]
        )
    for r in result["late"]:
        writer.writerow(
            [
                "late",
                r["employer"],
                r["production"],
                r["period"],
                r["kind"],
                r["owed_cents"],
                "",
                r["late_cents"],
                r["interest_cents"],
                r["due_on"],
                "",
            ]
        )
    for r in result["overpayments"]:
        writer.writerow(
            [
                "overpayment",
                r["employer"],
                r["production"],
                r["period"],
                r["kind"],
                r["owed_cents"],
                r["paid_cents"],
                r["overpaid_cents"],
                "",
                "",
                "",
            ]
        )
    for r in result["unmatched"]:
        writer.writerow(
            [
                "unmatched",
                r["employer"],
                r["production"],
                r["period"],
                r["kind"],
                "",
                "",
                r["amount_cents"],
                "",
                "",
                r["reference"],
            ]
        )
    return out.getvalue()


@app.command("reconcile")
def reconcile(
    as_of: str = typer.Option(..., "--as-of", help="Reconcile as of this day (YYYY-MM-DD)."),
    output: str = typer.Option("text", "--format", help="text, json or csv."),
    out: Path | None = typer.Option(None, "--output", help="Write to this file, not stdout."),
    force: bool = typer.Option(False, "--force", help="Replace --output if it exists."),
) -> None:
    """Match remittances to obligations: shortfalls, late payments with interest,
    overpayments, and remittances that match nothing."""
    from guildhall.files.output import refuse_existing, write_text
    from guildhall.services import ledger_reconcile as service

    _format(output, ("text", "json", "csv"))
    day = _day(as_of, "--as-of")
    assert day is not None
    if out is not None:
        refuse_existing(out, force=force)
    result = service.reconcile_journal(database_url(), day)
    render = {"json": lambda r: dumps(r) + "\n", "csv": _reconcile_csv, "text": _reconcile_text}
    text = render[output](result)
    if out is None:
        sys.stdout.write(text)
    else:
        write_text(out, text, force=force)
        typer.echo(f"wrote {out}")


claim_app = typer.Typer(
    help="Claims: open one on an employer's shortfalls, move it a step, show it.",
    no_args_is_help=True,
)
app.add_typer(claim_app, name="claim")


def _warn(view: dict[str, Any]) -> None:
    if view.get("warning"):
        typer.echo(f"warning: claim {view['claim']}: {view['warning']}", err=True)


def _claim_text(view: dict[str, Any]) -> str:
    lines = [
        f"claim {view['claim']}: {view['employer']}, {view['state']}",
        f"  claimed {format_cents(view['claimed_cents'])} ({format_cents(view['unpaid_cents'])}"
        f" unpaid, {format_cents(view['interest_cents'])} interest), opened on "
        f"{view['opened_on']}, under {', '.join(view['agreements'])}",
    ]
    for s in view["shortfalls"]:
        lines.append(
            f"  production {s['production']} {s['period']} {s['kind']}: unpaid "
            f"{format_cents(s['unpaid_cents'])}, interest {format_cents(s['interest_cents'])}"
        )
    for step in view["steps"]:
        amount = f" {format_cents(step['amount_cents'])}" if step["amount_cents"] else ""
        lines.append(f"  {step['on']} {step['step']}{amount} (entry {step['entry']})")
    deadline = view["deadline"]
    if deadline["file_by"]:
        lines.append(f"  file by {deadline['file_by']}: {deadline['source']}")
    lines.append(f"  next: {', '.join(view['next']) or 'nothing (paid)'}")
    return "\n".join(lines)


def _show(claim: Any, output: str) -> None:
    from guildhall.core.clock import SystemClock
    from guildhall.services.ledger_claims import claim_view

    view = claim_view(claim, SystemClock().today())
    _warn(view)
    if output == "json":
        print_json(view)
    else:
        typer.echo(_claim_text(view))


@claim_app.command("open")
def claim_open(
    claim: str = typer.Argument(..., help="An id for the claim, e.g. WGA-2008-11."),
    employer: str = typer.Option(..., "--employer", help="The employer the claim is against."),
    as_of: str = typer.Option(..., "--as-of", help="The shortfalls as of this day."),
    production: list[int] = typer.Option([], "--production", help="Only these productions."),
    kind: list[str] = typer.Option([], "--kind", help="Only these kinds of payment."),
    by: str | None = BY,
    output: str = FORMAT,
) -> None:
    """Open a claim on an employer's shortfalls, with their evidence."""
    from guildhall.services import ledger_claims as service

    _format(output)
    day = _day(as_of, "--as-of")
    assert day is not None
    made = service.open_claim(
        database_url(),
        claim,
        employer=employer,
        as_of=day,
        productions=production or None,
        kinds=kind or None,
        by=_by(by),
    )
    _show(made, output)


@claim_app.command("show")
def claim_show(
    claim: str = typer.Argument(..., help="The claim's id."),
    output: str = FORMAT,
) -> None:
    """A claim's amounts, steps, time limit and what may come next."""
    from guildhall.services import ledger_claims as service

    _format(output)
    _show(service.show_claim(database_url(), claim), output)


@claim_app.command("list")
def claim_list(output: str = FORMAT) -> None:
    """Every claim with its state; warns of time limits running out."""
    from guildhall.core.clock import SystemClock
    from guildhall.services import ledger_claims as service

    _format(output)
    today = SystemClock().today()
    views = [service.claim_view(c, today) for c in service.list_claims(database_url())]
    for view in views:
        _warn(view)
    if output == "json":
        print_json(views)
        return
    for view in views:
        typer.echo(
            f"{view['claim']:<20} {view['employer']:<28} {view['state']:<18} "
            f"{format_cents(view['claimed_cents']):>16}"
        )


@claim_app.command("advance")
def claim_advance(
    claim: str = typer.Argument(..., help="The claim's id."),
    step: str = typer.Argument(
        ..., help="demand, grievance, arbitration_filed, award, settlement or paid."
    ),
    on: str = typer.Option(..., "--on", help="The day the step was taken."),
    amount: str | None = typer.Option(
        None, "--amount", help="Dollars awarded, agreed or received (award, settlement, paid)."
    ),
    note: str | None = typer.Option(None, "--note", help="A note kept with the step."),
    by: str | None = BY,
    output: str = FORMAT,
) -> None:
    """Move a claim one step; each step is a journal entry."""
    from decimal import Decimal, InvalidOperation

    from guildhall.core.money import to_cents
    from guildhall.services import ledger_claims as service

    _format(output)
    day = _day(on, "--on")
    assert day is not None
    cents = None
    if amount is not None:
        try:
            value = Decimal(amount.replace(",", ""))
        except InvalidOperation:
            value = None
        if value is None or value != round(value, 2) or value <= 0:
            raise InvalidInput(
                [Problem(Location(field="--amount"), f"{amount!r} is not dollars above zero")]
            )
        cents = to_cents(value)
    made = service.advance_claim(
        database_url(), claim, step, on=day, amount_cents=cents, note=note, by=_by(by)
    )
    _show(made, output)


@app.command("file")
def file_claim(
    claim: str = typer.Argument(..., help="The claim's id."),
    out: Path = typer.Option(
        ..., "--out", help="Where to write: OUT.html and OUT.pdf (a suffix is dropped)."
    ),
    force: bool = typer.Option(False, "--force", help="Replace the files if they exist."),
    output: str = FORMAT,
) -> None:
    """Write the claim's arbitration filing as HTML and PDF."""
    from guildhall.services import ledger_claims as service

    _format(output)
    written = service.write_filing(database_url(), claim, out, force=force)
    if output == "json":
        print_json({"claim": claim, "files": [str(p) for p in written]})
        return
    for path in written:
        typer.echo(f"wrote {path}")
