"""One error shape for every error: an RFC 9457 problem document; pages get the same content
as an HTML page.

A request body sent to the API is checked before any route sees it (``BodyGuard``): one
over ``MAX_BODY`` bytes is refused with 413, one that is not JSON (by its content type)
with 415, and JSON that does not parse, or nests too deeply, with 400 naming the line and
column.

::

    {"type": "/problems/rule-refused", "title": "The rules refuse this event",
     "status": 409, "detail": "...", "problems": [{"where": {...}, "what": "...",
     "rule": "...", "hint": "..."}]}

Unmatched routes (404), wrong methods (405, with ``Allow``), bodies that are not JSON (400),
unsigned visitors (401), roles refused (403), too many sign-ins (429) and unexpected failures
(500, which say nothing of the server) all take this shape, and every operation of the
OpenAPI document lists them.
"""

from __future__ import annotations

import json
import logging
from email.message import Message
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.openapi.utils import get_openapi
from fastapi.responses import JSONResponse, Response
from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Receive, Scope, Send
from starlette.types import Message as AsgiMessage

from guildhall.core.errors import (
    Conflict,
    InvalidInput,
    NotAllowed,
    NotFound,
    NotSignedIn,
    RuleRefused,
    TooManyAttempts,
)
from guildhall.files.located_json import parse_json
from guildhall.files.reading import size_text
from guildhall.web.deps import TEMPLATES

MEDIA_TYPE = "application/problem+json"
MAX_BODY = 1 << 20
LOG = logging.getLogger("guildhall.web")

TITLES = {
    400: ("bad-request", "The request is malformed"),
    401: ("not-signed-in", "Sign in first"),
    403: ("not-allowed", "Not allowed"),
    404: ("not-found", "Not found"),
    405: ("method-not-allowed", "Method not allowed"),
    409: ("conflict", "Already exists"),
    413: ("body-too-large", "The request body is too large"),
    415: ("unsupported-media-type", "The request body must be JSON"),
    422: ("invalid-input", "The input has problems"),
    429: ("too-many-attempts", "Too many attempts"),
    500: ("server-error", "Something went wrong on the server"),
}


def problem(status: int, kind: str, title: str, detail: str, **extra: Any) -> JSONResponse:
    body = {"type": f"/problems/{kind}", "title": title, "status": status, "detail": detail}
    body.update(extra)
    return JSONResponse(body, status_code=status, media_type=MEDIA_TYPE)


def standard(status: int, detail: str, **extra: Any) -> JSONResponse:
    kind, title = TITLES[status]
    return problem(status, kind, title, detail, **extra)


def wants_page(request: Request) -> bool:
    return not request.url.path.startswith("/api") and "text/html" in request.headers.get(
        "accept", ""
    )


def _for(request: Request, response: JSONResponse) -> Response:
    """The problem document for the API; for a page, the same problem as a page."""
    if not wants_page(request):
        return response
    body = json.loads(bytes(response.body))
    page = TEMPLATES.TemplateResponse(
        request, "problem.html", {"problem": body}, status_code=response.status_code
    )
    for name in ("Allow", "Retry-After"):
        if name in response.headers:
            page.headers[name] = response.headers[name]
    return page


def for_exception(request: Request, exc: Exception) -> Response:
    """The response for one of Guildhall's exceptions (also used before routing)."""
    if isinstance(exc, InvalidInput):
        refused = isinstance(exc, RuleRefused)
        response = problem(
            409 if refused else 422,
            "rule-refused" if refused else "invalid-input",
            "The rules refuse this event" if refused else "The input has problems",
            str(exc),
            problems=[p.as_dict() for p in exc.problems],
        )
    elif isinstance(exc, NotFound):
        response = standard(404, str(exc))
    elif isinstance(exc, Conflict):
        response = standard(409, str(exc))
    elif isinstance(exc, NotSignedIn):
        response = standard(401, str(exc))
    elif isinstance(exc, NotAllowed):
        response = standard(403, str(exc))
    elif isinstance(exc, TooManyAttempts):
        response = standard(429, str(exc))
        response.headers["Retry-After"] = str(exc.retry_after_seconds)
    else:
        raise TypeError(f"not a Guildhall error: {exc!r}")
    return _for(request, response)


async def _guildhall_error(request: Request, exc: Exception) -> Response:
    return for_exception(request, exc)


async def _http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, HTTPException)
    status = exc.status_code if exc.status_code in TITLES else 400
    if exc.status_code == 404:
        detail = f"nothing is at {request.url.path}"
    elif exc.status_code == 405:
        detail = f"{request.method} is not allowed on {request.url.path}"
    else:
        detail = str(exc.detail)
    response = standard(status, detail)
    for name, value in (exc.headers or {}).items():
        response.headers[name] = value
    return _for(request, response)


async def _request_invalid(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, RequestValidationError)
    errors = exc.errors()
    problems = [
        {"where": {"field": ".".join(str(p) for p in e.get("loc", ()))}, "what": e.get("msg")}
        for e in errors
    ]
    detail = "; ".join(f"{p['where']['field']}: {p['what']}" for p in problems)
    if any(e.get("type") == "json_invalid" for e in errors):
        return _for(request, standard(400, detail, problems=problems))
    return _for(
        request,
        problem(422, "invalid-input", "The request has problems", detail, problems=problems),
    )


