"""Small builders for events in tests."""

from __future__ import annotations

from datetime import date
from typing import Any

from guildhall.bargaining.records import Event, Source

SOURCE = (Source("test", "a sentence"),)


def event(
    kind: str, on: str, *, by: str | None = None, union: str = "sag", **details: Any
) -> Event:
    return Event(
        date=date.fromisoformat(on),
        kind=kind,
        summary=kind,
        certainty="stated",
        sources=SOURCE,
        union=union,
        by=by,
        details=details,
    )
