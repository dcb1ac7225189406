"""Who may use each route, checked on the server.

Every route declares a policy with ``allow(...)`` (one or more roles) or ``PUBLIC``, as a
dependency of the route. ``check_route`` runs for every request before the body is read
(``guard`` in ``web/security.py``): an anonymous visitor gets 401, a role the policy does
not name gets 403, and a route that declares no policy is refused to everyone, so a new
route cannot slip past. ``create_app`` refuses to build an app with such a route at all.

The policy dependency also checks the CSRF token on every request that can change
something (anything but GET, HEAD and OPTIONS) and hands the route the signed-in account.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from fastapi import Request
from fastapi.routing import APIRoute, RouteContext, iter_route_contexts
from starlette.routing import BaseRoute, Match, Mount
from starlette.types import Scope

from guildhall.core.errors import NotAllowed, NotSignedIn
from guildhall.services import accounts
from guildhall.services.accounts import ROLES, Account

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
SESSION_COOKIE = "guildhall_session"
VISITOR_COOKIE = "guildhall_visitor"
CSRF_FIELD = "csrf"
CSRF_HEADER = "x-csrf-token"

EVERY_ROLE = ROLES

# Who takes each step of a member vote (web/routes/election_pages.py and
# election_authority_pages.py). The office runs the vote and the credential authority's
# hand-offs; the negotiating committee opens it and certifies its result (its acts on the
# case record); trustees watch where the decryption stands.
ELECTION_OFFICE = ("staff", "admin")
"""Import the roll, publish, hand out the authority's files and import its signed list,
spoil an audited ballot, checkpoint the board, close, tally."""
ELECTION_COMMITTEE = ("negotiating_committee",)
"""Open the vote, certify its result."""
ELECTION_MANAGERS = (*ELECTION_OFFICE, *ELECTION_COMMITTEE)
"""See the page that runs the vote."""
ELECTION_WATCHERS = ("trustee", *ELECTION_MANAGERS)
"""See where each trustee stands."""


@dataclass(frozen=True)
class Policy:
    """``roles`` may use the route; ``None`` means anyone, signed in or not."""

    roles: frozenset[str] | None
    csrf: bool = True

    @property
    def public(self) -> bool:
        return self.roles is None

    def refusal(self, account: Account | None) -> Exception | None:
        if self.roles is None:
            return None
        if account is None:
            return NotSignedIn("sign in to use this page")
        if account.role not in self.roles:
            names = ", ".join(accounts.ROLE_NAMES[r] for r in sorted(self.roles))
            return NotAllowed(f"{account.role_name} may not use this; only: {names}")
        return None

    def describe(self) -> str:
        if self.roles is None:
            return "anyone"
        return ", ".join(r for r in ROLES if r in self.roles)


def _policy_dependency(policy: Policy) -> Callable[[Request], Any]:
    async def check(request: Request) -> Account | None:
        account = current_account(request)
        refused = policy.refusal(account)
        if refused is not None:
            raise refused
        if policy.csrf and request.method not in SAFE_METHODS:
            await _check_csrf(request)
        return account

    check.policy = policy  # type: ignore[attr-defined]
    return check


def allow(*roles: str, csrf: bool = True) -> Callable[[Request], Any]:
    """The dependency that lets only ``roles`` use a route."""
    unknown = set(roles) - set(ROLES)
    if unknown or not roles:
        raise ValueError(f"unknown or no roles: {sorted(unknown)}")
    return _policy_dependency(Policy(frozenset(roles), csrf))


def public(*, csrf: bool = True) -> Callable[[Request], Any]:
    """The dependency of a route anyone may use (the public record, signing in)."""
    return _policy_dependency(Policy(None, csrf))


def routes_of(routes: Iterable[BaseRoute]) -> list[RouteContext]:
    """Every route of the app, with the routers it was included through flattened."""
    return list(iter_route_contexts(list(routes)))


def policy_of(context: RouteContext | BaseRoute) -> Policy | None:
    """The policy a route declares, or ``None`` if it declares none (or two)."""
    route = context.original_route if isinstance(context, RouteContext) else context
    if not isinstance(route, APIRoute):
        return None
    found = [
        d.call.policy  # type: ignore[union-attr]
        for d in route.dependant.dependencies
        if hasattr(d.call, "policy")
    ]
    return found[0] if len(found) == 1 else None


def undeclared(routes: Iterable[BaseRoute]) -> list[str]:
    """Routes that declare no policy (static files are served to anyone)."""
    return [
        str(r.path)
        for r in routes_of(routes)
        if not isinstance(r.original_route, Mount) and policy_of(r) is None
    ]


def route_for(routes: Iterable[BaseRoute], scope: Scope) -> RouteContext | None:
    """The route that will answer this request (``None`` for no route or a wrong method)."""
    for route in routes_of(routes):
        match, _ = route.matches(scope)
        if match == Match.FULL:
            return route
    return None


def current_account(request: Request) -> Account | None:
    """The signed-in account of this request (looked up once), or ``None``."""
    if "account" not in request.state._state:
        token = request.cookies.get(SESSION_COOKIE)
        found = None
        if token:
            found = accounts.session_account(str(request.app.state.database_url), token)
        request.state.account = found
    account: Account | None = request.state.account
    return account


def csrf_token(request: Request) -> str:
    """The token this visitor's forms carry: bound to their session, or to their visitor
    cookie before they sign in, and signed with the app's secret."""
    session = request.cookies.get(SESSION_COOKIE)
    if session and current_account(request) is not None:
        basis = "session:" + session
    else:
        basis = "visitor:" + str(request.state.visitor)
    secret = str(request.app.state.secret).encode("utf-8")
    return hmac.new(secret, basis.encode("utf-8"), hashlib.sha256).hexdigest()


async def _check_csrf(request: Request) -> None:
    given = request.headers.get(CSRF_HEADER)
    if given is None and request.headers.get("content-type", "").startswith(
        ("application/x-www-form-urlencoded", "multipart/form-data")
    ):
        value = (await request.form()).get(CSRF_FIELD)
        given = value if isinstance(value, str) else None
    if not given or not hmac.compare_digest(given, csrf_token(request)):
        raise NotAllowed(
            "the form's security token is missing or stale; reload the page and try again"
        )
