"""The member-vote pages and API: lifecycle, checklist, turnout, result, board, tracker."""

from __future__ import annotations

import csv
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from guildhall.core.clock import FixedClock
from guildhall.services import ballots
from guildhall.services.ballots import authority, identities
from guildhall.web.app import create_app

BEFORE = FixedClock(datetime(2025, 3, 1, tzinfo=UTC))
DURING = FixedClock(datetime(2025, 3, 2, tzinfo=UTC))
AFTER = FixedClock(datetime(2025, 3, 21, tzinfo=UTC))


def _create(url: str, tmp_path: Path, election_id: str, opens: datetime, closes: datetime) -> Path:
    """A draft ratification; returns the folder of the authority's and board's keys."""
    ids = tmp_path / f"{election_id}-ids"
    identities.new("authority", "a", key_path=ids / "a.key", public_path=ids / "a.json")
    identities.new("board", "b", key_path=ids / "b.key", public_path=ids / "b.json")
    ballots.create(
        url,
        election_id=election_id,
        question="ratification",
        text="Do you ratify the 2009 agreement?",
        opens_at=opens,
        closes_at=closes,
        authority_path=ids / "a.json",
        board_key_path=ids / "b.key",
        trustees=3,
        quorum=2,
        key_dir=tmp_path / f"{election_id}-keys",
        clock=BEFORE,
    )
    return ids


def _open(url: str, tmp_path: Path, members: int) -> list[str]:
    """The ``rat`` vote, open, with ``members`` credentials; returns them."""
    ids = _create(
        url, tmp_path, "rat", datetime(2025, 3, 1, tzinfo=UTC), datetime(2025, 3, 20, tzinfo=UTC)
    )
    roll = tmp_path / "roll.csv"
    roll.write_text(
        "member_id,standing,paid_through\n"
        + "".join(f"m{i},good,2025-12-31\n" for i in range(members))
    )
    ballots.import_roll(url, "rat", roll, record_date=date(2025, 2, 1), clock=BEFORE)
    ballots.publish(url, "rat", tmp_path / "election.json", clock=BEFORE)
    mailing = tmp_path / "mailing.csv"
    authority.make_credentials(tmp_path / "election.json", roll, key_path=ids / "a.key",
                               mailing=mailing, out=tmp_path / "credentials.json")  # fmt: skip
    ballots.import_credentials(url, "rat", tmp_path / "credentials.json", clock=BEFORE)
    ballots.open_election(url, "rat", clock=BEFORE)
    with mailing.open() as f:
        return [row["credential"] for row in csv.DictReader(f)]


def _cast(url: str, credential: str, choice: str) -> str:
    ballot = ballots.prepare_ballot(url, "rat", credential, choice).as_json()
    return ballots.cast(url, "rat", ballot, clock=DURING)


@pytest.fixture
def voting(database_url: str, tmp_path: Path) -> tuple[TestClient, str, list[str]]:
    """A draft vote far in the future, and an open vote of four members, three of whom cast."""
    _create(
        database_url,
        tmp_path,
        "draft",
        datetime(2099, 1, 1, tzinfo=UTC),
        datetime(2099, 1, 10, tzinfo=UTC),
    )
    creds = _open(database_url, tmp_path, 4)
    trackers = [
        _cast(database_url, c, v) for c, v in zip(creds, ("yes", "yes", "no"), strict=False)
    ]
    return TestClient(create_app(database_url)), database_url, trackers


def test_the_list_shows_each_vote_with_turnout(voting: tuple[TestClient, str, list[str]]) -> None:
    client, _, _ = voting
    html = client.get("/elections").text
    assert 'id="election-rat"' in html and 'id="election-draft"' in html
    assert "3 of 4" in html and "75.0%" in html
    listed = {e["id"]: e for e in client.get("/api/elections").json()}
    assert listed["rat"]["state"] == "open" and listed["rat"]["cast"] == 3
    assert listed["draft"]["text"] == "Do you ratify the 2009 agreement?"
    assert "result" not in listed["rat"] and "yes" not in listed["rat"]


