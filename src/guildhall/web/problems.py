"""One error shape for the API: an RFC 9457 problem document; pages get the same content
as an HTML page.

A request body sent to the API is checked before any route sees it (``BodyGuard``): one
over ``MAX_BODY`` bytes is refused with 413, one that is not JSON (by its content type)
with 415, and JSON that does not parse, or nests too deeply, with 400 naming the line and
column.

::

    {"type": "/problems/rule-refused", "title": "The rules refuse this event",
     "status": 409, "detail": "...", "problems": [{"where": {...}, "what": "...",
     "rule": "...", "hint": "..."}]}
"""

from __future__ import annotations

import json
from email.message import Message
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from starlette.types import ASGIApp, Receive, Scope, Send
from starlette.types import Message as AsgiMessage

from guildhall.core.errors import Conflict, InvalidInput, NotFound, RuleRefused
from guildhall.files.located_json import parse_json
from guildhall.files.reading import size_text
from guildhall.web.deps import TEMPLATES

MEDIA_TYPE = "application/problem+json"
MAX_BODY = 1 << 20


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
    app.add_exception_handler(InvalidInput, _invalid)
    app.add_exception_handler(NotFound, _not_found)
    app.add_exception_handler(Conflict, _conflict)
    app.add_exception_handler(RequestValidationError, _request_invalid)
