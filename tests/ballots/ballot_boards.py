"""Whole elections on an in-memory board, built as the services build them, for tests and
test vectors that need no database. With ``seed`` every random draw is derived from it, so
the board is the same byte for byte on every run."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from fractions import Fraction
from pathlib import Path
from typing import Any

from guildhall.ballots import credentials, identity
from guildhall.ballots.ballot import Ballot, encrypt_ballot, encrypt_ballot_for_audit, spoiled_body
from guildhall.ballots.board import MemoryBoard, entry_hash
from guildhall.ballots.crypto import group, trustees
from guildhall.ballots.crypto.elgamal import total
from guildhall.ballots.crypto.group import L
from guildhall.ballots.manifest import Manifest
from guildhall.ballots.tally import Outcome, decrypt
from guildhall.ballots.trustee_steps import signed_share
from guildhall.ballots.verify import Report, verify_lines
from guildhall.core.thresholds import Threshold
from guildhall.services.ballots.verifying import rules_reference

ROOT = Path(__file__).resolve().parents[2]
RULES_FILE = ROOT / "rules" / "sag.yaml"
RULES = rules_reference(RULES_FILE)
THREE_QUARTERS = Threshold(Fraction(3, 4), "at_least")
MAJORITY = Threshold(Fraction(1, 2), "more_than")
OPENS = datetime(2025, 1, 1, tzinfo=UTC)
CLOSES = datetime(2025, 1, 20, tzinfo=UTC)


class Draws:
    """Nonces and seeds: from the operating system, or derived from one seed."""

    def __init__(self, seed: int | None) -> None:
        self.seed, self.count = seed, 0

    def _next(self) -> bytes:
        self.count += 1
        return hashlib.sha512(b"guildhall-test-%d-%d" % (self.seed or 0, self.count)).digest()

    def scalar(self) -> int:
        if self.seed is None:
            return group.random_scalar()
        return int.from_bytes(self._next(), "big") % (L - 1) + 1

    def bytes32(self) -> bytes:
        if self.seed is None:
            return identity.new_seed()
        return self._next()[:32]


@dataclass
class Run:
    manifest: Manifest
    election_hash: str
    keys: list[trustees.TrusteeKey]
    ballots: list[Ballot]
    outcome: Outcome
    board: MemoryBoard
    authority_seed: bytes
    board_seed: bytes
    mailings: list[bytes] = field(default_factory=list)

    def lines(self) -> list[bytes]:
        return [line.encode() for line in self.board.lines()]


def run_election(
    choices: Sequence[str], *, eligible: int | None = None, allow_blank: bool = False,
    threshold: Threshold | None = None, question: str = "strike_authorization", n: int = 3,
    k: int = 2, deciding: Sequence[int] | None = None, spoil: int = 0, certify: bool = True,
    seed: int | None = None,
) -> Run:  # fmt: skip
    draws = Draws(seed)
    eligible = len(choices) if eligible is None else eligible
    if threshold is None:
        threshold = MAJORITY if question == "ratification" else THREE_QUARTERS
    identity_seeds = [draws.bytes32() for _ in range(n)]
    public, keys = trustees.ceremony("test", n=n, k=k, nonce=draws.scalar,
                                     identity_seeds=identity_seeds)  # fmt: skip
    authority_seed, board_seed = draws.bytes32(), draws.bytes32()
    seeds = [draws.bytes32() for _ in range(eligible)]
    manifest = Manifest(
        "test", None, question, "Authorize a strike?", ("yes", "no"), allow_blank, eligible,
        threshold, OPENS, CLOSES, public, public.public_key(),
        record_date=datetime(2024, 12, 31).date(),
        rules_sha256=RULES.sha256 if question == "strike_authorization" else None,
        authority=identity.public_of(authority_seed), board_key=identity.public_of(board_seed),
    )  # fmt: skip
    h = manifest.election_hash
    board = MemoryBoard()
    board.append("election", manifest.as_json())
    pubs = [credentials.public_of(s) for s in seeds]
    board.append("credentials", credentials.signed_list(h, pubs, authority_seed))
    board.append("opened", {"election": h, "opened_at": OPENS.isoformat()})
    for s in seeds[:spoil]:
        audited, r = encrypt_ballot_for_audit(manifest, h, s, "yes", nonce=draws.scalar)
        board.append("spoiled", spoiled_body(audited, "yes", r))
    ballots = []
    for s, choice in zip(seeds, choices, strict=False):
        ballot = encrypt_ballot(manifest, h, s, choice, nonce=draws.scalar)
        ballots.append(ballot)
        board.append("ballot", {"ballot": ballot.as_json(), "tracker": ballot.tracker})
    n_cast = len(ballots)
    closed = board.append("closed", {"election": h, "closed_at": CLOSES.isoformat(),
                                     "ballots": n_cast})  # fmt: skip
    encrypted = total(b.ciphertext for b in ballots)
    board.append("tally", {"election": h, "ballots": n_cast, "ciphertext": encrypted.as_json()})
    chosen = [keys[i - 1] for i in (deciding or range(1, k + 1))]
    shares = []
    for key in chosen:
        share = trustees.decryption_share(key, context=bytes.fromhex(h), a=encrypted.a,
                                          nonce=draws.scalar)  # fmt: skip
        shares.append(share)
        assert key.identity_seed is not None
        board.append("decryption", signed_share(share, h, closed.hash, key.identity_seed,
                                                manifest))  # fmt: skip
    outcome = decrypt(manifest, h, encrypted, shares, n_cast)
    result = board.append("result", outcome.as_body(h))
    if certify:
        body: dict[str, Any] = {"election": h, "certified_at": "2025-01-21T00:00:00+00:00",
                                "result": result.hash}  # fmt: skip
        body["signature"] = identity.sign(identity.TAG_CERTIFIED, board_seed, body)
        board.append("certified", body)
    return Run(manifest, h, keys, ballots, outcome, board, authority_seed, board_seed, seeds)


def verify(lines: list[bytes], **options: Any) -> Report:
    options.setdefault("workers", 1)
    options.setdefault("rules", RULES)
    return verify_lines(lines, **options)


def failures(lines: list[bytes], **options: Any) -> list[str]:
    return [str(f) for f in verify(lines, **options).failures]


def rechain(lines: list[bytes], start: int = 0) -> list[bytes]:
    """The board with every entry from ``start`` on renumbered, relinked and rehashed: what
    an operator who rewrites the board publishes."""
    entries = [json.loads(ln) for ln in lines]
    prev = entries[start - 1]["hash"] if start else "0" * 64
    for seq in range(start, len(entries)):
        e = entries[seq]
        e["seq"], e["prev"] = seq, prev
        e["hash"] = entry_hash(seq, prev, e["kind"], e["body"])
        prev = e["hash"]
    return [json.dumps(e, separators=(",", ":")).encode() for e in entries]


def edit(lines: list[bytes], index: int, change: Callable[[dict[str, Any]], None]) -> list[bytes]:
    """Change the body of entry ``index`` and rechain the board from there."""
    entries = [json.loads(ln) for ln in lines]
    change(entries[index]["body"])
    return rechain([json.dumps(e).encode() for e in entries], index)


def index_of(lines: list[bytes], kind: str) -> int:
    return next(i for i, ln in enumerate(lines) if json.loads(ln)["kind"] == kind)
