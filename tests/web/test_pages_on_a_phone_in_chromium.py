"""Every page, on a phone, in real headless Chromium (Playwright driving Debian's Chromium):
nothing scrolls sideways at 390 px, and axe-core finds no WCAG 2.1 A/AA violation.

The pages are the app's own route table: every GET route that answers with HTML, its path
filled with the demo's ids, opened signed in as a role the route allows. A page added later
is checked without anyone listing it; one whose path names an id this module does not know
fails here until it is given one.

axe-core 4.14.1 is vendored from the npm registry under ``tests/web/vendor/axe-core`` (its
``package.json`` and licence beside it) and evaluated in each page through the DevTools
protocol, so the app's Content-Security-Policy stays on and is checked too.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.responses import HTMLResponse
from fastapi.routing import APIRoute
from playwright.sync_api import Browser, BrowserContext

from guildhall.costing.data.synth import SynthSpec
from guildhall.services import accounts, ballots, cases, costing
from guildhall.services.ballots import identities
from guildhall.services.demo_accounts import first_performer_with_credits
from guildhall.settings import Settings
from guildhall.web import access
from guildhall.web.app import create_app

from .browser import chromium_browser, served
from .sign_in import PASSWORD

CASE = Path(__file__).resolve().parents[2] / "cases" / "sag-2008" / "case.yaml"
AXE = Path(__file__).parent / "vendor" / "axe-core" / "axe.min.js"
WIDTH = 390
TAGS = ["wcag2a", "wcag2aa", "wcag21aa"]
ELECTION = "strike-2008"
pytestmark = pytest.mark.browser

EXTRA = (
    "/cases/sag-2008?as_of=2008-10-01",
    "/terms/amptp-2008-final-offer?on=2009-01-01&reading=budget_test=all_thresholds",
    "/terms/diff?a=sag-2005&b=sag-2009",
    "/costing?agreements=sag-2005&agreements=sag-2009&reading=budget_test=all_thresholds",
    f"/elections/{ELECTION}/track?tracker={'ab' * 32}",
    "/terms/no-such-agreement",
)
"""Pages in other states than their plain address shows: a date and readings chosen, a
ballot looked up, a problem page."""

NOT_OURS = frozenset({"/api/docs"})
"""Pages whose markup is a vendored library's (Swagger UI draws the API reference): checked
for width, not by axe-core, whose findings there (nested controls, colours) are Swagger UI's."""


@dataclass(frozen=True)
class Seen:
    url: str
    role: str
    status: int
    scroll_width: int
    violations: list[dict[str, Any]]
    console_errors: list[str]


def _ids(performer: int) -> dict[str, str]:
    return {
        "case_id": "sag-2008",
        "document_id": "001_ca3c4b3eea986f46.txt",
        "agreement_id": "amptp-2008-final-offer",
        "performer_id": str(performer),
        "election_id": ELECTION,
        "token": "t" * 43,
    }


def page_routes(app: FastAPI) -> list[tuple[str, access.Policy]]:
    """Every GET route of the app that answers with an HTML page, with its policy."""
    found = []
    for route in access.routes_of(app.routes):
        original = route.original_route
        if not isinstance(original, APIRoute) or "GET" not in (route.methods or ()):
            continue
        if original.response_class is HTMLResponse or (
            isinstance(original.response_class, type)
            and issubclass(original.response_class, HTMLResponse)
        ):
            policy = access.policy_of(route)
            assert policy is not None
            found.append((str(route.path), policy))
    return found


def _role_for(policy: access.Policy) -> str:
    if policy.roles is None:
        return "anonymous"
    for role in ("staff", "member", *accounts.ROLES):
        if role in policy.roles:
            return role
    raise AssertionError(policy)


