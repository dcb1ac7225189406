"""Recording a case event through a form, as the signed-in role; what the rules refuse is
shown on the form itself, with the values kept."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from guildhall.bargaining.kinds import KINDS
from guildhall.bargaining.records import Case
from guildhall.core.errors import InvalidInput, NotAllowed, RuleRefused
from guildhall.core.problems import Location, Problem
from guildhall.services import case_authority, cases
from guildhall.services.accounts import Account
from guildhall.web.access import allow
from guildhall.web.deps import TEMPLATES, DatabaseUrl, RecordedBy

router = APIRouter(include_in_schema=False)

Recorder = Annotated[Account, Depends(allow(*case_authority.RECORDING_ROLES))]
Text = Annotated[str, Form(max_length=5000)]
Short = Annotated[str, Form(max_length=300)]


def detail_lines(text: str) -> dict[str, Any]:
    """``field = value`` lines: whole numbers become numbers, true/false become flags."""
    details: dict[str, Any] = {}
    for line in text.splitlines():
        name, sep, value = line.partition("=")
        if not line.strip():
            continue
        if not sep or not name.strip():
            raise InvalidInput(
                [Problem(Location(field="details"), f"{line.strip()!r} is not field = value")]
            )
        raw = value.strip()
        if raw.isdigit():
            details[name.strip()] = int(raw)
        elif raw.lower() in ("true", "false"):
            details[name.strip()] = raw.lower() == "true"
        else:
            details[name.strip()] = raw
    return details


def _context(case: Case, actor: Account, values: dict[str, str]) -> dict[str, Any]:
    kinds = sorted(case_authority.kinds_for(actor.role))
    bodies = set(case_authority.BODY_OF_ROLE.values())
    return {
        "case": case,
        "kinds": [(k, KINDS[k]) for k in kinds],
        "acting_as": case_authority.BODY_OF_ROLE.get(actor.role),
        "actors": sorted(a for a in case.actor_ids() if a not in bodies),
        "documents": [d.id for d in case.documents],
        "values": values,
    }


@router.get("/cases/{case_id}/record", response_class=HTMLResponse)
def record_form(request: Request, case_id: str, db: DatabaseUrl, actor: Recorder) -> Response:
    case = cases.get_case(db, case_id)
    return TEMPLATES.TemplateResponse(request, "record_event.html", _context(case, actor, {}))


@router.post("/cases/{case_id}/record")
def record_event(
    request: Request,
    case_id: str,
    db: DatabaseUrl,
    actor: Recorder,
    recorded_by: RecordedBy,
    kind: Short,
    date: Short,
    summary: Text,
    document: Short,
    quote: Text,
    certainty: Short = "stated",
    assumption: Text = "",
    by: Short = "",
    url: Short = "",
    details: Text = "",
) -> Response:
    case = cases.get_case(db, case_id)
    values = {
        "kind": kind, "date": date, "summary": summary, "document": document, "quote": quote,
        "certainty": certainty, "assumption": assumption, "by": by, "url": url,
        "details": details,
    }  # fmt: skip
    source: dict[str, str] = {"document": document, "quote": quote}
    if url.strip():
        source["url"] = url.strip()
    event: dict[str, Any] = {
        "kind": kind, "date": date, "summary": summary, "certainty": certainty,
        "sources": [source],
    }  # fmt: skip
    if assumption.strip():
        event["assumption"] = assumption
    if by.strip():
        event["by"] = by.strip()
    try:
        event.update(detail_lines(details))
        recorded = cases.add_event(
            db, case_id, case_authority.event_as(actor.role, event), recorded_by=recorded_by
        )
    except (InvalidInput, NotAllowed) as exc:
        status = (
            409 if isinstance(exc, RuleRefused) else 403 if isinstance(exc, NotAllowed) else 422
        )
        context = _context(case, actor, values)
        context["refused"] = isinstance(exc, RuleRefused)
        context["problems"] = (
            [p.as_dict() for p in exc.problems] if isinstance(exc, InvalidInput) else
            [{"what": str(exc)}]
        )  # fmt: skip
        return TEMPLATES.TemplateResponse(request, "record_event.html", context, status_code=status)
    return RedirectResponse(f"/cases/{case_id}#event-{recorded.seq}", status_code=303)
