"""The steps of a vote the CLI has and the run page takes too: publishing the election,
handing the credential authority its files and importing the signed list it returns,
publishing an audited ballot as spoiled, and signing a checkpoint of the board.

The credential authority works on its own machine (``guildhall ballots credentials make``):
staff download the election file (public, also at ``/elections/{id}/election.json``) and
the roll's eligible members, hand them over, and upload the signed list that comes back.
The list is checked as ``guildhall ballots credentials import`` checks it; a list that
fails is refused on the form, each problem with its field, and nothing is written.
"""

from __future__ import annotations

import json
from typing import Annotated

from fastapi import APIRouter, Depends, File, Request, UploadFile
from fastapi.responses import Response

from guildhall.core.errors import InvalidInput
from guildhall.services import ballots, election_admin
from guildhall.web.access import ELECTION_OFFICE, allow
from guildhall.web.deps import DatabaseUrl
from guildhall.web.routes.election_pages import board_key, done, refused, uploaded

router = APIRouter(include_in_schema=False, dependencies=[Depends(allow(*ELECTION_OFFICE))])


def _attachment(content: str, media_type: str, filename: str) -> Response:
    return Response(
        content,
        media_type=media_type,
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


@router.post("/elections/{election_id}/publish")
def publish(request: Request, election_id: str, db: DatabaseUrl) -> Response:
    """Freeze the roll and publish the manifest, as ``guildhall ballots publish``; the
    election file is then downloadable from the run page."""
    try:
        ballots.publish(db, election_id, None)
    except InvalidInput as exc:
        return refused(request, db, election_id, exc)
    return done(election_id, "publish")


@router.get("/elections/{election_id}/authority/roll.csv")
def roll_for_authority(election_id: str, db: DatabaseUrl) -> Response:
    """The roll's eligible members, for the credential authority's ``credentials make``."""
    text = election_admin.roll_for_authority(db, election_id)
    return _attachment(text, "text/csv; charset=utf-8", f"{election_id}-roll.csv")


@router.post("/elections/{election_id}/credentials")
async def import_credentials(
    request: Request,
    election_id: str,
    db: DatabaseUrl,
    credentials: Annotated[
        UploadFile, File(description="The credential authority's signed credential list")
    ],
) -> Response:
    try:
        name, content = await uploaded(credentials, "credentials")
        election_admin.import_credentials_upload(db, election_id, name, content)
    except InvalidInput as exc:
        return refused(request, db, election_id, exc)
    return done(election_id, "credentials")


@router.post("/elections/{election_id}/spoil")
async def spoil(
    request: Request,
    election_id: str,
    db: DatabaseUrl,
    ballot: Annotated[UploadFile, File(description="The audited ballot's JSON")],
    record: Annotated[UploadFile, File(description="Its audit record")],
) -> Response:
    """Publish a member's audited ballot as spoiled, as ``guildhall ballots spoil``."""
    try:
        handed = await uploaded(ballot, "ballot")
        kept = await uploaded(record, "record")
        election_admin.spoil_upload(db, election_id, handed, kept)
    except InvalidInput as exc:
        return refused(request, db, election_id, exc)
    return done(election_id, "spoil")


@router.post("/elections/{election_id}/checkpoint")
def checkpoint(request: Request, election_id: str, db: DatabaseUrl) -> Response:
    """The board's head signed with the server's board key, as a file to keep and publish
    (``guildhall ballots verify --checkpoint`` checks a board against it)."""
    try:
        data = ballots.signed_checkpoint(db, election_id, board_key=board_key(request))
    except InvalidInput as exc:
        return refused(request, db, election_id, exc)
    name = f"{election_id}-checkpoint-{data['seq']}.json"
    return _attachment(json.dumps(data, indent=1) + "\n", "application/json", name)
