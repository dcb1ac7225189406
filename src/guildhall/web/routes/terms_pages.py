"""Pages for the terms: every agreement, one agreement with its sources, two side by side."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse, Response

from guildhall.services import terms, web_views
from guildhall.services.citations import Citation, citation, held_documents
from guildhall.web.access import public
from guildhall.web.deps import TEMPLATES, DatabaseUrl

router = APIRouter(include_in_schema=False, dependencies=[Depends(public())])

A, B = web_views.DEFAULT_DIFF


def picked(values: list[str] | None) -> list[str]:
    """The readings a page's pickers sent: an empty choice keeps the term as written."""
    return [v for v in values or [] if v.strip()]


def citer(db: str) -> Callable[[Mapping[str, Any]], Citation]:
    """How the page names each source: by the documents the case records hold."""
    held = held_documents(db)
    return lambda source: citation(source, held)


@router.get("/terms", response_class=HTMLResponse)
def terms_list(request: Request) -> Response:
    agreements = terms.list_terms()
    return TEMPLATES.TemplateResponse(
        request,
        "terms_list.html",
        {
            "agreements": agreements,
            "names": {t["id"]: t["name"] for t in agreements},
            "default_diff": web_views.DEFAULT_DIFF,
        },
    )


@router.get("/terms/diff", response_class=HTMLResponse)
def terms_diff(
    request: Request,
    db: DatabaseUrl,
    a: Annotated[str, Query(min_length=1, max_length=200)] = A,
    b: Annotated[str, Query(min_length=1, max_length=200)] = B,
) -> Response:
    diff = terms.diff_terms(a, b)
    names = {t["id"]: t["name"] for t in terms.list_terms()}
    return TEMPLATES.TemplateResponse(
        request,
        "terms_diff.html",
        {"diff": diff, "names": names, "choices": sorted(names), "cite": citer(db)},
    )


@router.get("/terms/{agreement_id}", response_class=HTMLResponse)
def terms_page(
    request: Request,
    agreement_id: str,
    db: DatabaseUrl,
    on: Annotated[
        dt.date | None, Query(description="Only the values in force on this day.")
    ] = None,
    reading: Annotated[list[str] | None, Query(description="PARAMETER=READING")] = None,
) -> Response:
    chosen = web_views.parse_readings(picked(reading))
    agreement = terms.show_terms(agreement_id, on=on, readings=chosen)
    uncertain = [p for p in agreement["parameters"] if p["status"] == "uncertain"]
    return TEMPLATES.TemplateResponse(
        request,
        "terms_show.html",
        {"a": agreement, "uncertain": uncertain, "chosen": chosen, "cite": citer(db)},
    )
