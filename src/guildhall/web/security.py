"""What every response carries and what every request passes first.

- The role check of ``web/access.py``, before the route reads the request's body.
- A visitor cookie (random, HTTP-only) that binds an anonymous visitor's forms (signing in)
  to their browser for the CSRF check.
- Security headers: a Content-Security-Policy that allows no inline script, no framing
  (``frame-ancestors 'none'``), ``nosniff``, a Referrer-Policy that sends no referrer, and
  HSTS when the request came over TLS. Pages for a signed-in person are not cached.
"""

from __future__ import annotations

import secrets
from collections.abc import Awaitable, Callable

from fastapi import FastAPI, Request
from fastapi.responses import Response
from starlette.datastructures import MutableHeaders
from starlette.routing import Mount

from guildhall.core.errors import NotAllowed
from guildhall.web import access, problems

CSP = "; ".join(
    (
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    )
)
HEADERS = {
    "Content-Security-Policy": CSP,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=()",
}
HSTS = "max-age=63072000; includeSubDomains"


def over_tls(request: Request) -> bool:
    return request.url.scheme == "https"


def secure_cookies(request: Request) -> bool:
    """Cookies are ``Secure`` over TLS, and always outside development."""
    return over_tls(request) or not bool(request.app.state.development)


def add_headers(request: Request, headers: MutableHeaders) -> None:
    for name, value in HEADERS.items():
        headers.setdefault(name, value)
    if over_tls(request):
        headers["Strict-Transport-Security"] = HSTS


def set_cookie(request: Request, response: Response, name: str, value: str, max_age: int) -> None:
    response.set_cookie(
        name,
        value,
        max_age=max_age,
        path="/",
        httponly=True,
        samesite="lax",
        secure=secure_cookies(request),
    )


async def _guarded(
    request: Request, call_next: Callable[[Request], Awaitable[Response]]
) -> Response:
    visitor = request.cookies.get(access.VISITOR_COOKIE)
    fresh = visitor is None or len(visitor) != 43
    request.state.visitor = secrets.token_urlsafe(32) if fresh else visitor
    route = access.route_for(request.app.routes, request.scope)
    refused: Exception | None = None
    if route is not None and not isinstance(route.original_route, Mount):
        policy = access.policy_of(route)
        if policy is None:
            refused = NotAllowed("this route declares no roles, so it is refused to everyone")
        else:
            refused = policy.refusal(access.current_account(request))
    if refused is not None:
        response = problems.for_exception(request, refused)
    else:
        response = await call_next(request)
    if fresh:
        set_cookie(request, response, access.VISITOR_COOKIE, request.state.visitor, 86400 * 30)
    add_headers(request, response.headers)
    if "account" in request.state._state and request.state.account is not None:
        response.headers.setdefault("Cache-Control", "no-store")
    return response


def install(app: FastAPI) -> None:
    app.middleware("http")(_guarded)
