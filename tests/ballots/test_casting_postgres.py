"""Casting against the database: one ballot per credential, also under concurrent casting."""

from __future__ import annotations

import csv
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from pathlib import Path

import pytest

from guildhall.ballots.errors import AlreadyVoted, BallotRejected, WrongState
from guildhall.core.clock import FixedClock
from guildhall.services import ballots as service

OPEN_CLOCK = FixedClock(datetime(2025, 3, 2, tzinfo=UTC))


def _open_ratification(url: str, tmp_path: Path, members: int = 4) -> list[str]:
    clock = FixedClock(datetime(2025, 3, 1, tzinfo=UTC))
    service.create(url, election_id="rat", question="ratification", text="Ratify?",
                   opens_at=datetime(2025, 3, 1, tzinfo=UTC),
                   closes_at=datetime(2025, 3, 20, tzinfo=UTC), trustees=3, quorum=2,
                   key_dir=tmp_path / "keys", clock=clock)  # fmt: skip
    roll = tmp_path / "roll.csv"
    roll.write_text("member_id,standing,paid_through\n" + "".join(
        f"m{i},good,2025-12-31\n" for i in range(members)))  # fmt: skip
    service.import_roll(url, "rat", roll, record_date=datetime(2025, 2, 1).date(), clock=clock)
    service.issue_credentials(url, "rat", tmp_path / "mailing.csv", clock=clock)
    service.open_election(url, "rat", clock=clock)
    with (tmp_path / "mailing.csv").open() as f:
        return [row["credential"] for row in csv.DictReader(f)]


def test_casting_rules(database_url: str, tmp_path: Path) -> None:
    creds = _open_ratification(database_url, tmp_path)
    ballot = service.prepare_ballot(database_url, "rat", creds[0], "yes").as_json()
    tracker = service.cast(database_url, "rat", ballot, clock=OPEN_CLOCK)
    assert service.find_tracker(database_url, "rat", tracker) is not None
    with pytest.raises(AlreadyVoted):
        again = service.prepare_ballot(database_url, "rat", creds[0], "no").as_json()
        service.cast(database_url, "rat", again, clock=OPEN_CLOCK)
    tampered = dict(ballot, signature="00" * 64)
    with pytest.raises(BallotRejected):
        service.cast(database_url, "rat", tampered, clock=OPEN_CLOCK)
    late = FixedClock(datetime(2025, 3, 21, tzinfo=UTC))
    with pytest.raises(WrongState):
        other = service.prepare_ballot(database_url, "rat", creds[1], "no").as_json()
        service.cast(database_url, "rat", other, clock=late)
    assert service.status(database_url, "rat", clock=OPEN_CLOCK)["cast"] == 1


@pytest.mark.postgres
def test_concurrent_double_casting_is_refused(postgres_url: str, tmp_path: Path) -> None:
    creds = _open_ratification(postgres_url, tmp_path)
    # Eight different ballots for the same credential, cast at once from eight threads.
    ballots = [service.prepare_ballot(postgres_url, "rat", creds[0], c).as_json()
               for c in ("yes", "no") * 4]  # fmt: skip

    def attempt(ballot: object) -> str:
        try:
            return service.cast(postgres_url, "rat", ballot, clock=OPEN_CLOCK)
        except AlreadyVoted:
            return "refused"

    with ThreadPoolExecutor(8) as pool:
        outcomes = list(pool.map(attempt, ballots))
    assert outcomes.count("refused") == 7
    assert service.status(postgres_url, "rat", clock=OPEN_CLOCK)["cast"] == 1
