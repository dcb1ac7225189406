"""``guildhall users``: the web app's accounts."""

from __future__ import annotations

import sys
from enum import StrEnum
from pathlib import Path

import typer

from guildhall.cli.context import database_url
from guildhall.cli.output import print_json

app = typer.Typer(help="Accounts of the web app: who signs in, with which role.",
                  no_args_is_help=True)  # fmt: skip


class Format(StrEnum):
    text = "text"
    json = "json"


class Role(StrEnum):
    member = "member"
    staff = "staff"
    negotiating_committee = "negotiating_committee"
    national_board = "national_board"
    mediator = "mediator"
    trustee = "trustee"
    admin = "admin"


@app.command("add")
def add(
    email: str = typer.Argument(..., help="The person's email address (how they sign in)."),
    role: Role = typer.Option(..., "--role", help="What they may do in the web app."),
    name: str | None = typer.Option(None, "--name", help="Their name as pages show it."),
    member_id: str | None = typer.Option(
        None, "--member-id", help="Their member number (a member sees only their own data)."
    ),
    password_stdin: bool = typer.Option(
        False,
        "--password-stdin",
        help="Read a password (12 characters or more) from standard input; without it the "
        "person signs in by one-time link.",
    ),
) -> None:
    """Add an account; an address or member number that has one already is refused."""
    from guildhall.services import accounts

    password = sys.stdin.readline().rstrip("\n") if password_stdin else None
    account = accounts.add_user(
        database_url(), email, role.value, name=name, member_id=member_id, password=password
    )
    how = "password" if password is not None else "one-time link"
    typer.echo(f"added {account.email} as {account.role_name} (signs in by {how})")


@app.command("import-roll")
def import_roll(
    roll: Path = typer.Argument(..., help="A roll CSV with member_id and email columns."),
) -> None:
    """A member account (signing in by one-time link) for each row of a roll; members who
    have one already are left as they are."""
    from guildhall.services import accounts

    added, existing = accounts.add_members_from_roll(database_url(), roll)
    typer.echo(f"added {added} member accounts; {existing} were there already")


@app.command("list")
def list_users(fmt: Format = typer.Option(Format.text, "--format", help="text or json.")) -> None:
    """Every account: address, role, member number."""
    from guildhall.services import accounts

    rows = accounts.list_users(database_url())
    if fmt is Format.json:
        print_json([{"email": a.email, "name": a.name, "role": a.role,
                     "member_id": a.member_id} for a in rows])  # fmt: skip
        return
    for a in rows:
        typer.echo(f"{a.email:<40} {a.role:<22} {a.member_id or ''}")
