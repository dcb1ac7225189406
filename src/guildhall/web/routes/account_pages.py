"""Signing in and out: by password or by a one-time link mailed to the person, and the
signed-in person's own page."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from guildhall.core.errors import InvalidInput, TooManyAttempts
from guildhall.services import accounts
from guildhall.services.mailer import mailer_for
from guildhall.web import access
from guildhall.web.access import EVERY_ROLE, allow, current_account, public
from guildhall.web.deps import TEMPLATES, DatabaseUrl
from guildhall.web.security import set_cookie

router = APIRouter(include_in_schema=False)

Email = Annotated[str, Form(max_length=320)]
Password = Annotated[str, Form(max_length=1000)]
Next = Annotated[str, Form(max_length=500)]


def client_of(request: Request) -> str:
    return request.client.host if request.client else "unknown"


def local_path(target: str | None) -> str:
    """Where to go after signing in: a path on this site, never another site."""
    if target and target.startswith("/") and not target.startswith(("//", "/\\")):
        return target
    return "/me"


def signed_in(request: Request, done: accounts.SignedIn, target: str | None) -> Response:
    response = RedirectResponse(local_path(target), status_code=303)
    lifetime = int(accounts.SESSION_LIFETIME.total_seconds())
    set_cookie(request, response, access.SESSION_COOKIE, done.token, lifetime)
    return response


def _form(request: Request, status: int = 200, **context: object) -> Response:
    context.setdefault("next", request.query_params.get("next", ""))
    return TEMPLATES.TemplateResponse(request, "sign_in.html", context, status_code=status)


@router.get("/sign-in", response_class=HTMLResponse, dependencies=[Depends(public())])
def sign_in_page(request: Request) -> Response:
    return _form(request)


@router.post("/sign-in", dependencies=[Depends(public())])
def sign_in(
    request: Request, db: DatabaseUrl, email: Email, password: Password, next: Next = ""
) -> Response:
    try:
        done = accounts.sign_in(db, email, password, client=client_of(request))
    except InvalidInput as exc:
        return _form(request, 422, error=exc.problems[0].what, email=email, next=next)
    except TooManyAttempts as exc:
        response = _form(request, 429, error=str(exc), email=email, next=next)
        response.headers["Retry-After"] = str(exc.retry_after_seconds)
        return response
    return signed_in(request, done, next)


@router.post("/sign-in/link", dependencies=[Depends(public())])
def ask_for_link(request: Request, db: DatabaseUrl, email: Email) -> Response:
    base = str(request.base_url).rstrip("/") + "/sign-in/link/"
    try:
        accounts.send_sign_in_link(
            db,
            email,
            link_base=base,
            mailer=mailer_for(request.app.state.mail_dir),
            client=client_of(request),
        )
    except TooManyAttempts as exc:
        return _form(request, 429, error=str(exc), email=email)
    return _form(
        request,
        sent="If that address has an account, a sign-in link is on its way. It works once, "
        f"within {int(accounts.LINK_LIFETIME.total_seconds() // 60)} minutes.",
    )


@router.get("/sign-in/link/{token}", response_class=HTMLResponse, dependencies=[Depends(public())])
def link_page(request: Request, token: str) -> Response:
    """The link from the message: a button, so that a mail scanner opening it signs nobody in."""
    return TEMPLATES.TemplateResponse(request, "sign_in_link.html", {"token": token})


@router.post("/sign-in/link/{token}", dependencies=[Depends(public())])
def use_link(request: Request, db: DatabaseUrl, token: str) -> Response:
    return signed_in(request, accounts.redeem_link(db, token), None)


@router.post("/sign-out", dependencies=[Depends(allow(*EVERY_ROLE))])
def sign_out(request: Request, db: DatabaseUrl) -> Response:
    token = request.cookies.get(access.SESSION_COOKIE)
    if token:
        accounts.sign_out(db, token)
    response = RedirectResponse("/sign-in", status_code=303)
    response.delete_cookie(access.SESSION_COOKIE, path="/")
    return response


@router.get("/me", response_class=HTMLResponse, dependencies=[Depends(allow(*EVERY_ROLE))])
def me(request: Request) -> Response:
    return TEMPLATES.TemplateResponse(request, "me.html", {"me": current_account(request)})
