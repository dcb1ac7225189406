"""Well-formedness of published values: each check names the field it is about.

``Malformed(field, what)`` is raised by every reader of board data; the verifier reports
the field first. Integers are JSON integers (never ``true``/``false``), hex is lowercase
and of the exact length, times are ISO 8601 with a UTC offset exactly as
``datetime.isoformat`` writes them (``2025-01-01T00:00:00+00:00``).

>>> when("2025-01-01T00:00:00+00:00", "at").year
2025
>>> when("yesterday", "opened_at")
Traceback (most recent call last):
...
guildhall.ballots.shapes.Malformed: opened_at: 'yesterday' is not an ISO 8601 time with a UTC offset
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any


class Malformed(ValueError):
    """A value that is not of its field's form."""

    def __init__(self, field: str, what: str) -> None:
        super().__init__(f"{field}: {what}")
        self.field = field
        self.what = what


def obj(value: Any, field: str, keys: Iterable[str]) -> dict[str, Any]:
    """An object with exactly ``keys``."""
    expected = set(keys)
    if not isinstance(value, dict):
        raise Malformed(field, "must be an object")
    missing = sorted(expected - set(value))
    if missing:
        raise Malformed(f"{field}.{missing[0]}" if field else missing[0], "is missing")
    extra = sorted(set(value) - expected)
    if extra:
        raise Malformed(
            f"{field}.{extra[0]}" if field else extra[0], "is not a field of this entry"
        )
    return value


def integer(value: Any, field: str, *, low: int | None = 0, high: int | None = None) -> int:
    if not isinstance(value, int) or isinstance(value, bool):
        raise Malformed(field, f"{value!r} is not a whole number")
    if low is not None and value < low:
        raise Malformed(field, f"{value} is below {low}")
    if high is not None and value > high:
        raise Malformed(field, f"{value} is above {high}")
    return value


def boolean(value: Any, field: str) -> bool:
    if not isinstance(value, bool):
        raise Malformed(field, f"{value!r} is not true or false")
    return value


def text(value: Any, field: str, *, empty: bool = False) -> str:
    if not isinstance(value, str) or (not empty and not value):
        raise Malformed(field, f"{value!r} is not {'a' if empty else 'a non-empty'} string")
    return value


def hex_bytes(value: Any, field: str, size: int) -> bytes:
    if not isinstance(value, str) or len(value) != 2 * size:
        raise Malformed(field, f"must be {2 * size} lowercase hex characters")
    try:
        raw = bytes.fromhex(value)
    except ValueError:
        raise Malformed(field, "is not hex") from None
    if raw.hex() != value:
        raise Malformed(field, "must be lowercase hex")
    return raw


def digest(value: Any, field: str) -> str:
    """A SHA-256 as 64 lowercase hex characters."""
    hex_bytes(value, field, 32)
    return str(value)


def when(value: Any, field: str) -> datetime:
    if isinstance(value, str):
        try:
            at = datetime.fromisoformat(value)
        except ValueError:
            at = None
        if at is not None and at.tzinfo is not None and at.isoformat() == value:
            return at
    raise Malformed(field, f"{value!r} is not an ISO 8601 time with a UTC offset")
