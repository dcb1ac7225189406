"""Pages for people: the cases, a case's timeline with its sources, what may happen next."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse, Response

from guildhall.bargaining.corrections import superseded
from guildhall.services import cases, terms
from guildhall.services.case_views import setting_value, web_address
from guildhall.web.access import public
from guildhall.web.deps import TEMPLATES, DatabaseUrl

router = APIRouter(include_in_schema=False, dependencies=[Depends(public())])

TEMPLATES.env.filters["web_address"] = web_address


@router.get("/cases", response_class=HTMLResponse)
def case_list(request: Request, db: DatabaseUrl) -> Response:
    return TEMPLATES.TemplateResponse(request, "cases.html", {"cases": cases.list_cases(db)})


AsOf = Annotated[dt.date | None, Query(description="Show the timeline as it stood on this day.")]


@router.get("/cases/{case_id}", response_class=HTMLResponse)
def case_page(request: Request, case_id: str, db: DatabaseUrl, as_of: AsOf = None) -> Response:
    case, rulebook = cases.get_case_and_rules(db, case_id)
    timeline = case.timeline()
    shown = [e for e in timeline if as_of is None or e.date <= as_of]
    conflicts = [(c, setting_value(case, c.setting)) for c in case.conflicts]
    documents = {d.id: d for d in case.all_documents()}
    return TEMPLATES.TemplateResponse(
        request,
        "case.html",
        {
            "case": case,
            "events": shown,
            "as_of": as_of,
            "first_day": timeline[0].date if timeline else None,
            "last_day": timeline[-1].date if timeline else None,
            "hidden": len(timeline) - len(shown),
            "agreement_names": {t["id"]: t["name"] for t in terms.list_terms()},
            "superseded": superseded(case.events),
            "documents": documents,
            "conflicts": conflicts,
            "rules": cases.rulebook_summary(rulebook),
        },
    )


@router.get("/cases/{case_id}/documents/{document_id}", response_class=HTMLResponse)
def document_page(request: Request, case_id: str, document_id: str, db: DatabaseUrl) -> Response:
    """A source document's record and its text, shown as text (never as markup)."""
    case, document = cases.get_document(db, case_id, document_id)
    citing = [e for e in case.timeline() if any(s.document == document.id for s in e.sources)]
    paragraphs = [p.strip() for p in (document.text or "").split("\n\n") if p.strip()]
    return TEMPLATES.TemplateResponse(
        request,
        "case_document.html",
        {"case": case, "document": document, "paragraphs": paragraphs, "citing": citing},
    )


@router.get("/cases/{case_id}/next", response_class=HTMLResponse)
def next_page(request: Request, case_id: str, db: DatabaseUrl) -> Response:
    case, steps = cases.steps(db, case_id)
    return TEMPLATES.TemplateResponse(
        request,
        "next.html",
        {
            "case": case,
            "allowed": [s for s in steps if s.allowed],
            "refused": [s for s in steps if not s.allowed],
        },
    )
