"""A whole election on an in-memory board, for tests that need no database."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from fractions import Fraction

import pytest

from guildhall.ballots import credentials
from guildhall.ballots.ballot import Ballot, encrypt_ballot
from guildhall.ballots.board import MemoryBoard
from guildhall.ballots.crypto import trustees
from guildhall.ballots.crypto.elgamal import total
from guildhall.ballots.manifest import Manifest
from guildhall.ballots.tally import Outcome, decrypt
from guildhall.core.thresholds import Threshold

THREE_QUARTERS = Threshold(Fraction(3, 4), "at_least")


@dataclass
class Run:
    manifest: Manifest
    election_hash: str
    keys: list[trustees.TrusteeKey]
    ballots: list[Ballot]
    outcome: Outcome
    board: MemoryBoard

    def lines(self) -> list[bytes]:
        return [line.encode() for line in self.board.lines()]


def run_election(
    choices: Sequence[str], *, eligible: int | None = None, allow_blank: bool = False,
    threshold: Threshold = THREE_QUARTERS, n: int = 3, k: int = 2,
    deciding: Sequence[int] | None = None,
) -> Run:  # fmt: skip
    eligible = len(choices) if eligible is None else eligible
    public, keys = trustees.ceremony("test", n=n, k=k)
    issue = credentials.issue([f"m{i}" for i in range(eligible)])
    manifest = Manifest(
        "test", None, "strike_authorization", "Strike?", ("yes", "no"), allow_blank, eligible,
        threshold, datetime(2025, 1, 1, tzinfo=UTC), datetime(2025, 1, 20, tzinfo=UTC), public,
        public.public_key(),
    )  # fmt: skip
    h = manifest.election_hash
    board = MemoryBoard()
    board.append("election", manifest.as_json())
    board.append("credentials", {"election": h, "credentials": [c.hex() for c in issue.public]})
    board.append("opened", {"election": h, "opened_at": "2025-01-01T00:00:00+00:00"})
    ballots = []
    for mailing, choice in zip(issue.mailings, choices, strict=False):
        seed = credentials.parse_private(mailing.credential)
        ballot = encrypt_ballot(manifest, h, seed, choice)
        ballots.append(ballot)
        board.append("ballot", {"ballot": ballot.as_json(), "tracker": ballot.tracker})
    n_cast = len(ballots)
    board.append("closed", {"election": h, "closed_at": "2025-01-20T00:00:00+00:00",
                            "ballots": n_cast})  # fmt: skip
    encrypted = total(b.ciphertext for b in ballots)
    board.append("tally", {"election": h, "ballots": n_cast, "ciphertext": encrypted.as_json()})
    chosen = [keys[i - 1] for i in (deciding or range(1, k + 1))]
    shares = [trustees.decryption_share(key, context=bytes.fromhex(h), a=encrypted.a)
              for key in chosen]  # fmt: skip
    for share in shares:
        board.append("decryption", {"election": h, **share.as_json()})
    outcome = decrypt(manifest, h, encrypted, shares, n_cast)
    board.append("result", outcome.as_body(h))
    return Run(manifest, h, keys, ballots, outcome, board)


@pytest.fixture
def election() -> Callable[..., Run]:
    return run_election
