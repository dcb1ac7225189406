"""The root of the ``guildhall`` command and its exit codes.

Exit codes: 0 success; 1 an unexpected failure; 2 bad input (a usage error, a problem
in a file or a row, a refused rule, something that does not exist).
"""

from __future__ import annotations

import sys

import typer

from guildhall.cli import ballots as ballots_cli
from guildhall.cli import case as case_cli
from guildhall.cli import cost as cost_cli
from guildhall.cli import data as data_cli
from guildhall.cli import demo as demo_cli
from guildhall.cli import serve as serve_cli
from guildhall.cli import terms as terms_cli
from guildhall.cli import users as users_cli
from guildhall.cli.context import set_database
from guildhall.cli.output import print_problems
from guildhall.core.errors import Conflict, InvalidInput, NotFound

app = typer.Typer(
    name="guildhall",
    help="Guildhall: a performers' guild's contract cycle as code.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


@app.callback()
def root(
    db: str | None = typer.Option(
        None,
        "--db",
        help="Database URL (default: $GUILDHALL_DATABASE_URL, else sqlite:///var/guildhall.db).",
    ),
) -> None:
    set_database(db)


app.add_typer(case_cli.app, name="case")
app.add_typer(ballots_cli.app, name="ballots")
app.add_typer(cost_cli.app, name="cost")
app.add_typer(data_cli.app, name="data")
app.add_typer(terms_cli.app, name="terms")
app.add_typer(users_cli.app, name="users")
app.command(name="demo")(demo_cli.demo)
app.command(name="serve")(serve_cli.serve)


def run(argv: list[str]) -> int:
    """Run the command line ``argv`` and return its exit code."""
    try:
        result = app(args=argv, prog_name="guildhall", standalone_mode=False)
    except typer.Exit as exc:
        return int(exc.exit_code)
    except typer.Abort:
        sys.stderr.write("aborted\n")
        return 1
    except typer.TyperException as exc:  # usage errors: a wrong option, a missing argument
        show = getattr(exc, "show", None)
        if callable(show):
            show()
        else:
            sys.stderr.write(f"error: {exc}\n")
        return 2
    except InvalidInput as exc:
        print_problems(exc.problems)
        return 2
    except (NotFound, Conflict) as exc:
        sys.stderr.write(f"error: {exc}\n")
        return 2
    return result if isinstance(result, int) else 0


def main() -> None:
    sys.exit(run(sys.argv[1:]))
