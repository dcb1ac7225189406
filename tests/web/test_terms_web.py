"""The terms pages and API: every agreement, one agreement with its sources, a diff."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from guildhall.web.app import create_app

OFFER, ANSWER = "amptp-2008-final-offer", "sag-2008-threshold-proposals"


@pytest.fixture(scope="module")
def client() -> TestClient:
    return TestClient(create_app("sqlite://"))


def test_the_list_names_every_agreement_and_links_the_default_diff(client: TestClient) -> None:
    html = client.get("/terms").text
    for agreement in ("sag-2005", OFFER, ANSWER, "wga-2008", "dga-2008", "aftra-2008"):
        assert f'id="agreement-{agreement}"' in html
    assert f"/terms/diff?a={OFFER}&amp;b={ANSWER}" in html
    row = html.split(f'id="agreement-{ANSWER}"')[1].split("</tr>")[0]
    assert "proposal" in row and "rejected" in row and "2008-07-01" in row
    assert f'href="/terms/{OFFER}"' in row, "based_on links to the agreement it is based on"


def test_an_agreement_shows_dated_values_units_sources_and_uncertain_terms(
    client: TestClient,
) -> None:
    html = client.get(f"/terms/{OFFER}").text
    assert "AMPTP final offer to SAG, June 30, 2008" in html
    threshold = html.split('id="param-budget_per_minute_threshold"')[1].split("</article>")[0]
    assert "2008-07-01 – …" in threshold and "$15,000" in threshold
    assert "unit: " in threshold
    assert "<blockquote" in threshold
    test = html.split('id="param-budget_test"')[1].split("</article>")[0]
    assert 'class="flag uncertain">uncertain' in test
    assert 'All thresholds <code class="ident">all_thresholds</code>' in test, "the other reading"
    assert "Jonathan Handel" in test
    summary = html.split("Uncertain terms (")[1].split("</section>")[0]
    assert 'href="#param-budget_test"' in summary
    assert "inherited from" in html, "terms the offer keeps from sag-2005 say so"


def test_a_chosen_reading_and_a_date_are_shown(client: TestClient) -> None:
    html = client.get(f"/terms/{OFFER}?reading=budget_test=all_thresholds&on=2009-01-01").text
    assert 'in use: All thresholds <code class="ident">all_thresholds</code>' in html
    assert "values in force on 2009-01-01" in html


def test_the_diff_puts_both_sources_side_by_side(client: TestClient) -> None:
    html = client.get("/terms/diff").text
    assert f"<code>{OFFER}</code> to <code>{ANSWER}</code>" in html
    assert "Terms that change (3)" in html
    change = html.split('id="change-new_media_jurisdiction_scope"')[1].split("</article>")[0]
    before, after = change.split('class="side after"')
    assert "budget_thresholds" in before and "all_productions" in after
    assert "$15,000-per-minute budget threshold" in before
    assert "new-media jurisdiction for all productions" in after
    assert html.count('class="sides"') == 3


def test_the_api_matches_the_services(client: TestClient) -> None:
    listed = client.get("/api/terms").json()
    assert {a["id"] for a in listed} >= {"sag-2005", OFFER, ANSWER}
    shown = client.get(f"/api/terms/{OFFER}").json()
    assert shown["based_on"] == "sag-2005"
    minute = next(p for p in shown["parameters"] if p["name"] == "budget_per_minute_threshold")
    assert minute["values"][0]["from"] == "2008-07-01"
    assert isinstance(minute["values"][0]["value"], str), "money is never a binary float"
    diff = client.get(f"/api/terms/diff?a={OFFER}&b={ANSWER}").json()
    assert diff["b_is_based_on_a"] is True
    assert [p["name"] for p in diff["parameters"]] == [
        "force_majeure_in_agreement",
        "new_media_jurisdiction_scope",
        "reuse_residual_platforms",
    ]


@pytest.mark.parametrize(
    "url", ["/terms/nope", "/api/terms/nope", "/terms/diff?a=nope", "/api/terms/diff?b=nope"]
)
def test_an_unknown_agreement_is_a_404_problem(client: TestClient, url: str) -> None:
    response = client.get(url)
    assert response.status_code == 404
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["type"] == "/problems/not-found"
    assert "nope" in response.json()["detail"]


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("on=someday", "query.on"),
        ("reading=budget_test", "reading"),
        ("reading=budget_test=nonsense", "budget_test"),
    ],
)
def test_bad_query_values_are_422_problems(client: TestClient, query: str, field: str) -> None:
    for prefix in ("/terms", "/api/terms"):
        response = client.get(f"{prefix}/{OFFER}?{query}")
        assert response.status_code == 422
        body = response.json()
        assert body["type"] == "/problems/invalid-input"
        assert body["problems"][0]["where"]["field"] == field
