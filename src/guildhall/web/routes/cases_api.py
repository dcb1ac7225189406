"""The case record as JSON: the same shapes as ``guildhall case show --format json``."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Body, Depends
from fastapi.responses import JSONResponse

from guildhall.services import case_authority, cases
from guildhall.services.accounts import Account
from guildhall.services.case_views import (
    case_to_json,
    document_to_json,
    event_to_json,
    steps_to_json,
)
from guildhall.web.access import allow, public
from guildhall.web.deps import DatabaseUrl, RecordedBy

router = APIRouter(prefix="/api/cases", tags=["cases"])

Recorder = Annotated[Account, Depends(allow(*case_authority.RECORDING_ROLES))]
"""Staff, the negotiating committee or the national board, signed in."""


@router.get("", dependencies=[Depends(public())])
def list_cases(db: DatabaseUrl) -> list[dict[str, Any]]:
    return [{"id": i, "title": t, "events": n} for i, t, n in cases.list_cases(db)]


@router.get("/{case_id}", dependencies=[Depends(public())])
def show_case(case_id: str, db: DatabaseUrl) -> dict[str, Any]:
    case, rulebook = cases.get_case_and_rules(db, case_id)
    return case_to_json(case, cases.rulebook_summary(rulebook))


@router.get("/{case_id}/documents/{document_id}", dependencies=[Depends(public())])
def show_document(case_id: str, document_id: str, db: DatabaseUrl) -> dict[str, Any]:
    """One source document: its record (title, publisher, date, URL) and its text."""
    _, document = cases.get_document(db, case_id, document_id)
    return document_to_json(document)


@router.get("/{case_id}/next", dependencies=[Depends(public())])
def next_steps(case_id: str, db: DatabaseUrl) -> list[dict[str, Any]]:
    _, steps = cases.steps(db, case_id)
    return steps_to_json(steps)


@router.post("/{case_id}/events", status_code=201)
def add_event(
    case_id: str,
    db: DatabaseUrl,
    actor: Recorder,
    recorded_by: RecordedBy,
    event: Annotated[dict[str, Any], Body()],
) -> JSONResponse:
    """Append an event (the fields of a case file's event) as the signed-in role: the
    committee's and the board's acts carry their body as ``by`` whatever was sent; 403 for a
    kind the role does not record; 422 names each problem with it, 409 the rules it, or an
    event it would come before, breaks."""
    event = case_authority.event_as(actor.role, event)
    recorded = cases.add_event(db, case_id, event, recorded_by=recorded_by)
    return JSONResponse(event_to_json(recorded), status_code=201)
