"""Running an election from the browser: import the roll, publish, the credential
authority's hand-offs (election_authority_pages.py), open, close, tally from the trustees'
shares, certify; and the trustees' status.

Each step is its own route with the roles that take it (``web/access.py``): the office
(staff or an administrator) imports the roll, publishes, closes the vote and tallies; the
negotiating committee opens the vote and certifies its result (both its acts on the case
record, which names the signed-in account as who recorded them); trustees follow their page.
A step refused shows the page again with each problem, where and why: 409 for a step the
election is not ready for (or the case's rules refuse), 422 for a file or value that is wrong.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, Depends, File, Form, Request, UploadFile
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from guildhall.ballots.errors import WrongState
from guildhall.core.errors import InvalidInput, RuleRefused
from guildhall.core.problems import Location, Problem
from guildhall.files.reading import size_text
from guildhall.services import ballots, election_admin, web_views
from guildhall.web.access import (
    ELECTION_COMMITTEE,
    ELECTION_MANAGERS,
    ELECTION_OFFICE,
    ELECTION_WATCHERS,
    allow,
)
from guildhall.web.deps import TEMPLATES, DatabaseUrl, RecordedBy
from guildhall.web.routes.ballots_pages import LIFECYCLE, percent, threshold

router = APIRouter(include_in_schema=False)

OFFICE_WORDS = "staff or an administrator"
STEPS = (
    ("roll", "Import the roll", OFFICE_WORDS, "draft"),
    ("publish", "Freeze the roll and publish the election (the board's first entry)",
     OFFICE_WORDS, "draft"),
    ("credentials", "The credential authority issues one credential a member on its own "
     "machine, from the election file and the roll; import the signed list it returns",
     f"{OFFICE_WORDS}, with the credential authority", "frozen"),
    ("open", "Open the vote", "the negotiating committee", "frozen"),
    ("spoil", "Publish a member's audited ballot as spoiled (it can never be cast)",
     OFFICE_WORDS, "open"),
    ("close", "Close the vote after its window", OFFICE_WORDS, "open"),
    ("tally", "Tally with the trustees' decryption shares", OFFICE_WORDS, "closed"),
    ("certify", "Certify the result onto the case record", "the negotiating committee",
     "tallied"),
)  # fmt: skip
"""Each step, who takes it, and the state it is taken in."""

UPLOAD_LIMIT = 10_000_000
"""The largest uploaded file taken (a roll of 10 MB is some 200,000 members)."""

SHARE_LIMIT = 1_000_000
"""The largest trustee's decryption share taken."""


async def uploaded(upload: UploadFile, field: str, limit: int | None = None) -> tuple[str, bytes]:
    """An uploaded file's name and bytes; one over the limit (``UPLOAD_LIMIT`` unless given)
    is refused whole, never read cut short."""
    limit = UPLOAD_LIMIT if limit is None else limit
    content = await upload.read(limit + 1)
    name = upload.filename or ""
    if len(content) > limit:
        where = Location(file=name or None, field=field)
        raise InvalidInput([Problem(where, f"is larger than an upload may be, {size_text(limit)}")])
    return name, content


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


def refused(request: Request, db: str, election_id: str, exc: InvalidInput) -> Response:
    """The page again with what was refused, where and why; nothing was changed."""
    problems = [p.as_dict() for p in exc.problems]
    status = 409 if isinstance(exc, WrongState | RuleRefused) else 422
    return _page(request, db, election_id, status, problems=problems)


def board_key(request: Request) -> Path:
    """The server's board key (it signs checkpoints and the certified result)."""
    key = request.app.state.board_key
    if key is None:
        raise InvalidInput(
            [Problem(Location(field="board_key"), "this server has no board key to sign with",
                     hint="the server's operator configures it (GUILDHALL_BOARD_KEY)")]
        )  # fmt: skip
    return Path(key)


def done(election_id: str, what: str) -> Response:
    return RedirectResponse(f"/elections/{election_id}/manage?done={what}", status_code=303)


@router.get(
    "/elections/{election_id}/manage",
    response_class=HTMLResponse,
    dependencies=[Depends(allow(*ELECTION_MANAGERS))],
)
def manage(request: Request, election_id: str, db: DatabaseUrl) -> Response:
    return _page(request, db, election_id, done=request.query_params.get("done"))


@router.post("/elections/{election_id}/roll", dependencies=[Depends(allow(*ELECTION_OFFICE))])
async def import_roll(
    request: Request,
    election_id: str,
    db: DatabaseUrl,
    roll: Annotated[UploadFile, File(description="The roll, as CSV")],
    record_date: Annotated[date, Form()],
) -> Response:
    try:
        name, content = await uploaded(roll, "roll")
        election_admin.import_roll_upload(db, election_id, name, content, record_date)
    except InvalidInput as exc:
        return refused(request, db, election_id, exc)
    return done(election_id, "roll")


@router.post("/elections/{election_id}/open", dependencies=[Depends(allow(*ELECTION_COMMITTEE))])
def open_vote(
    request: Request, election_id: str, db: DatabaseUrl, recorded_by: RecordedBy
) -> Response:
    try:
        ballots.open_election(db, election_id, recorded_by=recorded_by)
    except InvalidInput as exc:
        return refused(request, db, election_id, exc)
    return done(election_id, "open")


@router.post("/elections/{election_id}/close", dependencies=[Depends(allow(*ELECTION_OFFICE))])
def close_vote(request: Request, election_id: str, db: DatabaseUrl) -> Response:
    try:
        ballots.close(db, election_id)
    except InvalidInput as exc:
        return refused(request, db, election_id, exc)
    return done(election_id, "close")


@router.post("/elections/{election_id}/tally", dependencies=[Depends(allow(*ELECTION_OFFICE))])
async def tally(
    request: Request,
    election_id: str,
    db: DatabaseUrl,
    shares: Annotated[list[UploadFile], File(description="The trustees' decryption shares")],
) -> Response:
    try:
        uploads = [await uploaded(s, "shares", SHARE_LIMIT) for s in shares]
        election_admin.tally_uploads(db, election_id, uploads)
    except InvalidInput as exc:
        return refused(request, db, election_id, exc)
    return done(election_id, "tally")


@router.post("/elections/{election_id}/certify", dependencies=[Depends(allow(*ELECTION_COMMITTEE))])
def certify(
    request: Request, election_id: str, db: DatabaseUrl, recorded_by: RecordedBy
) -> Response:
    try:
        ballots.certify(db, election_id, board_key=board_key(request), recorded_by=recorded_by)
    except InvalidInput as exc:
        return refused(request, db, election_id, exc)
    return done(election_id, "certify")


@router.get(
    "/elections/{election_id}/trustees",
    response_class=HTMLResponse,
    dependencies=[Depends(allow(*ELECTION_WATCHERS))],
)
def trustees(request: Request, election_id: str, db: DatabaseUrl) -> Response:
    view = web_views.election_view(db, election_id)
    status = election_admin.trustee_status(db, election_id)
    return TEMPLATES.TemplateResponse(
        request, "election_trustees.html", {"e": view, "trustees": status}
    )
