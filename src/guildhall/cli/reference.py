"""The CLI reference (docs/cli.md), generated from the commands' own ``--help``.

Run ``python -m guildhall.cli.reference > docs/cli.md`` after changing a command; a test
fails while the file and the real help disagree.
"""

from __future__ import annotations

import contextlib
import io
import sys
from collections.abc import Iterator

import typer
import typer.rich_utils

from guildhall.cli.app import EXIT_CODES, command, run

WIDTH = 100


def _commands(group: object, path: list[str]) -> Iterator[list[str]]:
    yield path
    commands = getattr(group, "commands", {})
    for name in sorted(commands):
        command = commands[name]
        if getattr(command, "hidden", False):
            continue
        yield from _commands(command, [*path, name])


def _help(path: list[str]) -> str:
    buffer = io.StringIO()
    with contextlib.redirect_stdout(buffer):
        run([*path, "--help"])
    lines = [line.rstrip() for line in buffer.getvalue().splitlines()]
    return "\n".join(lines).strip("\n")


def reference() -> str:
    """Markdown with one section per command, each holding its ``--help`` text."""
    typer.rich_utils.MAX_WIDTH = WIDTH
    typer.rich_utils.COLOR_SYSTEM = None
    typer.rich_utils.FORCE_TERMINAL = False
    root = command()
    parts = [
        "# Command-line reference",
        "",
        "Generated from the commands' own `--help` by "
        "`python -m guildhall.cli.reference > docs/cli.md`.",
        "",
        "Every command takes `--db URL` before or after its name, and prints progress only on "
        "standard error, so that what it prints on standard output can be piped. Shell "
        "completion: `guildhall --install-completion` (or `--show-completion SHELL` to see "
        "the script).",
        "",
        "## Exit codes",
        "",
        "| code | meaning |",
        "|---|---|",
        *(f"| {code} | {meaning} |" for code, meaning in EXIT_CODES.items()),
    ]
    for path in _commands(root, []):
        title = " ".join(["guildhall", *path])
        parts += ["", f"## `{title}`", "", "```text", _help(path), "```"]
    return "\n".join(parts) + "\n"


if __name__ == "__main__":
    sys.stdout.write(reference())
