"""Casting against the database: one ballot per credential, also under concurrent casting."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from pathlib import Path

import pytest
from ballot_cli import service_vote

from guildhall.ballots.errors import AlreadyVoted, BallotRejected, WrongState
from guildhall.core.clock import FixedClock
from guildhall.services import ballots as service

OPEN_CLOCK = FixedClock(datetime(2025, 3, 2, tzinfo=UTC))


def _open_ratification(url: str, tmp_path: Path, members: int = 4) -> list[str]:
    clock = FixedClock(datetime(2025, 3, 1, tzinfo=UTC))
    return service_vote(url, tmp_path, "rat", members, clock, datetime(2025, 3, 1, tzinfo=UTC),
                        datetime(2025, 3, 20, tzinfo=UTC))  # fmt: skip


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
