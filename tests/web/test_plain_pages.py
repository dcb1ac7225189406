"""Pages a newcomer can read: the landing page, identifiers in plain words, pickers that
build the query, and sources named by title and publication."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from guildhall.services import cases
from guildhall.services.citations import citation
from guildhall.web.app import create_app
from guildhall.web.labels import label, labelled, plain

CASE = Path(__file__).resolve().parents[2] / "cases" / "sag-2008" / "case.yaml"
OFFER = "amptp-2008-final-offer"


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> TestClient:
    url = f"sqlite:///{tmp_path_factory.mktemp('plain') / 'g.db'}"
    cases.load_case_file(url, CASE, recorded_by="loader")
    return TestClient(create_app(url, data_dir=tmp_path_factory.mktemp("nodata")))


def test_the_landing_page_says_what_guildhall_is_and_where_each_visitor_goes(
    client: TestClient,
) -> None:
    page = client.get("/", follow_redirects=False)
    assert page.status_code == 200
    html = page.text
    assert "the record of a performers' guild's contract cycle" in html
    assert "Screen Actors Guild and the studios' alliance (the AMPTP)" in html
    for heading in ("Members", "Staff and the guild's bodies", "Press, mediators and the public"):
        assert f">{heading}</h3>" in html
    for link in ('href="/cases/sag-2008"', 'href="/terms"', 'href="/costing"',
                 'href="/elections"', 'href="/me/offers"', 'href="/api/docs"'):  # fmt: skip
        assert link in html, link
    assert '<a class="skip" href="#main">Skip to main content</a>' in html
    assert '<main id="main"' in html


@pytest.mark.parametrize(
    ("identifier", "words"),
    [
        ("contract_expired", "Contract expired"),
        ("passed=True", "Passed"),
        ("passed=False", "Failed"),
        ("pension_health_percent", "Pension and health percent"),
        ("sag_2005", "SAG 2005"),
        ("strike_authorization.comparison", "Strike authorization: comparison"),
        ("lose_less_than_5", "Lose up to 5%"),
        ("in_force", "In force"),
        ("draft", "Draft"),
        ("sag-2005", "sag-2005"),
        ("AMPTP final offer to SAG", "AMPTP final offer to SAG"),
    ],
)
def test_one_mapping_names_each_identifier_in_words(identifier: str, words: str) -> None:
    assert label(identifier) == words


def test_the_expert_keeps_the_identifier_and_sentences_lose_theirs() -> None:
    assert str(labelled("offer_made")) == 'Offer made <code class="ident">offer_made</code>'
    assert str(labelled("<b>")) == "&lt;b&gt;", "what is not an identifier is escaped as is"
    assert plain("no earlier event with kind=vote_closed, passed=True") == (
        "no earlier event with kind: vote closed, passed"
    )
    assert plain("board_strike_decision (decision=no_strike)") == (
        "Board strike decision (decision: no strike)"
    )


def test_the_pages_show_words_where_they_showed_identifiers(client: TestClient) -> None:
    case = client.get("/cases/sag-2008").text
    assert '<span title="contract_expired">Contract expired</span>' in case
    assert ">contract expired<" not in case
    refused = client.get("/cases/sag-2008/next").text.split("Refused now")[1]
    assert "passed=True)" not in refused.replace('title="', "")
    assert "question: strike authorization, passed)" in refused
    listed = client.get("/terms").text
    row = listed.split('id="agreement-sag-2005"')[1].split("</tr>")[0]
    assert "<td>Agreement in force</td>" in row and "agreement_in_force" not in row


def test_the_terms_picker_sends_the_date_and_reading_it_offers(client: TestClient) -> None:
    html = client.get(f"/terms/{OFFER}").text
    form = html.split('<form class="pick" method="get" action="/terms/')[1].split("</form>")[0]
    assert '<input id="on" name="on" type="date"' in form
    assert '<option value="budget_test=all_thresholds">All thresholds</option>' in form
    assert '<option value="">as written</option>' in form
    # what the browser sends when that option and a day are chosen, the other left as written
    chosen = client.get(
        f"/terms/{OFFER}", params=[("on", "2009-01-01"), ("reading", "budget_test=all_thresholds")]
    ).text
    assert 'in use: All thresholds <code class="ident">all_thresholds</code>' in chosen
    assert "values in force on 2009-01-01" in chosen
    assert '<option value="budget_test=all_thresholds" selected>' in chosen
    as_written = client.get(f"/terms/{OFFER}", params=[("reading", "")])
    assert as_written.status_code == 200 and "Readings chosen" not in as_written.text


def test_the_diff_picker_names_agreements_and_selects_the_pair_shown(client: TestClient) -> None:
    html = client.get("/terms/diff", params={"a": "sag-2005", "b": "sag-2009"}).text
    assert '<option value="sag-2005" selected>SAG Codified Basic Agreement' in html
    assert '<option value="sag-2009" selected>SAG TV/Theatrical Agreement 2009' in html
    assert "What changes from <code>sag-2005</code> to <code>sag-2009</code>" in html


def test_the_case_date_picker_shows_the_timeline_as_it_stood(client: TestClient) -> None:
    everything = client.get("/cases/sag-2008").text
    earlier = client.get("/cases/sag-2008", params={"as_of": "2008-07-01"}).text
    total = everything.count('class="event ')
    shown = earlier.count('class="event ')
    assert 0 < shown < total
    assert f"up to Jul 1, 2008; {total - shown} later not shown" in earlier
    assert 'name="as_of" type="date" min="' in everything
    bad = client.get("/cases/sag-2008", params={"as_of": "July"})
    assert bad.status_code == 422 and "as_of" in bad.text


def test_an_agreement_names_its_sources_by_title_and_publication(client: TestClient) -> None:
    html = client.get(f"/terms/{OFFER}").text
    assert (
        '<a href="/cases/sag-2008/documents/001_ca3c4b3eea986f46.txt">SAG, majors take baby '
        'steps toward resuming talks</a> · <span class="publication">Variety (inferred from '
        "style)</span>"
    ) in html
    assert '<footer class="citation">001_ca3c4b3eea986f46.txt' not in html
    assert (
        '">AMPTP gives final contract offer to SAG</a> · '
        '<span class="publication">Home Media Magazine</span>'
    ) in html


def test_a_citation_without_a_record_splits_publication_and_title() -> None:
    named = citation({"document": "Variety: AMPTP to SAG: Benchmark?", "url": "javascript:x"}, {})
    assert (named.publication, named.title, named.url) == ("Variety", "AMPTP to SAG: Benchmark?",
                                                           None)  # fmt: skip
    bare = citation({"document": "SAG TV/Theatrical rate sheet", "section": "p. 2"}, {})
    assert (bare.publication, bare.title, bare.section) == (None, "SAG TV/Theatrical rate sheet",
                                                            "p. 2")  # fmt: skip
