"""People signing in and working in real headless Chromium (Playwright driving Debian's
Chromium): staff record an event and are refused one the rules forbid, a member sees their
own projection and is refused another member's, an anonymous POST is refused, and the API
reference works with nothing but the app to load from."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, Request, Route

from guildhall.costing.data.synth import SynthSpec
from guildhall.services import accounts, cases, costing
from guildhall.web.app import create_app

from .browser import chromium_browser, served
from .sign_in import PASSWORD

CASE = Path(__file__).resolve().parents[2] / "cases" / "sag-2008" / "case.yaml"
pytestmark = pytest.mark.browser


def _performers(data_dir: Path) -> list[int]:
    import pyarrow.parquet as pq

    from guildhall.costing.data.schema import DataSet

    table = pq.read_table(DataSet(data_dir).path("credits"), columns=["performer_id"])
    return sorted({int(v.as_py()) for v in table.column("performer_id")})


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, int, int]]:
    folder = tmp_path_factory.mktemp("chromium")
    data = folder / "data"
    costing.synth_data(data, SynthSpec(members=200, titles=30, events=2000, seed=5),
                       lambda _t, _n: None)  # fmt: skip
    mine, other = [p for p in _performers(data) if p >= 1][:2]
    url = f"sqlite:///{folder / 'g.db'}"
    cases.load_case_file(url, CASE, recorded_by="loader")
    accounts.add_user(url, "staff@guild.test", "staff", name="Sam Staff", password=PASSWORD)
    accounts.add_user(url, "member@guild.test", "member", name="Mel Member",
                      member_id=str(mine), password=PASSWORD)  # fmt: skip
    with served(create_app(url, data_dir=data)) as base:
        yield base, mine, other


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with chromium_browser() as b:
        yield b


@pytest.fixture
def page(browser: Browser, site: tuple[str, int, int]) -> Iterator[Page]:
    """A fresh browser context that may load nothing but the app, and that fails the test on
    any script error or Content-Security-Policy violation."""
    base = site[0]
    context = browser.new_context()
    errors: list[str] = []

    def local_only(route: Route, request: Request) -> None:
        if request.url.startswith(base):
            route.continue_()
        else:
            errors.append(f"tried to load {request.url}")
            route.abort()

    context.route("**/*", local_only)
    p = context.new_page()
    p.on("pageerror", lambda e: errors.append(str(e)))
    p.on("console", lambda m: errors.append(m.text) if m.type == "error" and
         "Content Security Policy" in m.text else None)  # fmt: skip
    yield p
    context.close()
    assert not errors, errors


def _sign_in(page: Page, base: str, email: str) -> None:
    page.goto(f"{base}/sign-in")
    page.fill("#email", email)
    page.fill("#password", PASSWORD)
    page.click("form[action='/sign-in'] button")
    page.wait_for_url(f"{base}/me")


def test_staff_record_an_event_and_are_refused_one_the_rules_forbid(
    page: Page, site: tuple[str, int, int]
) -> None:
    base = site[0]
    _sign_in(page, base, "staff@guild.test")
    assert "Sam Staff" in page.inner_text("header")
    page.goto(f"{base}/cases/sag-2008")
    page.click("text=Record an event")
    page.select_option("#kind", "public_statement")
    page.fill("#date", "2008-12-01")
    page.fill("#summary", "The guild's president spoke to members about the talks.")
    page.select_option("#by", "sag")
    page.fill("#document", "domain-research")
    page.fill("#quote", "The president addressed the members.")
    page.click("form.stacked button[type=submit]")
    page.wait_for_url(f"{base}/cases/sag-2008#event-42")
    assert "The guild's president spoke to members" in page.inner_text("#event-42")

    page.goto(f"{base}/cases/sag-2008/record")
    page.select_option("#kind", "strike_started")
    page.fill("#date", "2008-12-02")
    page.fill("#summary", "A strike began.")
    page.fill("#document", "domain-research")
    page.fill("#quote", "Members walked out.")
    response_status: list[int] = []
    page.on("response", lambda r: response_status.append(r.status) if r.request.method == "POST"
            else None)  # fmt: skip
    page.click("form.stacked button[type=submit]")
    refusal = page.locator("#refusal")
    refusal.wait_for()
    assert "The rules refuse this event" in refusal.inner_text()
    assert (
        "strike" in refusal.inner_text().lower() and "Nothing was written" in refusal.inner_text()
    )
    assert response_status == [409]
    assert page.input_value("#summary") == "A strike began.", "the form keeps what was typed"
    page.goto(f"{base}/cases/sag-2008")
    assert page.locator("li.event").count() == 42


def test_a_member_sees_their_own_projection(page: Page, site: tuple[str, int, int]) -> None:
    base, mine, _ = site
    _sign_in(page, base, "member@guild.test")
    page.click("text=What each offer means for me")
    page.wait_for_url(f"{base}/me/offers")
    assert page.locator("h1").inner_text() == "What each offer means for you"
    assert page.locator(".card").count() == 3
    text = page.inner_text("main")
    assert "what you have now" in text and "How it adds up" in text
    own = page.request.get(f"{base}/api/costing/performer/{mine}")
    assert own.status == 200 and own.json()["performer_id"] == mine


def test_a_member_is_refused_another_members_page(page: Page, site: tuple[str, int, int]) -> None:
    base, _, other = site
    _sign_in(page, base, "member@guild.test")
    response = page.goto(f"{base}/costing/performer/{other}")
    assert response is not None and response.status == 403
    assert page.locator("h1").inner_text() == "Not allowed"
    assert "their own projection only" in page.inner_text("main")
    api = page.request.get(f"{base}/api/costing/performer/{other}")
    assert api.status == 403


def test_an_anonymous_post_is_refused(page: Page, site: tuple[str, int, int]) -> None:
    base = site[0]
    page.goto(f"{base}/cases/sag-2008")
    status = page.evaluate(
        """async () => {
            const r = await fetch('/api/cases/sag-2008/events', {method: 'POST',
                headers: {'content-type': 'application/json'},
                body: JSON.stringify({date: '2008-12-01', kind: 'board_strike_decision',
                    by: 'national_board', decision: 'strike', summary: 'forged',
                    certainty: 'stated', sources: [{document: 'x', quote: 'y'}]})});
            return [r.status, r.headers.get('content-type')];
        }"""
    )
    assert status == [401, "application/problem+json"]
    form = page.request.post(f"{base}/cases/sag-2008/record", form={"kind": "strike_started"})
    assert form.status == 401
    assert "Record an event" not in page.inner_text("main")


def test_the_api_reference_works_offline(page: Page, site: tuple[str, int, int]) -> None:
    base = site[0]
    page.goto(f"{base}/api/docs")
    page.locator(".opblock").first.wait_for(timeout=20_000)
    assert page.locator(".opblock").count() >= 10
    assert "/api/cases/{case_id}/events" in page.inner_text("#swagger-ui")
