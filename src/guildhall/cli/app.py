"""The root of the ``guildhall`` command and its exit codes.

Exit codes, one meaning each (``EXIT_CODES``; docs/cli.md lists them):

- 0: done;
- 1: checked, and found false (a board that does not verify, a ballot that does not hold
  its choice, a tracker not on the board);
- 2: bad input (a usage error, a problem in a file or a row, a refused rule, something that
  does not exist, output that exists already);
- 3: an unexpected failure: a one-line message on standard error, the traceback only with
  ``--debug``;
- 130: interrupted (Ctrl-C).

Only this module and the commands' own modules are imported for ``guildhall --help``; each
command imports the services (and through them DuckDB, Ibis, Spark, SQLAlchemy, the crypto
libraries, uvicorn) when it runs.
"""

from __future__ import annotations

import copy
import functools
import sys
from typing import Any

import typer
from typer.core import TyperOption

from guildhall.cli import ballots as ballots_cli
from guildhall.cli import case as case_cli
from guildhall.cli import cost as cost_cli
from guildhall.cli import data as data_cli
from guildhall.cli import demo as demo_cli
from guildhall.cli import ledger as ledger_cli
from guildhall.cli import serve as serve_cli
from guildhall.cli import terms as terms_cli
from guildhall.cli import users as users_cli
from guildhall.cli.context import set_database
from guildhall.cli.help_text import plain_type_labels
from guildhall.cli.output import print_problems
from guildhall.core.errors import Conflict, InvalidInput, NotFound

DONE, FOUND_FALSE, BAD_INPUT, UNEXPECTED, INTERRUPTED = 0, 1, 2, 3, 130
EXIT_CODES = {
    DONE: "done",
    FOUND_FALSE: "checked, and found false (a board that does not verify, a ballot that "
    "does not hold its choice, a tracker not on the board)",
    BAD_INPUT: "bad input: a usage error, a problem in a file or a row (named with its place), "
    "a refused rule, something that does not exist, output that exists already; nothing "
    "is written",
    UNEXPECTED: "an unexpected failure: one line on standard error; `--debug` shows the traceback",
    INTERRUPTED: "interrupted (Ctrl-C)",
}

plain_type_labels()

app = typer.Typer(
    name="guildhall",
    help="Guildhall: a performers' guild's contract cycle as code.",
    no_args_is_help=True,
    add_completion=True,
    pretty_exceptions_enable=False,
)

_debug = False


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("guildhall")
    except PackageNotFoundError:  # run from a source tree that is not installed
        from guildhall import __version__

        return __version__


def _show_version(value: bool) -> None:
    if value:
        typer.echo(f"guildhall {_version()}")
        raise typer.Exit(DONE)


DB_HELP = "Database URL (default: $GUILDHALL_DATABASE_URL, else sqlite:///var/guildhall.db)."


@app.callback()
def root(
    db: str | None = typer.Option(None, "--db", metavar="URL", help=DB_HELP),
    debug: bool = typer.Option(False, "--debug", help="Show the traceback of a failure."),
    version: bool = typer.Option(
        False,
        "--version",
        callback=_show_version,
        is_eager=True,
        help="Show Guildhall's version and exit.",
    ),
) -> None:
    global _debug
    _debug = debug
    if db is not None:
        set_database(db)


app.add_typer(case_cli.app, name="case")
app.add_typer(ballots_cli.app, name="ballots")
app.add_typer(cost_cli.app, name="cost")
app.add_typer(data_cli.app, name="data")
app.add_typer(terms_cli.app, name="terms")
app.add_typer(users_cli.app, name="users")
app.add_typer(ledger_cli.app, name="ledger")
app.command(name="demo")(demo_cli.demo)
app.command(name="serve")(serve_cli.serve)


def _set_db(_ctx: Any, _param: Any, value: str | None) -> None:
    if value is not None:
        set_database(value)


def _with_db_everywhere(group: Any, db: TyperOption) -> None:
    """Give every command ``--db`` too, so that it may come after the subcommand."""
    for command in getattr(group, "commands", {}).values():
        if hasattr(command, "commands"):
            _with_db_everywhere(command, db)
        elif not any(getattr(p, "name", None) == "db" for p in command.params):
            own = copy.copy(db)
            own.expose_value = False
            own.callback = _set_db
            command.params.append(own)


@functools.cache
def command() -> Any:
    """The click command tree of ``guildhall``, with ``--db`` on every command."""
    root_command = typer.main.get_command(app)
    db = next(p for p in root_command.params if isinstance(p, TyperOption) and p.name == "db")
    _with_db_everywhere(root_command, db)
    return root_command


def run(argv: list[str]) -> int:
    """Run the command line ``argv`` and return its exit code (``EXIT_CODES``)."""
    global _debug
    _debug = False
    set_database(None)
    try:
        result = command().main(args=argv, prog_name="guildhall", standalone_mode=False)
    except typer.Exit as exc:
        return int(exc.exit_code)
    except SystemExit as exc:  # shell completion exits when it has answered
        return exc.code if isinstance(exc.code, int) else DONE
    except (typer.Abort, KeyboardInterrupt):
        sys.stderr.write("interrupted\n")
        return INTERRUPTED
    except typer.TyperException as exc:  # usage errors: a wrong option, a missing argument
        show = getattr(exc, "show", None)
        if callable(show):
            show()
        else:
            sys.stderr.write(f"error: {exc}\n")
        return BAD_INPUT
    except InvalidInput as exc:
        print_problems(exc.problems)
        return BAD_INPUT
    except (NotFound, Conflict) as exc:
        sys.stderr.write(f"error: {exc}\n")
        return BAD_INPUT
    except Exception as exc:
        return _unexpected(exc)
    return result if isinstance(result, int) else DONE


def _unexpected(exc: Exception) -> int:
    if _debug:
        import traceback

        traceback.print_exception(exc, file=sys.stderr)
    what = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
    line = f"{type(exc).__name__}: {what}" if what else type(exc).__name__
    hint = "" if _debug else " (run again with --debug for the traceback)"
    sys.stderr.write(f"unexpected failure: {line}{hint}\n")
    return UNEXPECTED


def main() -> None:
    sys.exit(run(sys.argv[1:]))
