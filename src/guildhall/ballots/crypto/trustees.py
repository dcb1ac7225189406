"""k-of-n trustees: a dealer-free joint Feldman key and threshold decryption.

Each trustee deals a random polynomial of degree ``k − 1`` and publishes commitments to
its coefficients; the shares it sends the others are checked against them. The election
key is the sum of the constant commitments; no one ever holds the whole secret. Any ``k``
trustees decrypt with Lagrange coefficients; up to ``n − k`` may be lost.

The steps are separate functions so trustees can run them on separate machines:
``deal`` (each trustee), ``share_is_consistent`` (each receiver), ``secret_share`` (each
trustee), ``public_key`` and ``verification_key`` (anyone). ``ceremony`` runs all of them
in one process, for tests and for a guild that runs every trustee on one machine.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace

from guildhall.ballots.crypto import group
from guildhall.ballots.crypto.elgamal import Nonce
from guildhall.ballots.crypto.group import L, base_mul, random_scalar
from guildhall.ballots.crypto.proofs import (
    DlogProof,
    check_decryption,
    check_knowledge,
    prove_decryption,
    prove_knowledge,
)


@dataclass(frozen=True)
class Dealing:
    """What trustee ``index`` publishes, and (privately) the shares it sends to the others."""

    index: int
    commitments: tuple[bytes, ...]
    proof: DlogProof
    shares: Mapping[int, int]


@dataclass(frozen=True)
class TrusteeKey:
    """One trustee's secret share ``x_l``. Written only to that trustee's own key file."""

    election_id: str
    index: int
    secret: int
    identity_seed: bytes | None = None
    """The trustee's signing identity, when the key file carries it (one-process mode)."""

    def __repr__(self) -> str:
        return f"TrusteeKey(election_id={self.election_id!r}, index={self.index}, secret=<hidden>)"


@dataclass(frozen=True)
class PublicTrustees:
    """The public side of the ceremony, as it goes into the manifest."""

    n: int
    k: int
    commitments: tuple[tuple[bytes, ...], ...]
    proofs: tuple[DlogProof, ...]
    identities: tuple[bytes, ...] = ()
    """Each trustee's Ed25519 signing identity (``guildhall.ballots.identity``)."""

    def public_key(self) -> bytes:
        key = group.IDENTITY
        for row in self.commitments:
            key = group.add(key, row[0])
        return key

    def verification_key(self, index: int) -> bytes:
        """``X_l = Σ_i Σ_j l^j C_ij``, the public counterpart of trustee ``l``'s share."""
        point = group.IDENTITY
        for row in self.commitments:
            point = group.add(point, _evaluate_commitments(row, index))
        return point

    def as_json(self) -> dict[str, object]:
        return {
            "n": self.n,
            "k": self.k,
            "commitments": [[c.hex() for c in row] for row in self.commitments],
            "proofs": [p.as_json() for p in self.proofs],
            "identities": [i.hex() for i in self.identities],
        }


def _evaluate_commitments(row: Sequence[bytes], index: int) -> bytes:
    point = group.IDENTITY
    power = 1
    for c in row:
        point = group.add(point, group.mul(power, c))
        power = power * index % L
    return point


def _polynomial(coefficients: Sequence[int], x: int) -> int:
    value = 0
    for c in reversed(coefficients):
        value = (value * x + c) % L
    return value


def deal(election_id: str, index: int, *, n: int, k: int, nonce: Nonce = random_scalar) -> Dealing:
    """Trustee ``index`` (1-based) draws its polynomial and computes shares for all ``n``."""
    if not 1 <= k <= n:
        raise ValueError(f"a quorum of {k} of {n} trustees is impossible")
    coefficients = [nonce() for _ in range(k)]
    commitments = tuple(base_mul(c) for c in coefficients)
    proof = prove_knowledge(
        context=election_id.encode(),
        index=index,
        secret=coefficients[0],
        public=commitments[0],
        nonce=nonce,
    )
    shares = {r: _polynomial(coefficients, r) for r in range(1, n + 1)}
    return Dealing(index, commitments, proof, shares)


