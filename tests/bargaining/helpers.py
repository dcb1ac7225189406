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


SEED_002 = "002_ac8fbb611370980d.txt"
REAL_QUOTE = (
    "Both sides have made minimal disclosure about the process since the Screen Actors Guild "
    "requested mediation on Oct. 19."
)

GOOD_STATEMENT: dict[str, Any] = {
    "id": "sag-silence",
    "date": "2008-11-22",
    "kind": "public_statement",
    "by": "sag",
    "parties": ["sag"],
    "summary": "SAG says little about the mediation.",
    "certainty": "stated",
    "sources": [{"document": SEED_002, "quote": REAL_QUOTE}],
}
"""An event every check accepts; each attack below changes one thing in it."""


def _with(**changes: Any) -> dict[str, Any]:
    return {**GOOD_STATEMENT, **changes}


def _source(**changes: Any) -> list[dict[str, Any]]:
    return [{"document": SEED_002, "quote": REAL_QUOTE, **changes}]


ATTACKS: dict[str, tuple[dict[str, Any], str]] = {
    "made-up quote credited to a real article": (
        _with(sources=_source(quote="SAG agreed to everything the studios asked.")),
        f"the quote does not appear word for word in {SEED_002}",
    ),
    "a document that does not exist": (
        _with(sources=[{"document": "004_nonexistent.txt", "quote": REAL_QUOTE}]),
        "unknown document '004_nonexistent.txt': it is not among the case's sources",
    ),
    "a duplicate event id": (
        _with(id="final-offer"),
        "event id 'final-offer' is already in the log (#7 final-offer)",
    ),
    "an unknown union": (
        _with(union="screen-extras"),
        "'screen-extras' is not a party of this case",
    ),
    "an unknown party": (
        _with(parties=["studios"]),
        "'studios' is not a party or body of this case",
    ),
    "a date in 2031": (_with(date="2031-03-01"), "2031-03-01 is after today"),
    "a date before 1900": (_with(date="1850-01-01"), "1850-01-01 is not a plausible date"),
    "a javascript: source URL": (
        _with(sources=_source(url="javascript:alert(document.cookie)")),
        "'javascript:alert(document.cookie)' is not a web address",
    ),
    "a new document with a javascript: URL": (
        _with(
            sources=[{"document": "memo", "quote": "We agree."}],
            documents=[
                {"id": "memo", "title": "A memo", "text": "We agree.", "url": "JavaScript:x()"}
            ],
        ),
        "'JavaScript:x()' is not a web address",
    ),
    "a new document reusing a seed article's id": (
        _with(
            documents=[{"id": SEED_002, "title": "Forged", "text": "SAG agreed to everything."}],
            sources=[{"document": SEED_002, "quote": "SAG agreed to everything."}],
        ),
        f"document '{SEED_002}' is already in the record",
    ),
    "a correction of an event that does not exist": (
        _with(corrects=999),
        "there is no event #999 before this one to correct",
    ),
    "a retraction that names nothing": (
        _with(kind="retraction", id="withdraw"),
        "a retraction must name the event it withdraws",
    ),
}
"""Events that must be refused, each with the message that says why."""
