"""Member votes as JSON: status and turnout, the result once tallied, tracker look-up."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends

from guildhall.services import web_views
from guildhall.web.access import public
from guildhall.web.deps import DatabaseUrl
from guildhall.web.routes.ballots_pages import Tracker

router = APIRouter(prefix="/api/elections", tags=["elections"], dependencies=[Depends(public())])


@router.get("")
def list_elections(db: DatabaseUrl) -> list[dict[str, Any]]:
    """Every election with its state and live turnout; never a partial result."""
    return list(web_views.plain(web_views.list_elections(db)))


@router.get("/{election_id}")
def show_election(election_id: str, db: DatabaseUrl) -> dict[str, Any]:
    """Lifecycle, what blocks opening, turnout, and the result once it is tallied."""
    return dict(web_views.plain(web_views.election_view(db, election_id)))


@router.get("/{election_id}/track")
def track(election_id: str, db: DatabaseUrl, tracker: Tracker) -> dict[str, Any]:
    """Whether the ballot with this tracker is on the board, and where."""
    return web_views.track(db, election_id, tracker.lower())
