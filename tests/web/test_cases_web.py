"""The web app over the case record: pages, the JSON API and its problem documents."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from guildhall.services import cases
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
}


@pytest.fixture
def app(database_url: str) -> FastAPI:
    cases.load_case_file(database_url, CASE)
    return create_app(database_url)


@pytest.fixture
def client(app: FastAPI) -> TestClient:
    return TestClient(app)


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
    assert html.count('class="event ') == 36
    assert "They last met officially July 16." in html
    assert 'id="conflict-strike-authorization-threshold"' in html
    assert "strike_authorization.comparison</code> = <strong>at_least" in html


def test_the_list_and_next_pages(client: TestClient) -> None:
    assert "sag-2008" in client.get("/cases").text
    assert client.get("/", follow_redirects=False).headers["location"] == "/cases"
    html = client.get("/cases/sag-2008/next").text
    refused = html.split("Refused now")[1]
    assert "strike-authorization-after-failed-mediation" in refused


def test_the_api_returns_the_same_record_as_the_cli(client: TestClient) -> None:
    data = client.get("/api/cases/sag-2008").json()
    assert len(data["events"]) == 36
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
    assert len(client.get("/api/cases/sag-2008").json()["events"]) == 36


def test_a_bad_event_is_a_422_problem_naming_the_field(board: TestClient) -> None:
    response = board.post("/api/cases/sag-2008/events", json={**CALL, "decision": "maybe"})
    assert response.status_code == 422
    body = response.json()
    assert body["type"] == "/problems/invalid-input"
    assert "'maybe' is not one of" in body["problems"][0]["what"]


def test_an_allowed_event_is_recorded_as_the_signed_in_body(committee: TestClient) -> None:
    event = {**CALL, "kind": "mediation_failed_determination", "by": "amptp"}
    del event["decision"]
    response = committee.post("/api/cases/sag-2008/events", json=event)
    assert response.status_code == 201
    assert response.json()["seq"] == 37
    assert response.json()["by"] == "negotiating_committee"


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
