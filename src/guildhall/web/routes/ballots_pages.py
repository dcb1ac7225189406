"""Pages for member votes: the elections, one election's lifecycle, turnout and result,
the public board, and a member finding their ballot on it by its tracker."""

from __future__ import annotations

from fractions import Fraction
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse, Response

from guildhall.services import ballots, election_admin, web_views
from guildhall.web.access import public
from guildhall.web.deps import TEMPLATES, DatabaseUrl

router = APIRouter(include_in_schema=False, dependencies=[Depends(public())])

LIFECYCLE = (
    ("created_at", "Created; trustees' keys made"),
    ("frozen_at", "Roll frozen; manifest published; credentials imported"),
    ("opened_at", "Voting opened"),
    ("closed_at", "Voting closed"),
    ("tallied_at", "Ballots tallied and decrypted"),
    ("certified_at", "Result certified"),
)

Tracker = Annotated[
    str,
    Query(
        pattern="^[0-9a-fA-F]{64}$",
        description="The 64-hex-digit tracker the member's device showed after casting.",
    ),
]


def percent(part: int, whole: int) -> str:
    """A share as a percentage with one decimal, for turnout and vote shares."""
    return f"{part * 100 / whole:.1f}%" if whole else "—"


def threshold(rule: dict[str, Any]) -> str:
    """``{"ratio": "3/4", "comparison": "at_least"}`` in words."""
    ratio = Fraction(rule["ratio"])
    share = ratio * 100
    shown = (
        f"{share.numerator // share.denominator}"
        if share.denominator == 1
        else f"{float(share):.4g}"
    )
    words = str(rule["comparison"]).replace("_", " ")
    return f"{words} {shown}% of the votes cast for or against ({ratio})"


@router.get("/elections", response_class=HTMLResponse)
def election_list(request: Request, db: DatabaseUrl) -> Response:
    return TEMPLATES.TemplateResponse(
        request,
        "ballots_list.html",
        {"elections": web_views.list_elections(db), "percent": percent},
    )


@router.get("/elections/{election_id}", response_class=HTMLResponse)
def election_page(request: Request, election_id: str, db: DatabaseUrl) -> Response:
    view = web_views.election_view(db, election_id)
    return TEMPLATES.TemplateResponse(
        request,
        "ballots_show.html",
        {"e": view, "lifecycle": LIFECYCLE, "percent": percent, "threshold": threshold},
    )


@router.get("/elections/{election_id}/track", response_class=HTMLResponse)
def track_page(
    request: Request, election_id: str, db: DatabaseUrl, tracker: Tracker | None = None
) -> Response:
    view = web_views.election_view(db, election_id)
    found = web_views.track(db, election_id, tracker.lower()) if tracker else None
    return TEMPLATES.TemplateResponse(request, "ballots_track.html", {"e": view, "found": found})


@router.get("/elections/{election_id}/election.json")
def election_file_download(election_id: str, db: DatabaseUrl) -> Response:
    """The published election file (the manifest) that the credential authority and
    members' devices work from, as ``guildhall ballots publish`` writes it."""
    return Response(
        election_admin.election_file(db, election_id),
        media_type="application/json",
        headers={"Content-Disposition": f'attachment; filename="{election_id}.json"'},
    )


@router.get("/elections/{election_id}/board.jsonl")
def board_download(election_id: str, db: DatabaseUrl) -> Response:
    """The public board as JSON Lines, the file ``guildhall ballots verify`` checks."""
    lines = ballots.board_lines(db, election_id)
    return Response(
        "".join(line + "\n" for line in lines),
        media_type="application/jsonl",
        headers={"Content-Disposition": f'attachment; filename="{election_id}-board.jsonl"'},
    )