def _fill(path: str, ids: dict[str, str]) -> str:
    names = re.findall(r"\{([^}:]+)[^}]*\}", path)
    unknown = [n for n in names if n not in ids]
    assert not unknown, f"{path}: give this module a demo value for {unknown}"
    return re.sub(r"\{([^}:]+)[^}]*\}", lambda m: ids[m.group(1)], path)


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, FastAPI, int]]:
    folder = tmp_path_factory.mktemp("phone")
    data = folder / "data"
    costing.synth_data(data, SynthSpec(members=120, titles=20, events=1200, seed=3),
                       lambda _t, _n: None)  # fmt: skip
    performer = first_performer_with_credits(data)
    assert performer is not None
    url = f"sqlite:///{folder / 'g.db'}"
    cases.load_case_file(url, CASE, recorded_by="loader")
    for role in accounts.ROLES:
        accounts.add_user(url, f"{role}@guild.test", role, name=f"Test {role}",
                          member_id=str(performer) if role == "member" else None,
                          password=PASSWORD)  # fmt: skip
    ids = folder / "ids"
    identities.new("authority", "a", key_path=ids / "a.key", public_path=ids / "a.json")
    identities.new("board", "b", key_path=ids / "b.key", public_path=ids / "b.json")
    now = datetime.now(UTC)
    ballots.create(url, election_id=ELECTION, question="strike_authorization",
                   text="Do you authorize the national board to call a strike?",
                   opens_at=now + timedelta(days=1), closes_at=now + timedelta(days=8),
                   case_id="sag-2008", trustees=3, quorum=2, key_dir=folder / "keys",
                   authority_path=ids / "a.json", board_key_path=ids / "b.key")  # fmt: skip
    app = create_app(url, data_dir=data, settings=Settings(board_key=ids / "b.key"))
    with served(app) as base:
        yield base, app, performer


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with chromium_browser() as b:
        yield b


def _context(browser: Browser, base: str, role: str) -> BrowserContext:
    context = browser.new_context(viewport={"width": WIDTH, "height": 844}, device_scale_factor=1)
    if role != "anonymous":
        answer = context.request.post(
            f"{base}/api/session", data={"email": f"{role}@guild.test", "password": PASSWORD}
        )
        assert answer.status == 201, answer.text()
    return context


@pytest.fixture(scope="module")
def seen(site: tuple[str, FastAPI, int], browser: Browser) -> list[Seen]:
    """Each page opened once at 390 px: its width and axe-core's violations."""
    base, app, performer = site
    ids = _ids(performer)
    visits = [(_fill(path, ids), _role_for(policy)) for path, policy in page_routes(app)]
    visits += [(url, "anonymous") for url in EXTRA]
    axe = AXE.read_text(encoding="utf-8")
    contexts: dict[str, BrowserContext] = {}
    out = []
    try:
        for url, role in visits:
            if role not in contexts:
                contexts[role] = _context(browser, base, role)
            page = contexts[role].new_page()
            errors: list[str] = []
            page.on("console", lambda m, e=errors: e.append(m.text) if m.type == "error" and
                    "Content Security Policy" in m.text else None)  # fmt: skip
            response = page.goto(base + url, wait_until="load")
            assert response is not None
            width = int(page.evaluate("document.documentElement.scrollWidth"))
            page.evaluate(axe)
            result = page.evaluate(
                "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", TAGS
            )
            violations = [
                {"id": v["id"], "impact": v["impact"], "help": v["help"],
                 "nodes": [n["target"] for n in v["nodes"]][:5]}
                for v in result["violations"]
            ]  # fmt: skip
            out.append(Seen(url, role, response.status, width, violations, errors))
            page.close()
    finally:
        for context in contexts.values():
            context.close()
    return out


def test_every_page_route_is_visited_and_answers(
    site: tuple[str, FastAPI, int], seen: list[Seen]
) -> None:
    _, app, performer = site
    routes = page_routes(app)
    assert len(routes) >= 20, "the route table lists the pages"
    visited = {s.url for s in seen}
    for path, _policy in routes:
        assert _fill(path, _ids(performer)) in visited
    wrong = [(s.url, s.role, s.status) for s in seen
             if s.status != (404 if "no-such" in s.url else 200)]  # fmt: skip
    assert not wrong, wrong
    assert not [s for s in seen if s.console_errors], [s.console_errors for s in seen]


def test_no_page_scrolls_sideways_on_a_390_px_screen(seen: list[Seen]) -> None:
    wide = [(s.url, s.role, s.scroll_width) for s in seen if s.scroll_width > WIDTH]
    assert not wide, f"pages wider than {WIDTH} px: {wide}"


def test_axe_core_finds_no_wcag_a_or_aa_violation_on_any_page(seen: list[Seen]) -> None:
    failing = {
        f"{s.url} ({s.role})": s.violations for s in seen if s.violations and s.url not in NOT_OURS
    }
    assert len(seen) - len(NOT_OURS) >= 25
    assert not failing, json.dumps(failing, indent=1)


def test_the_axe_core_vendored_is_the_pinned_release() -> None:
    package = json.loads((AXE.parent / "package.json").read_text(encoding="utf-8"))
    assert package["name"] == "axe-core" and package["version"] == "4.14.1"
    assert AXE.read_text(encoding="utf-8").startswith("/*! axe v4.14.1")
    assert (AXE.parent / "LICENSE").exists()
