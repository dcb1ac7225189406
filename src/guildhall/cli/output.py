"""Printing for the CLI: problems to standard error, data as JSON or text."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterable
from datetime import date, datetime
from decimal import Decimal
from enum import Enum
from typing import Any

from guildhall.core.problems import Problem


def _default(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, set | frozenset | tuple):
        return list(value)
    raise TypeError(f"cannot write {type(value).__name__} as JSON")


def dumps(data: Any) -> str:
    return json.dumps(data, indent=2, ensure_ascii=False, default=_default)


def print_json(data: Any) -> None:
    sys.stdout.write(dumps(data) + "\n")


def print_problems(problems: Iterable[Problem]) -> None:
    for problem in problems:
        sys.stderr.write(f"error: {problem}\n")
