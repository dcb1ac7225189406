"""The case record as JSON: the same shapes as ``guildhall case show --format json``."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Body
from fastapi.responses import JSONResponse

from guildhall.bargaining.serialise import event_to_data
from guildhall.services import cases
from guildhall.services.case_views import case_to_json, steps_to_json
from guildhall.web.deps import DatabaseUrl

router = APIRouter(prefix="/api/cases", tags=["cases"])


@router.get("")
def list_cases(db: DatabaseUrl) -> list[dict[str, Any]]:
    return [{"id": i, "title": t, "events": n} for i, t, n in cases.list_cases(db)]


@router.get("/{case_id}")
def show_case(case_id: str, db: DatabaseUrl) -> dict[str, Any]:
    case, rulebook = cases.get_case_and_rules(db, case_id)
    return case_to_json(case, cases.rulebook_summary(rulebook))


@router.get("/{case_id}/next")
def next_steps(case_id: str, db: DatabaseUrl) -> list[dict[str, Any]]:
    _, steps = cases.steps(db, case_id)
    return steps_to_json(steps)


@router.post("/{case_id}/events", status_code=201)
def add_event(
    case_id: str, db: DatabaseUrl, event: Annotated[dict[str, Any], Body()]
) -> JSONResponse:
    """Append an event (the fields of a case file's event); 409 names the rules it breaks."""
    recorded = cases.add_event(db, case_id, event)
    return JSONResponse(event_to_data(recorded), status_code=201)
