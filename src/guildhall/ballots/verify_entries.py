"""The verifier's checks of one board entry's body, each failure naming its field.

``BallotContext`` is what every ballot is checked against (the election hash, key, allowed
values and credential list). ``ballot_body`` is the hot path, run for every ballot in the
worker processes; the other kinds are checked once each in the main process.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from guildhall.ballots import shapes
from guildhall.ballots.ballot import Ballot, audit_problem, ballot_problem, signed_bytes
from guildhall.ballots.credentials import signature_is_valid
from guildhall.ballots.crypto import group
from guildhall.ballots.crypto.hashing import h256
from guildhall.ballots.crypto.proofs import check_choice
from guildhall.ballots.errors import CryptoError
from guildhall.ballots.manifest import Manifest
from guildhall.ballots.shapes import Malformed

Problems = list[tuple[str, str]]
BALLOT_KEYS = frozenset(("election", "credential", "ciphertext", "proof", "signature"))


@dataclass(frozen=True)
class BallotContext:
    manifest: Manifest
    election_hash: str
    credentials: frozenset[str]
    shifts: Sequence[bytes]

    @classmethod
    def of(cls, manifest: Manifest, election_hash: str, creds: Sequence[str]) -> BallotContext:
        return cls(manifest, election_hash, frozenset(creds),
                   [group.base_mul(v) for v in manifest.values])  # fmt: skip


def parse_ballot(data: Any, choices: int, field: str = "ballot") -> Ballot:
    """A ballot read field by field; ``Malformed`` names the first field that is wrong."""
    if not isinstance(data, dict) or data.keys() != BALLOT_KEYS:
        shapes.obj(data, field, BALLOT_KEYS)
    try:
        return Ballot.from_json(data, choices=choices)
    except CryptoError as exc:
        text = str(exc)
        for name in ("election", "credential", "signature", "proof", "a", "b"):
            if text.startswith(name) or f" {name} " in text or text.startswith(f"proof {name}"):
                sub = f"ciphertext.{name}" if name in ("a", "b") else name
                raise Malformed(f"{field}.{sub}", text) from None
        raise Malformed(field, text) from None


def ballot_body(body: Any, ctx: BallotContext) -> tuple[Problems, str | None, str | None]:
    """(problems, credential hex, ciphertext key) of a ``ballot`` entry's body."""
    try:
        if not isinstance(body, dict) or body.keys() != {"ballot", "tracker"}:
            shapes.obj(body, "", ("ballot", "tracker"))
        ballot = parse_ballot(body["ballot"], len(ctx.manifest.values))
    except Malformed as exc:
        return [(exc.field, exc.what)], None, None
    cred = ballot.credential.hex()
    ct_key = ballot.ciphertext.a.hex() + ballot.ciphertext.b.hex()
    if ballot.election != ctx.election_hash:
        return [("ballot.election", "the ballot is for another election")], cred, ct_key
    if cred not in ctx.credentials:
        return [("ballot.credential", "is not on the published credential list")], cred, ct_key
    if not check_choice(
        ballot.proof, context=bytes.fromhex(ctx.election_hash), key=ctx.manifest.public_key,
        credential=ballot.credential, ciphertext=ballot.ciphertext, values=ctx.manifest.values,
        shifts=ctx.shifts,
    ):  # fmt: skip
        what = "the proof that the ciphertext holds an allowed choice does not verify"
        return [("ballot.proof", what)], cred, ct_key
    # The ballot as published: parsing refused any spelling but the canonical one, so its
    # JSON without the signature is what was signed.
    unsigned = {k: v for k, v in body["ballot"].items() if k != "signature"}
    if not signature_is_valid(ballot.credential, signed_bytes(unsigned, checked=True),
                              ballot.signature):  # fmt: skip
        return [("ballot.signature", "the credential's signature does not verify")], cred, ct_key
    if body["tracker"] != h256(body["ballot"], checked=True):
        return [("tracker", "is not the hash of the ballot")], cred, ct_key
    return [], cred, ct_key


def spoiled_body(body: Any, ctx: BallotContext) -> tuple[Problems, str | None]:
    """(problems, ciphertext key) of a ``spoiled`` entry: an audited ballot, opened."""
    keys = ("election", "ballot", "tracker", "choice", "randomness")
    try:
        shapes.obj(body, "", keys)
        ballot = parse_ballot(body["ballot"], len(ctx.manifest.values))
        r = group.scalar_from_hex(body["randomness"], "randomness")
    except Malformed as exc:
        return [(exc.field, exc.what)], None
    except CryptoError as exc:
        return [("randomness", str(exc))], None
    ct_key = ballot.ciphertext.a.hex() + ballot.ciphertext.b.hex()
    if body["election"] != ctx.election_hash:
        return [("election", "does not name this election")], ct_key
    if body["tracker"] != h256(body["ballot"], checked=True):
        return [("tracker", "is not the hash of the ballot")], ct_key
    if ballot.credential.hex() not in ctx.credentials:
        return [("ballot.credential", "is not on the published credential list")], ct_key
    choice = body["choice"]
    if not isinstance(choice, str):
        return [("choice", f"{choice!r} is not a choice")], ct_key
    problem = audit_problem(ballot, manifest=ctx.manifest, election_hash=ctx.election_hash,
                            choice=choice, r=r)  # fmt: skip
    if problem is not None:
        if ballot_problem(ballot, election_hash=ctx.election_hash, key=ctx.manifest.public_key,
                          values=ctx.manifest.values):  # fmt: skip
            return [("ballot", problem)], ct_key
        if group.base_mul(r) != ballot.ciphertext.a:
            return [("randomness", "is not the randomness of the ballot's encryption")], ct_key
        return [("choice", problem)], ct_key
    return [], ct_key


def timed(body: Any, keys: Sequence[str], at: str) -> datetime:
    """Check a body's keys and read its time field (``Malformed`` names what is wrong)."""
    shapes.obj(body, "", keys)
    return shapes.when(body[at], at)


def count_field(body: dict[str, Any], name: str, expected: int, what: str) -> Problems:
    value = body[name]
    try:
        shapes.integer(value, name)
    except Malformed as exc:
        return [(exc.field, exc.what)]
    if value != expected:
        return [(name, f"says {value} {what}; the board holds {expected}")]
    return []
