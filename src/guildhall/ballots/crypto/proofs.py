"""Zero-knowledge proofs with strong Fiat–Shamir (``docs/ballots.md`` §5, §6, §9).

- ``prove_choice`` / ``check_choice``: a ciphertext encrypts one of a list of values
  (disjunctive Chaum–Pedersen, Cramer–Damgård–Schoenmakers).
- ``prove_decryption`` / ``check_decryption``: ``log_G X = log_A D`` (Chaum–Pedersen).
- ``prove_knowledge`` / ``check_knowledge``: knowledge of ``log_G C`` (Schnorr).

Every challenge hashes a domain tag and the whole statement, not only the commitments.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from guildhall.ballots.crypto import group
from guildhall.ballots.crypto.elgamal import Ciphertext, Nonce
from guildhall.ballots.crypto.group import L, base_mul, mul, random_scalar, scalar_bytes
from guildhall.ballots.crypto.hashing import (
    TAG_CHOICE,
    TAG_COEFFICIENT,
    TAG_DECRYPTION,
    hash_to_scalar,
    u64,
)
from guildhall.ballots.errors import CryptoError


@dataclass(frozen=True)
class ChoiceProof:
    challenges: tuple[int, ...]
    responses: tuple[int, ...]

    def as_json(self) -> dict[str, list[str]]:
        return {
            "c": [group.scalar_hex(c) for c in self.challenges],
            "s": [group.scalar_hex(s) for s in self.responses],
        }

    @classmethod
    def from_json(cls, data: object, size: int) -> ChoiceProof:
        if not isinstance(data, dict):
            raise CryptoError("proof must be an object with c and s")
        cs, ss = data.get("c"), data.get("s")
        if not isinstance(cs, list) or not isinstance(ss, list):
            raise CryptoError("proof c and s must be lists")
        if len(cs) != size or len(ss) != size:
            raise CryptoError(f"proof must have {size} challenges and responses")
        return cls(
            tuple(group.scalar_from_hex(c, "proof challenge") for c in cs),
            tuple(group.scalar_from_hex(s, "proof response") for s in ss),
        )


@dataclass(frozen=True)
class DlogProof:
    """A proof ``(c, s)`` of a discrete log or of equal discrete logs."""

    challenge: int
    response: int

    def as_json(self) -> dict[str, str]:
        return {"c": group.scalar_hex(self.challenge), "s": group.scalar_hex(self.response)}

    @classmethod
    def from_json(cls, data: object) -> DlogProof:
        if not isinstance(data, dict):
            raise CryptoError("proof must be an object with c and s")
        return cls(
            group.scalar_from_hex(data.get("c"), "proof challenge"),
            group.scalar_from_hex(data.get("s"), "proof response"),
        )


def _choice_challenge(
    context: bytes,
    key: bytes,
    credential: bytes,
    ct: Ciphertext,
    values: Sequence[int],
    commitments: Sequence[bytes],
) -> int:
    return hash_to_scalar(
        TAG_CHOICE,
        context,
        key,
        credential,
        ct.a,
        ct.b,
        u64(len(values)),
        *(scalar_bytes(v) for v in values),
        *commitments,
    )


def prove_choice(
    *,
    context: bytes,
    key: bytes,
    credential: bytes,
    ciphertext: Ciphertext,
    nonce_used: int,
    values: Sequence[int],
    index: int,
    nonce: Nonce = random_scalar,
) -> ChoiceProof:
    """Prove ``ciphertext`` encrypts ``values[index]`` with randomness ``nonce_used``."""
    a, b = ciphertext.a, ciphertext.b
    m = len(values)
    cs = [0] * m
    ss = [0] * m
    commitments: list[bytes] = []
    w = nonce()
    for j, v in enumerate(values):
        if j == index:
            commitments += [base_mul(w), mul(w, key)]
            continue
        cs[j], ss[j] = nonce(), nonce()
        shifted = group.sub(b, base_mul(v))
        commitments += [
            group.lincomb((ss[j], group.GENERATOR), (-cs[j], a)),
            group.lincomb((ss[j], key), (-cs[j], shifted)),
        ]
    c = _choice_challenge(context, key, credential, ciphertext, values, commitments)
    cs[index] = (c - sum(cs)) % L
    ss[index] = (w + cs[index] * nonce_used) % L
    return ChoiceProof(tuple(cs), tuple(ss))


def check_choice(
    proof: ChoiceProof,
    *,
    context: bytes,
    key: bytes,
    credential: bytes,
    ciphertext: Ciphertext,
    values: Sequence[int],
    shifts: Sequence[bytes] | None = None,
) -> bool:
    """Whether ``proof`` shows ``ciphertext`` encrypts one of ``values``.

    ``shifts`` may carry the precomputed ``v·G`` for each value (a verifier checking many
    ballots computes them once).
    """
    a, b = ciphertext.a, ciphertext.b
    if a == group.IDENTITY or len(proof.challenges) != len(values):
        return False
    points = shifts if shifts is not None else [base_mul(v) for v in values]
    commitments: list[bytes] = []
    for c_j, s_j, v_point in zip(proof.challenges, proof.responses, points, strict=True):
        shifted = b if v_point == group.IDENTITY else group.sub(b, v_point)
        commitments.append(group.lincomb((s_j, group.GENERATOR), (-c_j, a)))
        commitments.append(group.lincomb((s_j, key), (-c_j, shifted)))
    c = _choice_challenge(context, key, credential, ciphertext, values, commitments)
    return sum(proof.challenges) % L == c


def _decryption_challenge(
    context: bytes, trustee: int, public: bytes, a: bytes, share: bytes, u: bytes, v: bytes
) -> int:
    return hash_to_scalar(TAG_DECRYPTION, context, u64(trustee), public, a, share, u, v)


def prove_decryption(
    *,
    context: bytes,
    trustee: int,
    secret: int,
    public: bytes,
    a: bytes,
    share: bytes,
    nonce: Nonce = random_scalar,
) -> DlogProof:
    w = nonce()
    c = _decryption_challenge(context, trustee, public, a, share, base_mul(w), mul(w, a))
    return DlogProof(c, (w + c * secret) % L)


def check_decryption(
    proof: DlogProof, *, context: bytes, trustee: int, public: bytes, a: bytes, share: bytes
) -> bool:
    u = group.lincomb((proof.response, group.GENERATOR), (-proof.challenge, public))
    v = group.lincomb((proof.response, a), (-proof.challenge, share))
    return _decryption_challenge(context, trustee, public, a, share, u, v) == proof.challenge


def prove_knowledge(
    *, context: bytes, index: int, secret: int, public: bytes, nonce: Nonce = random_scalar
) -> DlogProof:
    w = nonce()
    c = hash_to_scalar(TAG_COEFFICIENT, context, u64(index), public, base_mul(w))
    return DlogProof(c, (w + c * secret) % L)


def check_knowledge(proof: DlogProof, *, context: bytes, index: int, public: bytes) -> bool:
    u = group.lincomb((proof.response, group.GENERATOR), (-proof.challenge, public))
    return hash_to_scalar(TAG_COEFFICIENT, context, u64(index), public, u) == proof.challenge
