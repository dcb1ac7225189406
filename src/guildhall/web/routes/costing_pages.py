"""Pages for costing: what each offer pays over the data set, and one member's projection."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Query, Request
from fastapi import Path as PathParam
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from guildhall.core.errors import InvalidInput, NotAllowed
from guildhall.core.money import format_cents
from guildhall.core.problems import Location, Problem
from guildhall.costing.charts import KIND_LABELS
from guildhall.costing.compare import BANDS, Comparison
from guildhall.services import costing_chart, terms, web_views
from guildhall.services.accounts import Account
from guildhall.web.access import allow, public
from guildhall.web.deps import TEMPLATES

router = APIRouter(include_in_schema=False)


def signed(cents: int) -> str:
    """A change in dollars with its sign: +$1,234.00, -$5.00, $0.00."""
    return ("+" if cents > 0 else "") + format_cents(cents)


def _data_dir(request: Request) -> Path:
    return Path(request.app.state.data_dir)


DataDir = Annotated[Path, Depends(_data_dir)]
"""The folder of the data set the costing pages read (``GUILDHALL_DATA_DIR``)."""

Agreements = Annotated[
    str,
    Query(
        max_length=2000,
        description="Comma-separated agreement ids; the first is the baseline.",
    ),
]
Readings = Annotated[list[str] | None, Query(description="PARAMETER=READING, repeatable")]
PerformerId = Annotated[int, PathParam(ge=1, description="The member's performer id.")]

DEFAULT = ",".join(web_views.DEFAULT_AGREEMENTS)

PROJECTION_ROLES = ("member", "staff", "negotiating_committee")
Viewer = Annotated[Account, Depends(allow(*PROJECTION_ROLES))]
"""A member (their own projection only), staff or the negotiating committee, signed in."""


def own_or_refused(viewer: Account, performer_id: int) -> None:
    """A member sees their own projection and nobody else's."""
    if viewer.role == "member" and viewer.member_id != str(performer_id):
        raise NotAllowed("a member sees their own projection only")


def query_string(ids: list[str], readings: dict[str, str]) -> str:
    """The query that asks for the same comparison again (for the chart and the JSON)."""
    parts = ["agreements=" + ",".join(ids)] + [f"reading={n}={r}" for n, r in readings.items()]
    return "&".join(parts)


def _no_data(request: Request, data_dir: Path, ids: list[str]) -> Response:
    return TEMPLATES.TemplateResponse(
        request,
        "costing_no_data.html",
        {"missing": web_views.missing_tables(data_dir), "ids": ids},
    )


def _context(result: Comparison) -> dict[str, Any]:
    ids = [a["id"] for a in result.agreements]
    kinds = sorted({k for per in result.by_kind.values() for k in per})
    years = sorted({y for per in result.by_year.values() for y in per})
    return {
        "result": result,
        "ids": ids,
        "kinds": kinds,
        "years": years,
        "bands": BANDS,
        "kind_labels": KIND_LABELS,
        "money": format_cents,
        "signed": signed,
    }


PickedAgreements = Annotated[
    list[str] | None,
    Query(
        description="Agreement ids, comma-separated or repeated (as the page's pickers send "
        "them); the first is the baseline, an empty choice is skipped.",
    ),
]


def picked_ids(values: list[str] | None) -> list[str]:
    """The agreements the pickers (or a typed query) chose, the baseline first; none asked
    for is the default comparison, an empty answer is refused."""
    text = DEFAULT if values is None else ",".join(v for v in values if v.strip())
    if len(text) > 2000:
        raise InvalidInput([Problem(Location(field="agreements"), "too many agreements named")])
    return web_views.parse_agreement_ids(text)


def _pickers(ids: list[str]) -> dict[str, Any]:
    """What the page's pickers offer: every agreement by name, and the readings of each
    uncertain term of the agreements compared."""
    every = terms.list_terms()
    uncertain: dict[str, dict[str, Any]] = {}
    for agreement_id in ids:
        for p in terms.show_terms(agreement_id)["parameters"]:
            if p.get("readings"):
                uncertain.setdefault(p["name"], p)
    return {
        "choices": [(t["id"], t["name"]) for t in every],
        "names": {t["id"]: t["name"] for t in every},
        "uncertain": list(uncertain.values()),
        "slots": max(len(ids), 3) + 1,
    }


