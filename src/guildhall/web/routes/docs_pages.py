"""The OpenAPI document and its interactive reference, served from the app itself
(Swagger UI, vendored under ``static/swagger-ui``), so it works with no internet."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, Response

from guildhall.web import problems
from guildhall.web.access import public
from guildhall.web.deps import TEMPLATES

router = APIRouter(include_in_schema=False, dependencies=[Depends(public())])


@router.get("/api/openapi.json")
def openapi(request: Request) -> dict[str, Any]:
    return problems.openapi_document(request.app)


@router.get("/api/docs", response_class=HTMLResponse)
def api_docs(request: Request) -> Response:
    return TEMPLATES.TemplateResponse(request, "api_docs.html", {})
