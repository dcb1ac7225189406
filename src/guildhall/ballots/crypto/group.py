"""The ristretto255 group (RFC 9496) through the system libsodium.

Points are their canonical 32-byte encodings (``bytes``); the identity is 32 zero bytes.
Scalars are Python ``int`` in ``[0, L)``. Decoding a point checks it is canonical, which
is all the subgroup checking ristretto255 needs.

>>> add(base_mul(2), base_mul(3)) == base_mul(5)
True
>>> mul(0, GENERATOR) == IDENTITY
True
"""

from __future__ import annotations

import ctypes
import ctypes.util
import secrets

from guildhall.ballots.errors import CryptoError

L = 2**252 + 27742317777372353535851937790883648493
"""The order of the group."""

POINT_BYTES = 32
SCALAR_BYTES = 32
IDENTITY = bytes(32)


def _load() -> ctypes.CDLL:
    name = ctypes.util.find_library("sodium")
    if name is None:
        raise ImportError("libsodium (>= 1.0.18) is required for ballots; install libsodium23")
    lib = ctypes.CDLL(name)
    if lib.sodium_init() < 0:
        raise ImportError("libsodium failed to initialise")
    if not hasattr(lib, "crypto_scalarmult_ristretto255"):
        raise ImportError("the installed libsodium has no ristretto255 (needs >= 1.0.18)")
    return lib


_lib = _load()
_base = _lib.crypto_scalarmult_ristretto255_base
_mul = _lib.crypto_scalarmult_ristretto255
_add = _lib.crypto_core_ristretto255_add
_sub = _lib.crypto_core_ristretto255_sub
_valid = _lib.crypto_core_ristretto255_is_valid_point
_buffer = ctypes.create_string_buffer


def scalar_bytes(k: int) -> bytes:
    return k.to_bytes(SCALAR_BYTES, "little")


def base_mul(k: int) -> bytes:
    """``kG``."""
    k %= L
    if k == 0:
        return IDENTITY
    out = _buffer(POINT_BYTES)
    _base(out, k.to_bytes(SCALAR_BYTES, "little"))
    return out.raw


def mul(k: int, point: bytes) -> bytes:
    """``k·point`` for a point already known to be valid."""
    k %= L
    if k == 0 or point == IDENTITY:
        return IDENTITY
    out = _buffer(POINT_BYTES)
    # libsodium returns -1 only for an invalid input (excluded) or an identity result.
    if _mul(out, k.to_bytes(SCALAR_BYTES, "little"), point) != 0:
        return IDENTITY
    return out.raw


def add(p: bytes, q: bytes) -> bytes:
    out = _buffer(POINT_BYTES)
    _add(out, p, q)
    return out.raw


def sub(p: bytes, q: bytes) -> bytes:
    out = _buffer(POINT_BYTES)
    _sub(out, p, q)
    return out.raw


def neg(p: bytes) -> bytes:
    return sub(IDENTITY, p)


def is_valid(point: bytes) -> bool:
    return len(point) == POINT_BYTES and _valid(point) == 1


def random_scalar() -> int:
    """A uniformly random non-zero scalar from the operating system's CSPRNG."""
    return secrets.randbelow(L - 1) + 1


GENERATOR = base_mul(1)


def point_from_hex(text: object, what: str = "point") -> bytes:
    """A point from 64 hex characters; refuses anything but a canonical encoding."""
    if not isinstance(text, str) or len(text) != 2 * POINT_BYTES:
        raise CryptoError(f"{what} must be {2 * POINT_BYTES} hex characters")
    try:
        raw = bytes.fromhex(text)
    except ValueError as exc:
        raise CryptoError(f"{what} is not hex") from exc
    if raw.hex() != text or not is_valid(raw):
        raise CryptoError(f"{what} is not a canonical ristretto255 point")
    return raw


def scalar_from_hex(text: object, what: str = "scalar") -> int:
    """A scalar from 64 hex characters (32 bytes little-endian); refuses values >= L."""
    if not isinstance(text, str) or len(text) != 2 * SCALAR_BYTES:
        raise CryptoError(f"{what} must be {2 * SCALAR_BYTES} hex characters")
    try:
        raw = bytes.fromhex(text)
    except ValueError as exc:
        raise CryptoError(f"{what} is not hex") from exc
    value = int.from_bytes(raw, "little")
    if raw.hex() != text or value >= L:
        raise CryptoError(f"{what} is not a canonical scalar")
    return value


def scalar_hex(k: int) -> str:
    return scalar_bytes(k % L).hex()