async def _unexpected(request: Request, exc: Exception) -> Response:
    LOG.exception("unexpected failure on %s %s", request.method, request.url.path)
    response = _for(
        request,
        standard(500, "the server could not answer this request; it has been logged"),
    )
    from guildhall.web.security import add_headers

    add_headers(request, response.headers)
    return response


def _is_json(content_type: str | None) -> bool:
    message = Message()
    message["content-type"] = content_type or ""
    subtype = message.get_content_subtype()
    return message.get_content_maintype() == "application" and (
        subtype == "json" or subtype.endswith("+json")
    )


class BodyGuard:
    """ASGI middleware: the API takes JSON bodies of at most ``MAX_BODY`` bytes, well formed."""

    def __init__(self, app: ASGIApp, max_body: int = MAX_BODY) -> None:
        self.app = app
        self.max_body = max_body

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not str(scope.get("path", "")).startswith("/api"):
            await self.app(scope, receive, send)
            return
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope["headers"]}
        declared = headers.get("content-length", "")
        if declared.isdigit() and int(declared) > self.max_body:
            await self._refuse(scope, send, self._too_large(int(declared)))
            return
        chunks: list[bytes] = []
        size = 0
        more = True
        while more:
            message = await receive()
            if message["type"] == "http.disconnect":
                return
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > self.max_body:
                await self._refuse(scope, send, self._too_large(size))
                return
            chunks.append(chunk)
            more = message.get("more_body", False)
        body = b"".join(chunks)
        if body:
            refused = self._check(body, headers.get("content-type"))
            if refused is not None:
                await self._refuse(scope, send, refused)
                return
        sent = False

        async def replay() -> AsgiMessage:
            nonlocal sent
            if sent:
                return await receive()
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}

        await self.app(scope, replay, send)

    def _too_large(self, size: int) -> JSONResponse:
        detail = f"the body is {size_text(size)}; the limit is {size_text(self.max_body)}"
        return problem(413, "body-too-large", "The request body is too large", detail)

    @staticmethod
    def _check(body: bytes, content_type: str | None) -> JSONResponse | None:
        if not _is_json(content_type):
            return problem(415, "unsupported-media-type", "The request body must be JSON",
                           f"the content type is {content_type or 'not given'!r}; send"
                           " application/json")  # fmt: skip
        try:
            text = body.decode("utf-8")
        except UnicodeDecodeError as exc:
            return problem(400, "malformed-json", "The request body is not valid JSON",
                           f"byte {exc.start} is not UTF-8")  # fmt: skip
        _, problems = parse_json(text, "request body")
        if not problems:
            return None
        return problem(400, "malformed-json", "The request body is not valid JSON",
                       "; ".join(str(p) for p in problems),
                       problems=[p.as_dict() for p in problems])  # fmt: skip

    @staticmethod
    async def _refuse(scope: Scope, send: Send, response: JSONResponse) -> None:
        async def nothing() -> AsgiMessage:
            return {"type": "http.disconnect"}

        await response(scope, nothing, send)


def install(app: FastAPI) -> None:
    app.add_middleware(BodyGuard)
    for kind in (InvalidInput, NotFound, Conflict, NotSignedIn, NotAllowed, TooManyAttempts):
        app.add_exception_handler(kind, _guildhall_error)
    app.add_exception_handler(HTTPException, _http_error)
    app.add_exception_handler(RequestValidationError, _request_invalid)
    app.add_exception_handler(Exception, _unexpected)


# ---------------------------------------------------------------------------- OpenAPI

PROBLEM_SCHEMA: dict[str, Any] = {
    "type": "object",
    "description": "An RFC 9457 problem document.",
    "required": ["type", "title", "status", "detail"],
    "properties": {
        "type": {"type": "string"},
        "title": {"type": "string"},
        "status": {"type": "integer"},
        "detail": {"type": "string"},
        "problems": {
            "type": "array",
            "items": {
                "type": "object",
                "properties": {
                    "where": {"type": "object"},
                    "what": {"type": "string"},
                    "rule": {"type": "string"},
                    "hint": {"type": "string"},
                },
            },
        },
    },
}

DOCUMENTED = {
    400: "The body is not well-formed JSON",
    401: "Not signed in",
    403: "The signed-in role may not do this, or the CSRF token is missing",
    404: "Nothing by that name, or no such route",
    405: "The route does not take this method",
    409: "The rules refuse it, or it exists already",
    413: "The request body is over the limit",
    415: "The request body is not JSON",
    422: "A value of the query, path or body is wrong; problems[].where.field names it",
    429: "Too many failed sign-ins",
    500: "An unexpected failure",
}


def openapi_document(app: FastAPI) -> dict[str, Any]:
    """The OpenAPI document, with the problem responses every operation can give."""
    if app.openapi_schema is None:
        doc = get_openapi(title=app.title, version=app.version, routes=app.routes)
        doc.setdefault("components", {}).setdefault("schemas", {})["Problem"] = PROBLEM_SCHEMA
        ref = {"$ref": "#/components/schemas/Problem"}
        for operations in doc.get("paths", {}).values():
            for operation in operations.values():
                responses = operation.setdefault("responses", {})
                for status, description in DOCUMENTED.items():
                    responses[str(status)] = {
                        "description": description,
                        "content": {MEDIA_TYPE: {"schema": ref}},
                    }
        schemas = doc["components"]["schemas"]
        for unused in ("HTTPValidationError", "ValidationError"):
            schemas.pop(unused, None)
        app.openapi_schema = doc
    return app.openapi_schema
