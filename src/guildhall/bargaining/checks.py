"""What an event must satisfy against the log it joins, whether it comes in a case file or
is added later: a plausible date, an id of its own, and a correction that names a real event.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta

from guildhall.bargaining.corrections import correction_problem
from guildhall.bargaining.kinds import KINDS
from guildhall.bargaining.records import Event
from guildhall.files.located_yaml import PathKey
from guildhall.files.shape import Shape

EARLIEST = date(1900, 1, 1)
"""No event, or document, of a guild's bargaining record is dated before this."""

AHEAD = timedelta(days=366)
"""How far past an event's own date a date it names (a vote's close, a meeting) may lie."""


def check_against_log(
    shape: Shape, path: PathKey, event: Event, earlier: Sequence[Event], *, today: date | None
) -> None:
    """Add to ``shape`` what is wrong with ``event`` given the events logged before it.

    ``today`` (from the caller's clock) bounds the event's date: the record holds what has
    happened. Without it only the lower bound is checked.
    """
    _dates(shape, path, event, today)
    if event.id is not None:
        twin = next((e for e in earlier if e.id == event.id), None)
        if twin is not None:
            shape.fail(
                (*path, "id"),
                f"event id {event.id!r} is already in the log ({twin.label()})",
                hint="give the event an id of its own; a correction names the old one in corrects:",
            )
    problem = correction_problem(earlier, event)
    if problem is not None:
        shape.fail((*path, "corrects"), problem)


def _dates(shape: Shape, path: PathKey, event: Event, today: date | None) -> None:
    if event.date < EARLIEST:
        shape.fail((*path, "date"), f"{event.date} is not a plausible date (before {EARLIEST})")
    elif today is not None and event.date > today:
        shape.fail(
            (*path, "date"),
            f"{event.date} is after today ({today}); the record holds what has happened",
        )
    spec = KINDS[event.kind].fields
    for key, kind in spec.items():
        value = event.detail(key)
        if kind.rstrip("?") != "date" or value is None:
            continue
        day = date.fromisoformat(str(value))
        if not EARLIEST <= day <= event.date + AHEAD:
            shape.fail(
                (*path, key),
                f"{day} is not a plausible {key} for an event of {event.date}",
                hint=f"between {EARLIEST} and a year after the event",
            )
    for i, document in enumerate(event.documents):
        published = document.published_on
        if published is not None and (
            published < EARLIEST or (today is not None and published > today)
        ):
            shape.fail(
                (*path, "documents", i, "published_on"),
                f"{published} is not a plausible publication date",
            )