def share_is_consistent(commitments: Sequence[bytes], receiver: int, share: int) -> bool:
    """Whether a share received by trustee ``receiver`` matches the dealer's commitments."""
    return base_mul(share) == _evaluate_commitments(commitments, receiver)


def dealing_is_valid(
    election_id: str, dealing_index: int, commitments: Sequence[bytes], proof: DlogProof
) -> bool:
    return check_knowledge(
        proof, context=election_id.encode(), index=dealing_index, public=commitments[0]
    )


def secret_share(election_id: str, receiver: int, dealings: Sequence[Dealing]) -> TrusteeKey:
    for d in dealings:
        if not share_is_consistent(d.commitments, receiver, d.shares[receiver]):
            raise ValueError(f"trustee {d.index}'s share for trustee {receiver} is inconsistent")
    return TrusteeKey(election_id, receiver, sum(d.shares[receiver] for d in dealings) % L)


def ceremony(
    election_id: str,
    *,
    n: int,
    k: int,
    nonce: Nonce = random_scalar,
    identity_seeds: Sequence[bytes] | None = None,
) -> tuple[PublicTrustees, list[TrusteeKey]]:
    """Run every trustee's steps in one process; returns the public part and the n keys,
    each key carrying its trustee's signing identity (drawn here unless given)."""
    from guildhall.ballots import identity

    dealings = [deal(election_id, i, n=n, k=k, nonce=nonce) for i in range(1, n + 1)]
    for d in dealings:
        if not dealing_is_valid(election_id, d.index, d.commitments, d.proof):
            raise ValueError(f"trustee {d.index}'s proof of knowledge does not verify")
    seeds = list(identity_seeds) if identity_seeds else [identity.new_seed() for _ in range(n)]
    keys = [replace(secret_share(election_id, r, dealings), identity_seed=seeds[r - 1])
            for r in range(1, n + 1)]  # fmt: skip
    public = PublicTrustees(
        n, k, tuple(d.commitments for d in dealings), tuple(d.proof for d in dealings),
        tuple(identity.public_of(s) for s in seeds),
    )  # fmt: skip
    return public, keys


@dataclass(frozen=True)
class DecryptionShare:
    trustee: int
    share: bytes
    proof: DlogProof

    def as_json(self) -> dict[str, object]:
        return {"trustee": self.trustee, "share": self.share.hex(), "proof": self.proof.as_json()}


def decryption_share(
    key: TrusteeKey, *, context: bytes, a: bytes, nonce: Nonce = random_scalar
) -> DecryptionShare:
    share = group.mul(key.secret, a)
    proof = prove_decryption(
        context=context,
        trustee=key.index,
        secret=key.secret,
        public=base_mul(key.secret),
        a=a,
        share=share,
        nonce=nonce,
    )
    return DecryptionShare(key.index, share, proof)


def share_is_valid(
    share: DecryptionShare, *, trustees: PublicTrustees, context: bytes, a: bytes
) -> bool:
    if not 1 <= share.trustee <= trustees.n:
        return False
    return check_decryption(
        share.proof,
        context=context,
        trustee=share.trustee,
        public=trustees.verification_key(share.trustee),
        a=a,
        share=share.share,
    )


def lagrange_at_zero(index: int, indices: Sequence[int]) -> int:
    num, den = 1, 1
    for m in indices:
        if m != index:
            num = num * m % L
            den = den * (m - index) % L
    return num * pow(den, -1, L) % L


def combine(shares: Sequence[DecryptionShare], b: bytes) -> bytes:
    """``B − Σ λ_l D_l``: the point ``S·G`` once at least k valid shares are combined."""
    indices = [s.trustee for s in shares]
    if len(set(indices)) != len(indices):
        raise ValueError("a trustee's share appears twice")
    d = group.IDENTITY
    for s in shares:
        d = group.add(d, group.mul(lagrange_at_zero(s.trustee, indices), s.share))
    return group.sub(b, d)
