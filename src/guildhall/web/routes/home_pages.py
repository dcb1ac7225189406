"""The landing page: what Guildhall is, in plain words, and where each kind of visitor goes."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, Response

from guildhall.services import cases, web_views
from guildhall.web.access import public
from guildhall.web.deps import TEMPLATES, DatabaseUrl

router = APIRouter(include_in_schema=False, dependencies=[Depends(public())])


@router.get("/", response_class=HTMLResponse)
def home(request: Request, db: DatabaseUrl) -> Response:
    return TEMPLATES.TemplateResponse(
        request,
        "home.html",
        {
            "cases": cases.list_cases(db),
            "elections": web_views.list_elections(db),
            "offers": web_views.DEFAULT_AGREEMENTS,
            "diff": web_views.DEFAULT_DIFF,
        },
    )
