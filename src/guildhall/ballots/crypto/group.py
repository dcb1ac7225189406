"""The secp256k1 group (SEC 2) through libsecp256k1, as bundled by ``coincurve``.

Points are their 33-byte SEC 1 compressed encodings (``bytes``); the identity, which has
no compressed encoding, is written as 33 zero bytes so that every point has one length.
Scalars are Python ``int`` in ``[0, L)``. secp256k1 has prime order (cofactor 1), so a
point that decodes is a group element: there is no subgroup to check.

>>> add(base_mul(2), base_mul(3)) == base_mul(5)
True
>>> mul(0, GENERATOR) == IDENTITY == sub(GENERATOR, GENERATOR)
True
"""

from __future__ import annotations

import secrets
from functools import lru_cache

from coincurve import PublicKey

from guildhall.ballots.errors import CryptoError

L = 0xFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEBAAEDCE6AF48A03BBFD25E8CD0364141
"""The order of the group (SEC 2's ``n``)."""

POINT_BYTES = 33
SCALAR_BYTES = 32
IDENTITY = bytes(POINT_BYTES)


@lru_cache(maxsize=4096)
def _decoded(point: bytes) -> PublicKey:
    # A verifier uses the election key, the shifts and each ciphertext several times;
    # decoding (a square root) is then done once. ``ValueError`` for a non-point.
    return PublicKey(point)


def scalar_bytes(k: int) -> bytes:
    """32 bytes, big-endian (SEC 1)."""
    return k.to_bytes(SCALAR_BYTES, "big")


def base_mul(k: int) -> bytes:
    """``kG``."""
    k %= L
    if k == 0:
        return IDENTITY
    return PublicKey.from_valid_secret(k.to_bytes(SCALAR_BYTES, "big")).format()


def mul(k: int, point: bytes) -> bytes:
    """``k·point`` for a point already known to be valid."""
    k %= L
    if k == 0 or point == IDENTITY:
        return IDENTITY
    return _decoded(point).multiply(k.to_bytes(SCALAR_BYTES, "big")).format()


def neg(p: bytes) -> bytes:
    """``-p``: the same x, the other y (y is never 0 on secp256k1, so the parity flips)."""
    if p == IDENTITY:
        return IDENTITY
    return bytes((p[0] ^ 1,)) + p[1:]


def add(p: bytes, q: bytes) -> bytes:
    if p == IDENTITY:
        return q
    if q == IDENTITY:
        return p
    if p[1:] == q[1:] and p[0] != q[0]:
        return IDENTITY  # q == -p
    return PublicKey.combine_keys([_decoded(p), _decoded(q)]).format()


def sub(p: bytes, q: bytes) -> bytes:
    return add(p, neg(q))


def lincomb(*terms: tuple[int, bytes]) -> bytes:
    """``Σ kᵢ·Pᵢ`` for points already known to be valid, with no encoding in between.

    >>> lincomb((5, GENERATOR), (-2, base_mul(3))) == IDENTITY
    False
    >>> lincomb((6, GENERATOR), (-2, base_mul(3))) == IDENTITY
    True
    """
    keys = []
    for k, point in terms:
        k %= L
        if k == 0 or point == IDENTITY:
            continue
        scalar = k.to_bytes(SCALAR_BYTES, "big")
        if point == GENERATOR:
            keys.append(PublicKey.from_valid_secret(scalar))
        else:
            keys.append(_decoded(point).multiply(scalar))
    if not keys:
        return IDENTITY
    if len(keys) == 1:
        return keys[0].format()
    try:
        return PublicKey.combine_keys(keys).format()
    except ValueError:  # the terms add up to the point at infinity
        return IDENTITY


def is_valid(point: bytes) -> bool:
    if len(point) != POINT_BYTES:
        return False
    if point == IDENTITY:
        return True
    if point[0] not in (2, 3):
        return False
    try:
        _decoded(point)
    except ValueError:
        return False
    return True


def random_scalar() -> int:
    """A uniformly random non-zero scalar from the operating system's CSPRNG."""
    return secrets.randbelow(L - 1) + 1


GENERATOR = base_mul(1)


def point_from_hex(text: object, what: str = "point") -> bytes:
    """A point from 66 hex characters; refuses anything but a canonical encoding."""
    if not isinstance(text, str) or len(text) != 2 * POINT_BYTES:
        raise CryptoError(f"{what} must be {2 * POINT_BYTES} hex characters")
    try:
        raw = bytes.fromhex(text)
    except ValueError as exc:
        raise CryptoError(f"{what} is not hex") from exc
    if raw.hex() != text or not is_valid(raw):
        raise CryptoError(f"{what} is not a canonical secp256k1 point")
    return raw


def scalar_from_hex(text: object, what: str = "scalar") -> int:
    """A scalar from 64 hex characters (32 bytes big-endian); refuses values >= L."""
    if not isinstance(text, str) or len(text) != 2 * SCALAR_BYTES:
        raise CryptoError(f"{what} must be {2 * SCALAR_BYTES} hex characters")
    try:
        raw = bytes.fromhex(text)
    except ValueError as exc:
        raise CryptoError(f"{what} is not hex") from exc
    value = int.from_bytes(raw, "big")
    if raw.hex() != text or value >= L:
        raise CryptoError(f"{what} is not a canonical scalar")
    return value


def scalar_hex(k: int) -> str:
    return scalar_bytes(k % L).hex()
