"""The web app over the case record: pages, the JSON API and its problem documents."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from tests.bargaining.helpers import ATTACKS, GOOD_STATEMENT

from guildhall.services import cases
from guildhall.services.case_views import web_address
from guildhall.web.app import create_app

from .sign_in import signed_in

CASE = Path(__file__).resolve().parents[2] / "cases" / "sag-2008" / "case.yaml"

CALL: dict[str, Any] = {
    "date": "2008-12-01",
    "kind": "board_strike_decision",
    "by": "national_board",
    "decision": "strike",
    "summary": "The national board calls a strike.",
    "certainty": "stated",
    "sources": [{"document": "board-minutes", "quote": "The board voted to strike."}],
    "documents": [
        {"id": "board-minutes", "title": "Board minutes", "text": "The board voted to strike."}
    ],
}


@pytest.fixture
def app(database_url: str) -> FastAPI:
    cases.load_case_file(database_url, CASE, recorded_by="loader")
    return create_app(database_url)


@pytest.fixture
def client(app: FastAPI, database_url: str) -> TestClient:
    """Staff, signed in: they record the parties' acts."""
    return signed_in(app, database_url, "staff")


@pytest.fixture
def board(app: FastAPI, database_url: str) -> TestClient:
    return signed_in(app, database_url, "national_board")


@pytest.fixture
def committee(app: FastAPI, database_url: str) -> TestClient:
    return signed_in(app, database_url, "negotiating_committee")


def test_the_case_page_shows_the_timeline_and_the_conflicts(client: TestClient) -> None:
    page = client.get("/cases/sag-2008")
    assert page.status_code == 200
    html = page.text
    assert html.count('class="event ') == 41
    assert "They last met officially July 16." in html
    assert 'id="conflict-strike-authorization-threshold"' in html
    assert (
        'Setting Strike authorization: comparison <code class="ident">'
        "strike_authorization.comparison</code> = <strong>at least</strong>"
    ) in html


def test_the_list_and_next_pages(client: TestClient) -> None:
    assert "sag-2008" in client.get("/cases").text
    html = client.get("/cases/sag-2008/next").text
    refused = html.split("Refused now")[1]
    assert "strike-authorization-after-failed-mediation" in refused


def test_the_api_returns_the_same_record_as_the_cli(client: TestClient) -> None:
    data = client.get("/api/cases/sag-2008").json()
    assert len(data["events"]) == 41
    assert {c["id"] for c in data["conflicts"]} >= {"strike-authorization-threshold"}


def test_a_refused_event_is_a_409_problem_and_nothing_is_written(
    client: TestClient, board: TestClient
) -> None:
    response = board.post("/api/cases/sag-2008/events", json=CALL)
    assert response.status_code == 409
    assert response.headers["content-type"] == "application/problem+json"
    body = response.json()
    assert body["type"] == "/problems/rule-refused"
    assert [p["rule"] for p in body["problems"]] == ["strike-call-needs-passed-authorization"]
    assert len(client.get("/api/cases/sag-2008").json()["events"]) == 41


def test_a_bad_event_is_a_422_problem_naming_the_field(board: TestClient) -> None:
    response = board.post("/api/cases/sag-2008/events", json={**CALL, "decision": "maybe"})
    assert response.status_code == 422
    body = response.json()
    assert body["type"] == "/problems/invalid-input"
    assert "'maybe' is not one of" in body["problems"][0]["what"]
    assert body["problems"][0]["where"] == {"file": "request body", "field": "decision"}


def test_an_allowed_event_is_recorded_as_the_signed_in_body(committee: TestClient) -> None:
    event = {**CALL, "kind": "mediation_failed_determination", "by": "amptp"}
    del event["decision"]
    response = committee.post("/api/cases/sag-2008/events", json=event)
    assert response.status_code == 201
    assert response.json()["seq"] == 42
    assert response.json()["by"] == "negotiating_committee", "the body is the signed-in one"


def test_an_unknown_case_is_a_404_problem(client: TestClient) -> None:
    response = client.get("/api/cases/nope")
    assert response.status_code == 404
    assert response.json()["type"] == "/problems/not-found"
    assert client.get("/cases/nope").status_code == 404


def test_a_person_asking_for_a_missing_page_gets_a_page(client: TestClient) -> None:
    page = client.get("/cases/nope", headers={"accept": "text/html"})
    assert page.status_code == 404
    assert page.headers["content-type"].startswith("text/html")
    assert "<h1>Not found</h1>" in page.text
    assert "no case &#39;nope&#39;" in page.text
    api = client.get("/api/cases/nope", headers={"accept": "text/html"})
    assert api.headers["content-type"] == "application/problem+json"


# The record cannot be forged through the API -------------------------------------------


@pytest.mark.parametrize("attack", sorted(ATTACKS))
def test_the_api_refuses_what_a_case_file_may_not_hold(client: TestClient, attack: str) -> None:
    event, message = ATTACKS[attack]
    before = client.get("/api/cases/sag-2008").json()
    response = client.post("/api/cases/sag-2008/events", json=event)
    assert response.status_code == 422
    assert response.headers["content-type"] == "application/problem+json"
    body = response.json()
    assert body["type"] == "/problems/invalid-input" and body["status"] == 422
    assert any(message in p["what"] for p in body["problems"]), body
    assert all(p["where"]["file"] == "request body" for p in body["problems"])
    assert client.get("/api/cases/sag-2008").json() == before


