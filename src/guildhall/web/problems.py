"""One error shape for the API: an RFC 9457 problem document; pages get the same content
as an HTML page.

::

    {"type": "/problems/rule-refused", "title": "The rules refuse this event",
     "status": 409, "detail": "...", "problems": [{"where": {...}, "what": "...",
     "rule": "...", "hint": "..."}]}
"""

from __future__ import annotations

import json
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response

from guildhall.core.errors import Conflict, InvalidInput, NotFound, RuleRefused
from guildhall.web.deps import TEMPLATES

MEDIA_TYPE = "application/problem+json"


def problem(status: int, kind: str, title: str, detail: str, **extra: Any) -> JSONResponse:
    body = {"type": f"/problems/{kind}", "title": title, "status": status, "detail": detail}
    body.update(extra)
    return JSONResponse(body, status_code=status, media_type=MEDIA_TYPE)


def _for(request: Request, response: JSONResponse) -> Response:
    """The problem document for the API; for a page, the same problem as a page."""
    if request.url.path.startswith("/api") or "text/html" not in request.headers.get("accept", ""):
        return response
    body = json.loads(bytes(response.body))
    return TEMPLATES.TemplateResponse(
        request, "problem.html", {"problem": body}, status_code=response.status_code
    )


async def _invalid(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, InvalidInput)
    refused = isinstance(exc, RuleRefused)
    return _for(
        request,
        problem(
            409 if refused else 422,
            "rule-refused" if refused else "invalid-input",
            "The rules refuse this event" if refused else "The input has problems",
            str(exc),
            problems=[p.as_dict() for p in exc.problems],
        ),
    )


async def _not_found(request: Request, exc: Exception) -> Response:
    return _for(request, problem(404, "not-found", "Not found", str(exc)))


async def _conflict(request: Request, exc: Exception) -> Response:
    return _for(request, problem(409, "conflict", "Already exists", str(exc)))


async def _request_invalid(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, RequestValidationError)
    problems = [
        {"where": {"field": ".".join(str(p) for p in e.get("loc", ()))}, "what": e.get("msg")}
        for e in exc.errors()
    ]
    return _for(
        request,
        problem(
            422,
            "invalid-input",
            "The request has problems",
            "; ".join(f"{p['where']['field']}: {p['what']}" for p in problems),
            problems=problems,
        ),
    )


def install(app: FastAPI) -> None:
    app.add_exception_handler(InvalidInput, _invalid)
    app.add_exception_handler(NotFound, _not_found)
    app.add_exception_handler(Conflict, _conflict)
    app.add_exception_handler(RequestValidationError, _request_invalid)