def test_a_draft_shows_what_blocks_opening(voting: tuple[TestClient, str, list[str]]) -> None:
    client, _, _ = voting
    html = client.get("/elections/draft").text
    checklist = html.split("Before the vote can open")[1].split("</section>")[0]
    assert "no roll has been imported" in checklist
    assert "the roll is not frozen and the election is not published" in checklist
    assert "The board is published when the roll is frozen" in html


def test_an_open_vote_shows_turnout_and_never_a_partial_result(
    voting: tuple[TestClient, str, list[str]],
) -> None:
    client, _, _ = voting
    html = client.get("/elections/rat").text
    assert "Voting opened" in html and "Mar 1, 2025" in html
    assert '3 <span class="of">of 4 eligible' in html
    assert "no partial result is ever shown" in html
    assert 'class="result' not in html
    body = client.get("/api/elections/rat").json()
    assert body["result"] is None and body["cast"] == 3
    assert body["timestamps"]["opened_at"].startswith("2025-03-01")


def test_a_member_finds_their_ballot_by_tracker(voting: tuple[TestClient, str, list[str]]) -> None:
    client, _, trackers = voting
    html = client.get(f"/elections/rat/track?tracker={trackers[1].upper()}").text
    assert "Your ballot is on the board" in html and trackers[1] in html
    missing = client.get(f"/elections/rat/track?tracker={'0' * 64}").text
    assert "No ballot with this tracker is on the board" in missing
    assert "Find your ballot" in client.get("/elections/rat/track").text
    found = client.get(f"/api/elections/rat/track?tracker={trackers[0]}").json()
    assert found["found"] is True and found["seq"] >= 3


def test_the_certified_result_and_the_board(
    voting: tuple[TestClient, str, list[str]], tmp_path: Path
) -> None:
    client, url, _ = voting
    ballots.close(url, "rat", clock=AFTER)
    keys = [ballots.read_key(p) for p in sorted((tmp_path / "rat-keys").iterdir())[:2]]
    ballots.tally(url, "rat", keys, clock=AFTER)
    assert "tallied, not yet certified" in client.get("/elections/rat").text
    ballots.certify(url, "rat", board_key=tmp_path / "rat-ids" / "b.key", clock=AFTER)
    html = client.get("/elections/rat").text
    result = html.split('class="result passed"')[1].split("</section>")[0]
    assert "Result (certified)" in result and "Passed" in result
    assert "66.7%" in result, "2 yes of 3 votes"
    assert "more than 50% of the votes cast for or against (1/2)" in html
    body = client.get("/api/elections/rat").json()
    assert body["result"]["yes"] == 2 and body["result"]["certified"] is True
    board = client.get("/elections/rat/board.jsonl")
    assert board.headers["content-type"].startswith("application/jsonl")
    assert board.text.count("\n") == len(ballots.board_lines(url, "rat"))


@pytest.mark.parametrize(
    "url", ["/elections/nope", "/api/elections/nope", "/elections/nope/board.jsonl"]
)
def test_an_unknown_vote_is_a_404_problem(
    voting: tuple[TestClient, str, list[str]], url: str
) -> None:
    client, _, _ = voting
    response = client.get(url)
    assert response.status_code == 404
    assert response.json()["type"] == "/problems/not-found"


@pytest.mark.parametrize("prefix", ["/elections", "/api/elections"])
def test_a_malformed_tracker_is_a_422_problem(
    voting: tuple[TestClient, str, list[str]], prefix: str
) -> None:
    client, _, _ = voting
    response = client.get(f"{prefix}/rat/track?tracker=not-a-tracker")
    assert response.status_code == 422
    assert response.json()["problems"][0]["where"]["field"] == "query.tracker"
