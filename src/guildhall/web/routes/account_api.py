"""Signing in from a program: a session cookie and the CSRF token its writes carry."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Body, Depends, Request
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel, Field

from guildhall.services import accounts
from guildhall.web import access
from guildhall.web.access import EVERY_ROLE, allow, csrf_token, current_account, public
from guildhall.web.deps import DatabaseUrl
from guildhall.web.routes.account_pages import client_of
from guildhall.web.security import set_cookie

router = APIRouter(prefix="/api/session", tags=["session"])


class Credentials(BaseModel):
    email: str = Field(max_length=320)
    password: str = Field(max_length=1000)


def _who(account: accounts.Account) -> dict[str, Any]:
    return {
        "email": account.email,
        "name": account.name,
        "role": account.role,
        "member_id": account.member_id,
    }


@router.post("", status_code=201, dependencies=[Depends(public(csrf=False))])
def sign_in(
    request: Request, db: DatabaseUrl, credentials: Annotated[Credentials, Body()]
) -> JSONResponse:
    """Sign in by password. The answer carries ``csrf``: send it as ``X-CSRF-Token`` with
    every write. (A JSON body cannot be sent across sites without the app's consent, so this
    one route needs no token.)"""
    done = accounts.sign_in(db, credentials.email, credentials.password, client=client_of(request))
    request.state.account = done.account
    request.cookies[access.SESSION_COOKIE] = done.token
    body = {**_who(done.account), "csrf": csrf_token(request)}
    response = JSONResponse(body, status_code=201)
    lifetime = int(accounts.SESSION_LIFETIME.total_seconds())
    set_cookie(request, response, access.SESSION_COOKIE, done.token, lifetime)
    return response


@router.get("", dependencies=[Depends(allow(*EVERY_ROLE))])
def who_am_i(request: Request) -> dict[str, Any]:
    """The signed-in account and the CSRF token for its writes."""
    account = current_account(request)
    assert account is not None
    return {**_who(account), "csrf": csrf_token(request)}


@router.delete("", status_code=204, dependencies=[Depends(allow(*EVERY_ROLE))])
def sign_out(request: Request, db: DatabaseUrl) -> Response:
    token = request.cookies.get(access.SESSION_COOKIE)
    if token:
        accounts.sign_out(db, token)
    response = Response(status_code=204)
    response.delete_cookie(access.SESSION_COOKIE, path="/")
    return response
