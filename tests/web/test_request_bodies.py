"""The API's request bodies: too large, not JSON, malformed or too deep is a 4xx problem
document naming why, and nothing is written."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from guildhall.services import cases
from guildhall.web.app import create_app
from guildhall.web.problems import MAX_BODY

from .sign_in import signed_in

CASE = Path(__file__).resolve().parents[2] / "cases" / "sag-2008" / "case.yaml"
EVENTS = "/api/cases/sag-2008/events"


@pytest.fixture
def client(sqlite_url: str) -> TestClient:
    """Staff, signed in: the body checks come after the role check."""
    cases.load_case_file(sqlite_url, CASE, recorded_by="loader")
    client = signed_in(create_app(sqlite_url), sqlite_url, "staff")
    client.headers["accept"] = "application/json"
    return client


def _events(client: TestClient) -> int:
    return len(client.get("/api/cases/sag-2008").json()["events"])


def _problem(response: object, status: int, kind: str) -> dict[str, object]:
    from httpx import Response

    assert isinstance(response, Response)
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == "application/problem+json"
    body = response.json()
    assert body["type"] == f"/problems/{kind}" and body["status"] == status
    return dict(body)


def test_malformed_json_is_400_with_line_and_column(client: TestClient) -> None:
    before = _events(client)
    body = _problem(
        client.post(EVENTS, content=b'{"date": "2008-12-01",\n "kind": }',
                    headers={"content-type": "application/json"}),
        400, "malformed-json",
    )  # fmt: skip
    assert body["detail"] == "request body:2:10: not valid JSON: Expecting value"
    assert body["problems"] == [
        {"where": {"file": "request body", "line": 2, "column": 10},
         "what": "not valid JSON: Expecting value"}
    ]  # fmt: skip
    assert _events(client) == before


def test_deep_nesting_and_bad_utf8_are_400_not_a_crash(client: TestClient) -> None:
    headers = {"content-type": "application/json"}
    body = _problem(client.post(EVENTS, content=b"[" * 100_000, headers=headers), 400,
                    "malformed-json")  # fmt: skip
    assert body["detail"] == "request body:1: not readable: JSON nested too deeply"
    body = _problem(client.post(EVENTS, content=b'{"a": "\xff"}', headers=headers), 400,
                    "malformed-json")  # fmt: skip
    assert body["detail"] == "byte 7 is not UTF-8"


def test_a_body_that_is_not_json_is_415(client: TestClient) -> None:
    before = _events(client)
    for content_type in ("text/plain", "application/x-www-form-urlencoded", None):
        headers = {"content-type": content_type} if content_type else {}
        response = client.post(EVENTS, content=b'{"date": "2008-12-01"}', headers=headers)
        body = _problem(response, 415, "unsupported-media-type")
        assert "send application/json" in str(body["detail"])
    assert _events(client) == before


def test_an_oversize_body_is_413_before_it_is_read(client: TestClient) -> None:
    before = _events(client)
    big = b'{"summary": "' + b"x" * MAX_BODY + b'"}'
    body = _problem(
        client.post(EVENTS, content=big, headers={"content-type": "application/json"}),
        413, "body-too-large",
    )  # fmt: skip
    assert body["detail"] == "the body is 1.0 MiB; the limit is 1.0 MiB"

    def chunks() -> object:  # no content-length: the size is counted as it arrives
        for _ in range(20):
            yield b" " * (MAX_BODY // 10)

    response = client.post(EVENTS, content=chunks(), headers={"content-type": "application/json"})
    _problem(response, 413, "body-too-large")
    assert _events(client) == before


@pytest.mark.parametrize("value", ["[]", '"text"', "12", "null"])
def test_json_that_is_not_an_object_is_422(client: TestClient, value: str) -> None:
    response = client.post(EVENTS, content=value, headers={"content-type": "application/json"})
    assert response.status_code == 422
    assert response.headers["content-type"] == "application/problem+json"


def test_well_formed_json_still_reaches_the_route(client: TestClient) -> None:
    response = client.post(EVENTS, json={"date": "2008-12-01"},
                           headers={"content-type": "application/json; charset=utf-8"})  # fmt: skip
    _problem(response, 422, "invalid-input")  # the event's own checks answered
