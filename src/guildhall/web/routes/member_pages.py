"""A member's own pages: what each offer on the table means for them."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, Response

from guildhall.core.errors import NotFound
from guildhall.core.money import format_cents
from guildhall.costing.charts import KIND_LABELS
from guildhall.services import terms, web_views
from guildhall.services.accounts import Account
from guildhall.web.access import allow
from guildhall.web.deps import TEMPLATES
from guildhall.web.routes.costing_pages import DataDir, signed

router = APIRouter(include_in_schema=False)

Member = Annotated[Account, Depends(allow("member"))]


@router.get("/me/offers", response_class=HTMLResponse)
def my_offers(request: Request, member: Member, data_dir: DataDir) -> Response:
    """The signed-in member's projection under the contract in force and each offer; the
    member is the one signed in, never one named in the request."""
    if member.member_id is None or not member.member_id.isdigit():
        raise NotFound("your account is not linked to a member number with credits")
    if web_views.missing_tables(data_dir):
        raise NotFound("no earnings data has been loaded yet, so there is no projection")
    ids = list(web_views.DEFAULT_AGREEMENTS)
    view = web_views.performer(data_dir, ids, int(member.member_id))
    names = {a["id"]: a for a in terms.list_terms()}
    kinds = sorted({k for row in view["agreements"] for k in row["by_kind"]})
    return TEMPLATES.TemplateResponse(
        request,
        "member_offers.html",
        {
            "view": view,
            "names": names,
            "kinds": kinds,
            "kind_labels": KIND_LABELS,
            "money": format_cents,
            "signed": signed,
        },
    )
