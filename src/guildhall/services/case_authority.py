"""Which role may record which case event, and as whom.

The acting body of an event comes from the signed-in role, never from what was sent: the
negotiating committee records its own determinations, the national board its decisions
and resolutions, and staff the rest of the record (what the parties, the mediator and
others did). Nobody records a vote's opening or its result here: those are written by the
election itself when it opens and when its tally is certified.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from guildhall.bargaining.kinds import KINDS
from guildhall.core.errors import InvalidInput, NotAllowed
from guildhall.core.problems import Location, Problem

BODY_OF_ROLE = {
    "negotiating_committee": "negotiating_committee",
    "national_board": "national_board",
}
"""The body of the case a role acts as."""

BODY_KINDS = {
    "negotiating_committee": frozenset({"mediation_failed_determination"}),
    "national_board": frozenset({"board_strike_decision", "board_resolution"}),
}
ELECTION_KINDS = frozenset({"vote_opened", "vote_closed"})
STAFF_KINDS = frozenset(KINDS) - ELECTION_KINDS - frozenset().union(*BODY_KINDS.values())

RECORDING_ROLES = ("staff", "negotiating_committee", "national_board")


def kinds_for(role: str) -> frozenset[str]:
    """The kinds of event ``role`` may record."""
    if role == "staff":
        return STAFF_KINDS
    return BODY_KINDS.get(role, frozenset())


def event_as(role: str, event: Mapping[str, Any]) -> dict[str, Any]:
    """The event as ``role`` may record it: a body's ``by`` is the body itself, whatever
    was sent; ``NotAllowed`` for a kind the role does not record or a ``by`` naming a body
    that records its own acts."""
    kind = event.get("kind")
    if not isinstance(kind, str) or kind not in KINDS:
        raise InvalidInput([Problem(Location(field="kind"), f"{kind!r} is not a kind of event")])
    if kind in ELECTION_KINDS:
        raise NotAllowed(f"{kind} is recorded by the election itself when it opens or is certified")
    if kind not in kinds_for(role):
        owners = [r for r in RECORDING_ROLES if kind in kinds_for(r)]
        raise NotAllowed(f"only {' or '.join(owners)} records {kind}; you are signed in as {role}")
    recorded = dict(event)
    if role in BODY_OF_ROLE:
        recorded["by"] = BODY_OF_ROLE[role]
    elif recorded.get("by") in BODY_OF_ROLE.values():
        raise NotAllowed(f"{recorded['by']} records its own acts; staff may not record for it")
    return recorded
