"""Who may use which route, proved from the app's own route table, and the stranger's
forged events from the trial refused."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from fastapi import Depends, FastAPI
from fastapi.testclient import TestClient

from guildhall.services import accounts, cases
from guildhall.web import access
from guildhall.web.app import UndeclaredRoute, create_app

from .sign_in import signed_in

CASE = Path(__file__).resolve().parents[2] / "cases" / "sag-2008" / "case.yaml"
ROLES = accounts.ROLES
SOURCE = [{"document": "domain-research", "quote": "So it was decided."}]

PUBLIC_WRITES = {("POST", "/sign-in"), ("POST", "/sign-in/link"),
                 ("POST", "/sign-in/link/{token}"), ("POST", "/api/session")}  # fmt: skip
"""The only writes anyone may make: signing in."""

SIGN_OUTS = {("POST", "/sign-out"), ("DELETE", "/api/session")}
"""Routes that end the caller's session (asked by the roles refused only)."""


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> tuple[FastAPI, dict[str, TestClient]]:
    url = f"sqlite:///{tmp_path_factory.mktemp('access') / 'g.db'}"
    cases.load_case_file(url, CASE, recorded_by="loader")
    app = create_app(url, data_dir=tmp_path_factory.mktemp("nodata"))
    clients = {role: signed_in(app, url, role, "7" if role == "member" else None) for role in ROLES}
    clients["anonymous"] = TestClient(app)
    return app, clients


def _concrete(path: str) -> str:
    return re.sub(r"\{[^}]+\}", "1", path)


def _routes(app: FastAPI) -> list[tuple[str, str, access.Policy]]:
    found = []
    for route in access.routes_of(app.routes):
        if isinstance(route.original_route, access.Mount):
            continue
        policy = access.policy_of(route)
        assert policy is not None, f"{route.path} declares no roles"
        for method in sorted(route.methods or ()):
            found.append((method, str(route.path), policy))
    return found


def test_every_route_declares_its_roles_and_refuses_every_other_role_and_anonymous(
    site: tuple[FastAPI, dict[str, TestClient]],
) -> None:
    app, clients = site
    routes = _routes(app)
    restricted = [(m, p, pol) for m, p, pol in routes if not pol.public]
    assert len(restricted) >= 10
    assert ("POST", "/api/cases/{case_id}/events") in {(m, p) for m, p, _ in restricted}
    for method, path, policy in restricted:
        url = _concrete(path)
        anonymous = clients["anonymous"].request(method, url)
        assert anonymous.status_code == 401, (method, path, anonymous.text)
        assert anonymous.headers["content-type"] == "application/problem+json"
        assert policy.roles is not None
        for role in ROLES:
            if role in policy.roles and (method, path) in SIGN_OUTS:
                continue
            answer = clients[role].request(method, url, json={})
            if role in policy.roles:
                assert answer.status_code not in (401,), (method, path, role)
            else:
                assert answer.status_code == 403, (method, path, role, answer.text)


def test_public_routes_only_read_except_signing_in(
    site: tuple[FastAPI, dict[str, TestClient]],
) -> None:
    app, _ = site
    writes = {(m, p) for m, p, pol in _routes(app) if pol.public and m not in ("GET", "HEAD")}
    assert writes == PUBLIC_WRITES


def test_a_route_without_roles_stops_the_app_and_is_refused_if_added_later(
    site: tuple[FastAPI, dict[str, TestClient]], tmp_path: Path
) -> None:
    from guildhall.web import app as app_module
    from guildhall.web.routes import cases_api

    def sneaky() -> dict[str, str]:
        return {"secret": "yes"}

    cases_api.router.add_api_route("/sneaky", sneaky, methods=["GET"])
    try:
        with pytest.raises(UndeclaredRoute, match="/api/cases/sneaky"):
            app_module.create_app(f"sqlite:///{tmp_path / 'x.db'}")
    finally:
        cases_api.router.routes.pop()
    app, clients = site
    app.router.add_api_route("/late", sneaky, methods=["GET"])
    for who in ("anonymous", "admin", "staff"):
        assert clients[who].get("/late").status_code in (401, 403)
    app.router.routes.pop()


def test_a_route_with_two_policies_counts_as_undeclared() -> None:
    app = FastAPI(openapi_url=None)
    app.get("/x", dependencies=[Depends(access.public()), Depends(access.allow("admin"))])(
        lambda: {}
    )
    assert access.undeclared(app.routes) == ["/x"]


# ---------------------------------------------------------------- the trial's forged events

