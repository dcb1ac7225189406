"""JSON and JSON Lines whose syntax errors are problems with file, line and column.

>>> parse_json('{"a": [1,]}', "x.json")
(None, [Problem(where=Location(file='x.json', line=1, column=10, row=None, field=None), \
what='not valid JSON: Expecting value', hint=None, rule=None)])
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from guildhall.core.problems import Location, Problem

FloatHook = Callable[[str], Any]


def parse_json(
    text: str, file: str, *, parse_float: FloatHook | None = None, line_offset: int = 0
) -> tuple[Any, list[Problem]]:
    """One JSON value, or ``None`` with the problem (an empty text is a problem too)."""
    if not text.strip():
        return None, [Problem(Location(file=file, line=line_offset + 1), "is empty; expected JSON")]
    try:
        return json.loads(text, parse_float=parse_float), []
    except json.JSONDecodeError as exc:
        where = Location(file=file, line=line_offset + exc.lineno, column=exc.colno)
        return None, [Problem(where, f"not valid JSON: {exc.msg}")]
    except RecursionError:
        where = Location(file=file, line=line_offset + 1)
        return None, [Problem(where, "not readable: JSON nested too deeply")]
    except ValueError as exc:  # what ``parse_float`` refuses, or an integer too long to read
        return None, [Problem(Location(file=file, line=line_offset + 1), str(exc))]


def parse_json_lines(
    text: str, file: str, *, parse_float: FloatHook | None = None
) -> tuple[list[Any], list[Problem]]:
    """One JSON value per non-blank line; each bad line is a problem naming it."""
    values: list[Any] = []
    problems: list[Problem] = []
    for number, line in enumerate(text.splitlines()):
        if not line.strip():
            continue
        value, found = parse_json(line, file, parse_float=parse_float, line_offset=number)
        problems += found
        if not found:
            values.append(value)
    if not values and not problems:
        problems.append(Problem(Location(file=file, line=1), "is empty; expected JSON Lines"))
    return values, problems


def parse_json_or_lines(
    text: str, file: str, *, parse_float: FloatHook | None = None
) -> tuple[list[Any], list[Problem]]:
    """A file holding one JSON value (possibly over many lines), or JSON Lines."""
    value, problems = parse_json(text, file, parse_float=parse_float)
    if not problems:
        return [value], []
    if "Extra data" in problems[0].what:
        return parse_json_lines(text, file, parse_float=parse_float)
    return [], problems