@router.get("/costing", response_class=HTMLResponse, dependencies=[Depends(public())])
def costing_page(
    request: Request,
    data_dir: DataDir,
    agreements: PickedAgreements = None,
    reading: Readings = None,
) -> Response:
    ids = picked_ids(agreements)
    readings = web_views.parse_readings([r for r in reading or [] if r.strip()])
    if web_views.missing_tables(data_dir):
        return _no_data(request, data_dir, ids)
    result = web_views.compare(data_dir, ids, readings)
    chart = {
        "alt": costing_chart.description(result),
        "sizes": {layout: costing_chart.size(result, layout) for layout in LAYOUTS},
    }
    return TEMPLATES.TemplateResponse(
        request,
        "costing.html",
        {
            **_context(result),
            **_pickers(ids),
            "query": query_string(ids, readings),
            "readings": readings,
            "chart": chart,
        },
    )


LAYOUTS = costing_chart.LAYOUTS
Layout = Annotated[
    Literal["wide", "narrow"],
    Query(description="wide: panels side by side; narrow: stacked in one column, for phones"),
]


@router.get("/costing/chart.png", dependencies=[Depends(public())])
def costing_chart_png(
    request: Request,
    data_dir: DataDir,
    agreements: Agreements = DEFAULT,
    reading: Readings = None,
    layout: Layout = "wide",
) -> Response:
    """The chart, drawn once for each set of inputs and kept; its ETag names the inputs, so
    a browser that has it asks again with ``If-None-Match`` and gets 304."""
    ids = web_views.parse_agreement_ids(agreements)
    readings = web_views.parse_readings(reading or [])
    result = web_views.compare(data_dir, ids, readings)
    tag = costing_chart.tag(result, readings, layout)
    headers = {"ETag": f'"{tag}"', "Cache-Control": "public, no-cache"}
    asked = _etags(request.headers.get("if-none-match", ""))
    if tag in asked or "*" in asked:
        return Response(status_code=304, headers=headers)
    png = costing_chart.png(result, tag, layout)
    return Response(png, media_type="image/png", headers=headers)


def _etags(header: str) -> set[str]:
    """The tags an ``If-None-Match`` header names (weak or strong; ``*`` is any)."""
    return {t.strip().removeprefix("W/").strip('"') for t in header.split(",") if t.strip()}


@router.get("/costing/performer")
def performer_lookup(
    viewer: Viewer,
    performer_id: Annotated[int, Query(alias="id", ge=1, description="Performer id.")],
    agreements: Agreements = DEFAULT,
) -> Response:
    """Where the page's look-up form lands: the member's own page."""
    own_or_refused(viewer, performer_id)
    ids = web_views.parse_agreement_ids(agreements)
    return RedirectResponse(
        f"/costing/performer/{performer_id}?{query_string(ids, {})}", status_code=303
    )


@router.get("/costing/performer/{performer_id}", response_class=HTMLResponse)
def performer_page(
    request: Request,
    viewer: Viewer,
    performer_id: PerformerId,
    data_dir: DataDir,
    agreements: Agreements = DEFAULT,
    reading: Readings = None,
) -> Response:
    own_or_refused(viewer, performer_id)
    ids = web_views.parse_agreement_ids(agreements)
    readings = web_views.parse_readings(reading or [])
    if web_views.missing_tables(data_dir):
        return _no_data(request, data_dir, ids)
    view = web_views.performer(data_dir, ids, performer_id, readings)
    kinds = sorted({k for row in view["agreements"] for k in row["by_kind"]})
    return TEMPLATES.TemplateResponse(
        request,
        "costing_performer.html",
        {
            "view": view,
            "kinds": kinds,
            "kind_labels": KIND_LABELS,
            "money": format_cents,
            "signed": signed,
            "query": query_string(ids, readings),
        },
    )
