"""The terms as JSON: the same shapes as ``guildhall terms ... --format json``."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query

from guildhall.services import terms, web_views
from guildhall.web.access import public

router = APIRouter(prefix="/api/terms", tags=["terms"], dependencies=[Depends(public())])

A, B = web_views.DEFAULT_DIFF


@router.get("")
def list_terms() -> list[dict[str, Any]]:
    """Every agreement and offer, one summary each."""
    return list(web_views.plain(terms.list_terms()))


@router.get("/diff")
def diff_terms(
    a: Annotated[str, Query(min_length=1, max_length=200)] = A,
    b: Annotated[str, Query(min_length=1, max_length=200)] = B,
) -> dict[str, Any]:
    """What changes from ``a`` to ``b``, term by term, with both sides' sources."""
    return dict(web_views.plain(terms.diff_terms(a, b)))


@router.get("/{agreement_id}")
def show_terms(
    agreement_id: str,
    on: Annotated[
        dt.date | None, Query(description="Only the values in force on this day.")
    ] = None,
    reading: Annotated[list[str] | None, Query(description="PARAMETER=READING")] = None,
) -> dict[str, Any]:
    """One agreement in full: files, formulas, parameters with dated, sourced values."""
    chosen = web_views.parse_readings(reading or [])
    return dict(web_views.plain(terms.show_terms(agreement_id, on=on, readings=chosen)))
