"""Running an election from the browser: import the roll, follow the credential authority's
steps, open, close, tally from the trustees' shares, certify; and the trustees' status.

Each step is its own route with the roles that take it: staff or an administrator import
the roll, close the vote and tally; the negotiating committee opens the vote and certifies
its result (both are the committee's acts on the case record); trustees follow their page.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Depends, File, Form, Request, UploadFile
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from guildhall.core.errors import InvalidInput
from guildhall.core.problems import Location, Problem
from guildhall.services import ballots, election_admin, web_views
from guildhall.web.access import allow
from guildhall.web.deps import TEMPLATES, DatabaseUrl
from guildhall.web.routes.ballots_pages import LIFECYCLE, percent, threshold

router = APIRouter(include_in_schema=False)

MANAGERS = ("staff", "admin", "negotiating_committee")
OFFICE = ("staff", "admin")
COMMITTEE = ("negotiating_committee",)
WATCHERS = ("trustee", "staff", "admin", "negotiating_committee")

STEPS = (
    ("roll", "Import the roll", "staff or an administrator", "draft"),
    ("credentials", "The credential authority issues one credential a member and delivers "
     "them; the roll is frozen and the manifest published", "the credential authority",
     "draft"),
    ("open", "Open the vote", "the negotiating committee", "frozen"),
    ("close", "Close the vote after its window", "staff or an administrator", "open"),
    ("tally", "Tally with the trustees' decryption shares", "staff or an administrator",
     "closed"),
    ("certify", "Certify the result onto the case record", "the negotiating committee",
     "tallied"),
)  # fmt: skip
"""Each step, who takes it, and the state it is taken in."""


def _page(request: Request, db: str, election_id: str, status: int = 200, **extra: Any) -> Response:
    view = web_views.election_view(db, election_id)
    context = {
        "e": view,
        "steps": STEPS,
        "lifecycle": LIFECYCLE,
        "percent": percent,
        "threshold": threshold,
        "trustees": election_admin.trustee_status(db, election_id),
        **extra,
    }
    return TEMPLATES.TemplateResponse(request, "election_manage.html", context, status_code=status)


def _refused(request: Request, db: str, election_id: str, exc: InvalidInput) -> Response:
    problems = [p.as_dict() for p in exc.problems]
    return _page(request, db, election_id, 409, problems=problems)


def _done(election_id: str, what: str) -> Response:
    return RedirectResponse(f"/elections/{election_id}/manage?done={what}", status_code=303)


@router.get(
    "/elections/{election_id}/manage",
    response_class=HTMLResponse,
    dependencies=[Depends(allow(*MANAGERS))],
)
def manage(request: Request, election_id: str, db: DatabaseUrl) -> Response:
    return _page(request, db, election_id, done=request.query_params.get("done"))


@router.post("/elections/{election_id}/roll", dependencies=[Depends(allow(*OFFICE))])
async def import_roll(
    request: Request,
    election_id: str,
    db: DatabaseUrl,
    roll: Annotated[UploadFile, File(description="The roll, as CSV")],
    record_date: Annotated[date, Form()],
) -> Response:
    content = await roll.read(10_000_000)
    try:
        election_admin.import_roll_upload(db, election_id, roll.filename or "", content,
                                          record_date)  # fmt: skip
    except InvalidInput as exc:
        return _refused(request, db, election_id, exc)
    return _done(election_id, "roll")


@router.post("/elections/{election_id}/open", dependencies=[Depends(allow(*COMMITTEE))])
def open_vote(request: Request, election_id: str, db: DatabaseUrl) -> Response:
    try:
        ballots.open_election(db, election_id)
    except InvalidInput as exc:
        return _refused(request, db, election_id, exc)
    return _done(election_id, "open")


@router.post("/elections/{election_id}/close", dependencies=[Depends(allow(*OFFICE))])
def close_vote(request: Request, election_id: str, db: DatabaseUrl) -> Response:
    try:
        ballots.close(db, election_id)
    except InvalidInput as exc:
        return _refused(request, db, election_id, exc)
    return _done(election_id, "close")


@router.post("/elections/{election_id}/tally", dependencies=[Depends(allow(*OFFICE))])
async def tally(
    request: Request,
    election_id: str,
    db: DatabaseUrl,
    shares: Annotated[list[UploadFile], File(description="The trustees' decryption shares")],
) -> Response:
    uploads = [(s.filename or "", await s.read(1_000_000)) for s in shares]
    try:
        election_admin.tally_uploads(db, election_id, uploads)
    except InvalidInput as exc:
        return _refused(request, db, election_id, exc)
    return _done(election_id, "tally")


@router.post("/elections/{election_id}/certify", dependencies=[Depends(allow(*COMMITTEE))])
def certify(request: Request, election_id: str, db: DatabaseUrl) -> Response:
    board_key = request.app.state.board_key
    try:
        if board_key is None:
            raise InvalidInput(
                [Problem(Location(field="board_key"), "this server has no board key to sign with",
                         hint="the server's operator configures it")]
            )  # fmt: skip
        ballots.certify(db, election_id, board_key=board_key)
    except InvalidInput as exc:
        return _refused(request, db, election_id, exc)
    return _done(election_id, "certify")


@router.get(
    "/elections/{election_id}/trustees",
    response_class=HTMLResponse,
    dependencies=[Depends(allow(*WATCHERS))],
)
def trustees(request: Request, election_id: str, db: DatabaseUrl) -> Response:
    view = web_views.election_view(db, election_id)
    status = election_admin.trustee_status(db, election_id)
    return TEMPLATES.TemplateResponse(
        request, "election_trustees.html", {"e": view, "trustees": status}
    )
