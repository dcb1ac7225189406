"""Exponential ElGamal: ``(a, b) = (rG, rK + vG)``; ciphertexts add to the sum of values."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from guildhall.ballots.crypto import group
from guildhall.ballots.crypto.group import IDENTITY, base_mul, mul, random_scalar
from guildhall.ballots.errors import CryptoError

Nonce = Callable[[], int]


@dataclass(frozen=True)
class Ciphertext:
    a: bytes
    b: bytes

    def __add__(self, other: Ciphertext) -> Ciphertext:
        return Ciphertext(group.add(self.a, other.a), group.add(self.b, other.b))

    def as_json(self) -> dict[str, str]:
        return {"a": self.a.hex(), "b": self.b.hex()}

    @classmethod
    def from_json(cls, data: object) -> Ciphertext:
        if not isinstance(data, dict):
            raise CryptoError("ciphertext must be an object with a and b")
        return cls(
            group.point_from_hex(data.get("a"), "a"), group.point_from_hex(data.get("b"), "b")
        )


ZERO = Ciphertext(IDENTITY, IDENTITY)


def encrypt(key: bytes, value: int, nonce: Nonce = random_scalar) -> tuple[Ciphertext, int]:
    """Encrypt ``value`` under ``key``; returns the ciphertext and the randomness used."""
    r = nonce()
    return Ciphertext(base_mul(r), group.add(mul(r, key), base_mul(value))), r


def total(ciphertexts: Iterable[Ciphertext]) -> Ciphertext:
    """The homomorphic sum; the encryption of zero with zero randomness when empty."""
    a, b = IDENTITY, IDENTITY
    for c in ciphertexts:
        a = group.add(a, c.a)
        b = group.add(b, c.b)
    return Ciphertext(a, b)
