"""Checking the shape of parsed YAML: required and allowed keys, and typed values.

Each check appends problems (with the file, line and column of the offending key or
value) to a list it is given, and returns the value when it is usable, else ``None``.
"""

from __future__ import annotations

import re
from collections.abc import Collection
from datetime import date
from typing import Any

from guildhall.core.problems import Problem
from guildhall.files.located_yaml import PathKey, YamlDocument

IDENTIFIER = re.compile(r"^[a-z0-9][a-z0-9_.:-]*$")


class Shape:
    """Typed reads from a ``YamlDocument`` that collect problems instead of raising."""

    def __init__(self, doc: YamlDocument) -> None:
        self.doc = doc
        self.problems: list[Problem] = []

    def fail(self, path: PathKey, what: str, *, hint: str | None = None, key: bool = False) -> None:
        self.problems.append(self.doc.problem(path, what, hint=hint, key=key))

    def mapping(
        self,
        value: Any,
        path: PathKey,
        *,
        required: Collection[str] = (),
        optional: Collection[str] = (),
        open_keys: bool = False,
    ) -> dict[str, Any] | None:
        if not isinstance(value, dict):
            self.fail(path, f"expected a mapping, found {_kind(value)}")
            return None
        allowed = set(required) | set(optional)
        for key in value:
            if not open_keys and key not in allowed:
                self.fail(
                    (*path, key),
                    f"unknown key {key!r}",
                    hint="allowed: " + ", ".join(sorted(allowed)),
                    key=True,
                )
        for key in required:
            if key not in value:
                self.fail(path, f"missing required key {key!r}")
        return value

    def sequence(self, value: Any, path: PathKey, *, empty_ok: bool = True) -> list[Any]:
        if value is None and empty_ok:
            return []
        if not isinstance(value, list):
            self.fail(path, f"expected a list, found {_kind(value)}")
            return []
        if not value and not empty_ok:
            self.fail(path, "the list is empty")
        return value

    def text(self, value: Any, path: PathKey, *, optional: bool = False) -> str | None:
        if value is None and optional:
            return None
        if not isinstance(value, str) or not value.strip():
            self.fail(path, f"expected text, found {_kind(value)}")
            return None
        return value.strip()

    def identifier(self, value: Any, path: PathKey, *, optional: bool = False) -> str | None:
        text = self.text(value, path, optional=optional)
        if text is not None and not IDENTIFIER.match(text):
            self.fail(path, f"{text!r} is not an identifier (lower-case letters, digits, _ . : -)")
            return None
        return text

    def day(self, value: Any, path: PathKey, *, optional: bool = False) -> date | None:
        if value is None and optional:
            return None
        if isinstance(value, date):
            return value
        if isinstance(value, str):
            try:
                return date.fromisoformat(value)
            except ValueError:
                pass
        self.fail(path, f"expected a date as YYYY-MM-DD, found {value!r}")
        return None

    def count(self, value: Any, path: PathKey, *, optional: bool = False) -> int | None:
        if value is None and optional:
            return None
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            self.fail(path, f"expected a whole number of at least 0, found {value!r}")
            return None
        return value

    def flag(self, value: Any, path: PathKey, *, optional: bool = False) -> bool | None:
        if value is None and optional:
            return None
        if not isinstance(value, bool):
            self.fail(path, f"expected true or false, found {value!r}")
            return None
        return value

    def choice(
        self, value: Any, path: PathKey, choices: Collection[str], *, optional: bool = False
    ) -> str | None:
        if value is None and optional:
            return None
        if not isinstance(value, str) or value not in choices:
            self.fail(path, f"{value!r} is not one of: {', '.join(choices)}")
            return None
        return str(value)


def _kind(value: Any) -> str:
    if value is None:
        return "nothing"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    return f"{type(value).__name__} {value!r}"
