"""Costing as JSON: the same shape as ``guildhall cost ... --format json``."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends

from guildhall.services import web_views
from guildhall.web.access import public
from guildhall.web.routes.costing_pages import (
    DEFAULT,
    Agreements,
    DataDir,
    PerformerId,
    Readings,
    Viewer,
    own_or_refused,
)

router = APIRouter(prefix="/api/costing", tags=["costing"])


@router.get("", dependencies=[Depends(public())])
def compare(
    data_dir: DataDir, agreements: Agreements = DEFAULT, reading: Readings = None
) -> dict[str, Any]:
    """Each agreement costed over the data set and compared with the first (the baseline)."""
    ids = web_views.parse_agreement_ids(agreements)
    result = web_views.compare(data_dir, ids, web_views.parse_readings(reading or []))
    return dict(web_views.plain(result.as_dict()))


@router.get("/performer/{performer_id}")
def performer(
    viewer: Viewer,
    performer_id: PerformerId,
    data_dir: DataDir,
    agreements: Agreements = DEFAULT,
    reading: Readings = None,
) -> dict[str, Any]:
    """One member's projection under each agreement, by kind of payment; a member may ask
    for their own only."""
    own_or_refused(viewer, performer_id)
    ids = web_views.parse_agreement_ids(agreements)
    view = web_views.performer(data_dir, ids, performer_id, web_views.parse_readings(reading or []))
    return dict(web_views.plain(view))