FORGED: list[dict[str, Any]] = [
    {"date": "2008-12-01", "kind": "mediation_failed_determination", "by": "negotiating_committee",
     "summary": "Mediation has failed.", "certainty": "stated", "sources": SOURCE},
    {"date": "2008-12-02", "kind": "vote_opened", "vote": "sa-1",
     "question": "strike_authorization", "closes_on": "2009-01-10",
     "by": "negotiating_committee", "summary": "Vote opens.", "certainty": "stated",
     "sources": SOURCE},
    {"date": "2009-01-10", "kind": "vote_closed", "vote": "sa-1",
     "question": "strike_authorization", "yes": 99, "no": 1, "passed": True,
     "summary": "Passed 99-1.", "certainty": "stated", "sources": SOURCE},
    {"date": "2009-01-11", "kind": "board_strike_decision", "by": "national_board",
     "decision": "strike", "summary": "Strike called.", "certainty": "stated", "sources": SOURCE},
    {"date": "2009-01-12", "kind": "strike_started", "summary": "Strike.", "certainty": "stated",
     "sources": SOURCE},
]  # fmt: skip


def _events(clients: dict[str, TestClient]) -> int:
    return len(clients["anonymous"].get("/api/cases/sag-2008").json()["events"])


def test_the_strangers_forged_events_are_refused_and_nothing_is_written(
    site: tuple[FastAPI, dict[str, TestClient]],
) -> None:
    _, clients = site
    before = _events(clients)
    for event in FORGED:
        answer = clients["anonymous"].post("/api/cases/sag-2008/events", json=event)
        assert answer.status_code == 401, answer.text
        for role in ("member", "mediator", "trustee", "admin"):
            assert clients[role].post("/api/cases/sag-2008/events", json=event).status_code == 403
    assert _events(clients) == before


def test_a_body_records_only_its_own_acts_and_staff_none_of_theirs(
    site: tuple[FastAPI, dict[str, TestClient]],
) -> None:
    _, clients = site
    before = _events(clients)
    determination, _, closed, call, _ = FORGED
    refused = [
        ("staff", determination), ("staff", call), ("national_board", determination),
        ("negotiating_committee", call), ("staff", closed), ("negotiating_committee", closed),
        ("national_board", closed),
        ("staff", {**FORGED[4], "by": "national_board"}),
    ]  # fmt: skip
    for role, event in refused:
        answer = clients[role].post("/api/cases/sag-2008/events", json=event)
        assert answer.status_code == 403, (role, event["kind"], answer.text)
    assert _events(clients) == before
    strike = clients["staff"].post("/api/cases/sag-2008/events", json=FORGED[4])
    assert strike.status_code == 409, "the rules refuse a strike the board never called"


def test_a_javascript_source_address_is_refused(
    site: tuple[FastAPI, dict[str, TestClient]],
) -> None:
    _, clients = site
    event = {**FORGED[0], "kind": "public_statement", "by": "sag",
             "sources": [{**SOURCE[0], "url": "javascript:alert(document.cookie)"}]}  # fmt: skip
    answer = clients["staff"].post("/api/cases/sag-2008/events", json=event)
    assert answer.status_code == 422
    assert answer.json()["problems"][0]["where"]["field"] == "sources.0.url"
    from guildhall.web.deps import TEMPLATES

    shown = TEMPLATES.env.filters["web_address"]
    assert not shown("javascript:alert(1)") and not shown(" JaVaScRiPt:x") and not shown("data:x")
    assert shown("https://www.sag.org/") and shown("http://variety.com/x")


def test_writes_without_the_csrf_token_are_refused(
    site: tuple[FastAPI, dict[str, TestClient]],
) -> None:
    _, clients = site
    staff = clients["staff"]
    token = staff.headers.pop("X-CSRF-Token")
    try:
        event = {**FORGED[0], "kind": "public_statement", "by": "sag"}
        answer = staff.post("/api/cases/sag-2008/events", json=event)
        assert answer.status_code == 403 and "security token" in answer.json()["detail"]
        wrong = staff.post("/api/cases/sag-2008/events", json=event,
                           headers={"X-CSRF-Token": "0" * 64})  # fmt: skip
        assert wrong.status_code == 403
        form = staff.post("/cases/sag-2008/record", data={"kind": "public_statement"})
        assert form.status_code == 403
    finally:
        staff.headers["X-CSRF-Token"] = token


def test_a_member_sees_their_own_projection_only(
    site: tuple[FastAPI, dict[str, TestClient]],
) -> None:
    _, clients = site
    member = clients["member"]
    other = member.get("/api/costing/performer/8")
    assert other.status_code == 403
    assert member.get("/costing/performer/8").status_code == 403
    assert member.get("/costing/performer?id=8", follow_redirects=False).status_code == 403
    own = member.get("/api/costing/performer/7")
    assert own.status_code == 404, "their own is looked up (this site has no data set)"
    assert clients["staff"].get("/api/costing/performer/8").status_code == 404
    assert clients["mediator"].get("/api/costing/performer/8").status_code == 403
