"""Pages for the terms: every agreement, one agreement with its sources, two side by side."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse, Response

from guildhall.services import terms, web_views
from guildhall.web.access import public
from guildhall.web.deps import TEMPLATES

router = APIRouter(include_in_schema=False, dependencies=[Depends(public())])

A, B = web_views.DEFAULT_DIFF


@router.get("/terms", response_class=HTMLResponse)
def terms_list(request: Request) -> Response:
    agreements = terms.list_terms()
    return TEMPLATES.TemplateResponse(
        request,
        "terms_list.html",
        {"agreements": agreements, "default_diff": web_views.DEFAULT_DIFF},
    )


@router.get("/terms/diff", response_class=HTMLResponse)
def terms_diff(
    request: Request,
    a: Annotated[str, Query(min_length=1, max_length=200)] = A,
    b: Annotated[str, Query(min_length=1, max_length=200)] = B,
) -> Response:
    diff = terms.diff_terms(a, b)
    names = {t["id"]: t["name"] for t in terms.list_terms()}
    return TEMPLATES.TemplateResponse(
        request,
        "terms_diff.html",
        {"diff": diff, "names": names, "choices": sorted(names)},
    )


@router.get("/terms/{agreement_id}", response_class=HTMLResponse)
def terms_page(
    request: Request,
    agreement_id: str,
    on: Annotated[
        dt.date | None, Query(description="Only the values in force on this day.")
    ] = None,
    reading: Annotated[list[str] | None, Query(description="PARAMETER=READING")] = None,
) -> Response:
    chosen = web_views.parse_readings(reading or [])
    agreement = terms.show_terms(agreement_id, on=on, readings=chosen)
    uncertain = [p for p in agreement["parameters"] if p["status"] == "uncertain"]
    return TEMPLATES.TemplateResponse(
        request,
        "terms_show.html",
        {"a": agreement, "uncertain": uncertain, "chosen": chosen},
    )