def test_a_backdated_close_is_refused_naming_the_later_close(
    committee: TestClient, database_url: str
) -> None:
    """Votes open and close through their election only; the rules still guard the record
    the election writes to."""
    from guildhall.core.errors import RuleRefused

    minutes = {"id": "minutes", "title": "Minutes", "text": "Mediation has failed. 7500 yes."}
    steps = [
        {**CALL, "kind": "mediation_failed_determination", "by": "negotiating_committee",
         "date": "2008-11-30", "documents": [minutes],
         "sources": [{"document": "minutes", "quote": "Mediation has failed."}]},
        {**CALL, "kind": "vote_opened", "by": "negotiating_committee", "vote": "sa",
         "question": "strike_authorization", "closes_on": "2009-01-10", "documents": [],
         "sources": [{"document": "minutes", "quote": "Mediation has failed."}]},
        {**CALL, "kind": "vote_closed", "by": None, "vote": "sa", "id": "sa-closed",
         "question": "strike_authorization", "yes": 7500, "no": 2500, "date": "2009-01-10",
         "documents": [], "sources": [{"document": "minutes", "quote": "7500 yes."}]},
    ]  # fmt: skip
    for step in steps:
        step.pop("decision")
        step = {k: v for k, v in step.items() if v is not None}
        cases.add_event(database_url, "sag-2008", step, recorded_by="election")
    early = {**steps[2], "id": "early", "date": "2008-12-20", "yes": 10, "no": 90}
    early = {k: v for k, v in early.items() if v is not None}
    response = committee.post("/api/cases/sag-2008/events", json=early)
    assert response.status_code == 403, "no one posts a vote's result"
    with pytest.raises(RuleRefused) as refused:
        cases.add_event(database_url, "sag-2008", early, recorded_by="election")
    problem = refused.value.problems[0]
    assert problem.rule == "vote-closes-an-open-vote"
    assert "#44 sa-closed of 2009-01-10 (vote_closed) would break a rule" in problem.what
    assert len(committee.get("/api/cases/sag-2008").json()["events"]) == 44


def test_the_api_records_the_signed_in_account_as_the_recorder(client: TestClient) -> None:
    response = client.post("/api/cases/sag-2008/events", json=GOOD_STATEMENT)
    assert response.status_code == 201
    assert response.json()["recorded_by"] == "staff@guild.test (staff)"
    assert response.json()["recorded_at"]
    html = client.get("/cases/sag-2008").text
    assert "by staff@guild.test (staff)" in html


def test_a_correction_shows_on_the_case_page_beside_what_it_corrects(client: TestClient) -> None:
    first = client.post("/api/cases/sag-2008/events", json=GOOD_STATEMENT).json()
    fixed = {**GOOD_STATEMENT, "id": "sag-silence-fixed", "corrects": first["id"],
             "summary": "SAG and the AMPTP both say little about the mediation."}  # fmt: skip
    assert client.post("/api/cases/sag-2008/events", json=fixed).status_code == 201
    html = client.get("/cases/sag-2008").text
    assert 'class="event stated superseded" id="event-42"' in html
    assert 'Corrected by <a href="#event-43">#43</a>' in html
    assert 'Corrects <a href="#event-42">#42</a>' in html
    data = client.get("/api/cases/sag-2008").json()
    by_seq = {e["seq"]: e for e in data["events"]}
    assert by_seq[42]["corrected_by"] == 43 and by_seq[43]["in_force"]


# The documents ---------------------------------------------------------------------------


def test_every_source_on_the_case_page_names_and_links_its_document(client: TestClient) -> None:
    html = client.get("/cases/sag-2008").text
    link = '<a href="/cases/sag-2008/documents/000_333080c6fa4b27e7.txt">'
    assert link + "SAG, AMPTP may return to the table under a federal mediator</a>" in html
    assert 'Variety (inferred from style) · <time datetime="2008-10-31">Oct 31, 2008</time>' in html
    assert (
        '<a href="https://www.hollywoodreporter.com/news/mediator-unable-bring-sag-amptp-123417"'
        in html
    )
    assert "Source documents (5)" in html


def test_a_document_page_shows_its_record_and_its_text_as_text(client: TestClient) -> None:
    page = client.get("/cases/sag-2008/documents/002_ac8fbb611370980d.txt")
    assert page.status_code == 200
    assert "<h1>Contract sit-down would be first since July 16</h1>" in page.text
    assert "requested mediation on Oct. 19." in page.text
    assert "November 17, 2008" in page.text
    api = client.get("/api/cases/sag-2008/documents/002_ac8fbb611370980d.txt").json()
    assert api["publisher"] == "Variety" and api["text"].startswith("Contract sit-down")
    hostile = {
        **GOOD_STATEMENT,
        "sources": [{"document": "leaflet", "quote": "<script>alert(1)</script>"}],
        "documents": [{"id": "leaflet", "title": "<b>Leaflet</b>", "url": "https://example.org/l",
                       "text": "<script>alert(1)</script>\n\n<a href=javascript:x()>x</a>"}],
    }  # fmt: skip
    assert client.post("/api/cases/sag-2008/events", json=hostile).status_code == 201
    html = client.get("/cases/sag-2008/documents/leaflet").text
    assert "<script>alert(1)</script>" not in html and "&lt;script&gt;" in html
    assert "<a href=javascript" not in html and "&lt;b&gt;Leaflet&lt;/b&gt;" in html
    case_html = client.get("/cases/sag-2008").text
    assert "<script>alert(1)</script>" not in case_html
    assert client.get("/cases/sag-2008/documents/nope").status_code == 404


def test_only_http_addresses_become_links() -> None:
    for bad in ("javascript:alert(1)", " JavaScript:alert(1)", "data:text/html,x", "https:", "//x"):
        assert web_address(bad) is None, bad
    assert web_address("https://deadline.com/x") == "https://deadline.com/x"
    assert web_address("http://www.sagaftra.org/node/10477") == "http://www.sagaftra.org/node/10477"
