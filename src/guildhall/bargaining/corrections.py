"""Corrections and retractions. A logged event is never changed: a later event names it
(``corrects``) and takes its place, or, as a ``retraction``, withdraws it.
"""

from __future__ import annotations

from collections.abc import Sequence

from guildhall.bargaining.records import Event, in_date_order


def in_force(events: Sequence[Event]) -> tuple[Event, ...]:
    """The log as it now stands, in date order: each corrected event gives way to its
    correction, and a retracted event drops out along with its retraction."""
    replaced = {e.corrects for e in events if e.corrects is not None}
    return in_date_order([e for e in events if e.seq not in replaced and not e.retracts])


def superseded(events: Sequence[Event]) -> dict[int, Event]:
    """Each corrected or retracted event's log position, with the event that did it."""
    return {e.corrects: e for e in events if e.corrects is not None}


def correction_problem(earlier: Sequence[Event], event: Event) -> str | None:
    """What is wrong with the event ``event`` names in ``corrects``, given the log before it."""
    if event.retracts and event.corrects is None:
        return "a retraction must name the event it withdraws (corrects: its id or log number)"
    if event.corrects is None:
        return None
    target = next((e for e in earlier if e.seq == event.corrects), None)
    if target is None:
        return f"there is no event #{event.corrects} before this one to correct"
    if target.retracts:
        return f"{target.label()} is a retraction; correct or retract what it withdrew instead"
    later = superseded(earlier).get(event.corrects)
    if later is not None and later.retracts:
        return f"{target.label()} was already retracted by {later.label()}"
    if later is not None:
        return f"{target.label()} was already corrected by {later.label()}; name that one"
    return None
