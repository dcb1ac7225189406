"""A ballot: one encrypted choice, its proof, and the credential's signature.

``encrypt_ballot`` is what a member's device runs; ``check_ballot`` is what the server
runs before storing a ballot and what the verifier runs again for every ballot on the board.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from guildhall.ballots import credentials
from guildhall.ballots.crypto import elgamal, group
from guildhall.ballots.crypto.elgamal import Ciphertext, Nonce
from guildhall.ballots.crypto.group import random_scalar
from guildhall.ballots.crypto.hashing import TAG_BALLOT, canonical_json, h256
from guildhall.ballots.crypto.proofs import ChoiceProof, check_choice, prove_choice
from guildhall.ballots.errors import CryptoError
from guildhall.ballots.manifest import Manifest

SIGNED_PREFIX = TAG_BALLOT.encode("ascii") + b"\x00"


@dataclass(frozen=True)
class Ballot:
    election: str
    credential: bytes
    ciphertext: Ciphertext
    proof: ChoiceProof
    signature: bytes

    def unsigned_json(self) -> dict[str, Any]:
        return {
            "election": self.election,
            "credential": self.credential.hex(),
            "ciphertext": self.ciphertext.as_json(),
            "proof": self.proof.as_json(),
        }

    def as_json(self) -> dict[str, Any]:
        return {**self.unsigned_json(), "signature": self.signature.hex()}

    @property
    def tracker(self) -> str:
        """The member's receipt: SHA-256 of the canonical JSON of the whole ballot."""
        return h256(self.as_json())

    @classmethod
    def from_json(cls, data: Any, *, choices: int) -> Ballot:
        """Parse a ballot with ``choices`` allowed values; ``CryptoError`` says what is wrong."""
        if not isinstance(data, dict):
            raise CryptoError("a ballot is a JSON object")
        expected = {"election", "credential", "ciphertext", "proof", "signature"}
        if set(data) != expected:
            raise CryptoError(f"a ballot has exactly the keys {', '.join(sorted(expected))}")
        election = data["election"]
        if not isinstance(election, str) or len(election) != 64:
            raise CryptoError("election must be the 64-hex election hash")
        credential = _hex_bytes(data["credential"], 32, "credential")
        signature = _hex_bytes(data["signature"], 64, "signature")
        return cls(
            election,
            credential,
            Ciphertext.from_json(data["ciphertext"]),
            ChoiceProof.from_json(data["proof"], choices),
            signature,
        )


def _hex_bytes(text: object, size: int, what: str) -> bytes:
    if not isinstance(text, str) or len(text) != 2 * size:
        raise CryptoError(f"{what} must be {2 * size} hex characters")
    try:
        raw = bytes.fromhex(text)
    except ValueError as exc:
        raise CryptoError(f"{what} is not hex") from exc
    if raw.hex() != text:
        raise CryptoError(f"{what} must be lowercase hex")
    return raw


def signed_bytes(unsigned: dict[str, Any], *, checked: bool = False) -> bytes:
    """What the credential signs; ``checked`` as for ``canonical_json``."""
    return SIGNED_PREFIX + canonical_json(unsigned, checked=checked)


def encrypt_ballot(
    manifest: Manifest,
    election_hash: str,
    seed: bytes,
    choice: str,
    *,
    nonce: Nonce = random_scalar,
) -> Ballot:
    """On the member's device: encrypt ``choice``, prove it valid, sign with the credential."""
    return encrypt_ballot_for_audit(manifest, election_hash, seed, choice, nonce=nonce)[0]


def encrypt_ballot_for_audit(
    manifest: Manifest,
    election_hash: str,
    seed: bytes,
    choice: str,
    *,
    nonce: Nonce = random_scalar,
) -> tuple[Ballot, int]:
    """``encrypt_ballot``, also returning the encryption's randomness ``r``: revealing it
    lets anyone check which choice the ballot holds (``audit_problem``), so a ballot whose
    ``r`` was revealed must never be cast."""
    index = manifest.index_of(choice)
    values = manifest.values
    credential = credentials.public_of(seed)
    ciphertext, r = elgamal.encrypt(manifest.public_key, values[index], nonce)
    proof = prove_choice(
        context=bytes.fromhex(election_hash),
        key=manifest.public_key,
        credential=credential,
        ciphertext=ciphertext,
        nonce_used=r,
        values=values,
        index=index,
        nonce=nonce,
    )
    unsigned = Ballot(election_hash, credential, ciphertext, proof, b"")
    signature = credentials.sign(seed, signed_bytes(unsigned.unsigned_json()))
    return Ballot(election_hash, credential, ciphertext, proof, signature), r


def audit_problem(
    ballot: Ballot, *, manifest: Manifest, election_hash: str, choice: str, r: int
) -> str | None:
    """The cast-or-audit check (Benaloh): whether ``ballot`` is a valid ballot that encrypts
    ``choice`` with randomness ``r``; what is wrong, or ``None``."""
    problem = ballot_problem(
        ballot, election_hash=election_hash, key=manifest.public_key, values=manifest.values
    )
    if problem:
        return problem
    try:
        value = manifest.values[manifest.index_of(choice)]
    except ValueError as exc:
        return str(exc)
    a = group.base_mul(r)
    b = group.add(group.mul(r, manifest.public_key), group.base_mul(value))
    if (ballot.ciphertext.a, ballot.ciphertext.b) != (a, b):
        return f"the ballot does not encrypt {choice!r} with the revealed randomness"
    return None


def ballot_problem(
    ballot: Ballot,
    *,
    election_hash: str,
    key: bytes,
    values: Sequence[int],
    shifts: Sequence[bytes] | None = None,
) -> str | None:
    """What is wrong with a ballot's binding, signature or proof; ``None`` if nothing."""
    if ballot.election != election_hash:
        return "the ballot is for another election"
    if not credentials.signature_is_valid(
        ballot.credential, signed_bytes(ballot.unsigned_json()), ballot.signature
    ):
        return "the credential's signature does not verify"
    if not check_choice(
        ballot.proof,
        context=bytes.fromhex(election_hash),
        key=key,
        credential=ballot.credential,
        ciphertext=ballot.ciphertext,
        values=values,
        shifts=shifts,
    ):
        return "the proof that the ballot holds an allowed choice does not verify"
    return None


def spoiled_body(ballot: Ballot, choice: str, r: int) -> dict[str, Any]:
    """The board body of an audited ballot: the ballot, its tracker, and what opens it."""
    return {"election": ballot.election, "ballot": ballot.as_json(), "tracker": ballot.tracker,
            "choice": choice, "randomness": group.scalar_hex(r)}  # fmt: skip
