"""Long-term signing identities: Ed25519 keys for trustees, the credential authority and
the board's server, and the signatures they put on what they hand over.

A signature is over ``tag || 0x00 || canonical JSON`` of the object signed (the object
without its ``signature`` key), so a signature made for one purpose never verifies for
another. A key is shown to people as its *fingerprint*: the first 16 bytes of
``SHA-256("guildhall.ballots.v2.identity" || 0x00 || key)`` as eight groups of four hex
digits, for comparing in person (``docs/ballots.md`` §5).

>>> seed = bytes(range(32))
>>> key = public_of(seed)
>>> signed = sign(TAG_DEALING, seed, {"a": 1})
>>> verify(TAG_DEALING, key, {"a": 1, "signature": signed})
True
>>> verify(TAG_SEALED, key, {"a": 1, "signature": signed})
False
>>> len(fingerprint(key))
39
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from typing import Any

from nacl.exceptions import BadSignatureError
from nacl.signing import SigningKey, VerifyKey

from guildhall.ballots.crypto.hashing import canonical_json
from guildhall.ballots.errors import CryptoError

TAG_IDENTITY = "guildhall.ballots.v2.identity"
TAG_DEALING = "guildhall.ballots.v2.dealing"
TAG_SEALED = "guildhall.ballots.v2.sealed"
TAG_CREDENTIALS = "guildhall.ballots.v2.credentials"
TAG_ANCHOR = "guildhall.ballots.v2.anchor"
TAG_CHECKPOINT = "guildhall.ballots.v2.checkpoint"
TAG_CERTIFIED = "guildhall.ballots.v2.certified"

SEED_BYTES = 32
KEY_BYTES = 32
SIGNATURE_BYTES = 64


def public_of(seed: bytes) -> bytes:
    return bytes(SigningKey(seed).verify_key)


def new_seed() -> bytes:
    return bytes(SigningKey.generate())


def fingerprint(key: bytes) -> str:
    digest = hashlib.sha256(TAG_IDENTITY.encode("ascii") + b"\x00" + key).hexdigest()[:32]
    return "-".join(digest[i : i + 4] for i in range(0, 32, 4))


def signed_bytes(tag: str, unsigned: Mapping[str, Any]) -> bytes:
    return tag.encode("ascii") + b"\x00" + canonical_json(dict(unsigned))


def sign(tag: str, seed: bytes, unsigned: Mapping[str, Any]) -> str:
    """The signature, as 128 hex characters, over ``unsigned`` (no ``signature`` key)."""
    if "signature" in unsigned:
        raise ValueError("the object to sign already holds a signature")
    return SigningKey(seed).sign(signed_bytes(tag, unsigned)).signature.hex()


def verify(tag: str, key: bytes, signed: Mapping[str, Any]) -> bool:
    """Whether ``signed["signature"]`` is ``key``'s signature over the rest of ``signed``."""
    signature = signed.get("signature")
    if not isinstance(signature, str) or len(signature) != 2 * SIGNATURE_BYTES:
        return False
    try:
        raw = bytes.fromhex(signature)
        if raw.hex() != signature:
            return False
        unsigned = {k: v for k, v in signed.items() if k != "signature"}
        VerifyKey(key).verify(signed_bytes(tag, unsigned), raw)
    except (BadSignatureError, ValueError, TypeError):
        return False
    return True


def key_is_point(key: bytes) -> bool:
    """Whether 32 bytes are an Ed25519 public key libsodium accepts: a canonical encoding of
    a point of the prime-order subgroup that is not of small order (so all-``00`` and
    all-``ff`` are refused)."""
    if len(key) != KEY_BYTES:
        return False
    from nacl.bindings import crypto_core_ed25519_is_valid_point

    try:
        return bool(crypto_core_ed25519_is_valid_point(key))
    except (ValueError, TypeError):
        return False


def key_from_hex(text: object, what: str) -> bytes:
    """An Ed25519 public key from 64 lowercase hex characters, checked as a point."""
    if not isinstance(text, str) or len(text) != 2 * KEY_BYTES:
        raise CryptoError(f"{what} must be {2 * KEY_BYTES} lowercase hex characters")
    try:
        raw = bytes.fromhex(text)
    except ValueError as exc:
        raise CryptoError(f"{what} is not hex") from exc
    if raw.hex() != text:
        raise CryptoError(f"{what} must be lowercase hex")
    if not key_is_point(raw):
        raise CryptoError(f"{what} is not a valid Ed25519 public key")
    return raw


def public_file(key: bytes, *, role: str, name: str) -> dict[str, Any]:
    """What a holder hands out: its public key, role and name."""
    return {"format": "guildhall-identity/1", "role": role, "name": name, "key": key.hex(),
            "fingerprint": fingerprint(key)}  # fmt: skip


def private_file(seed: bytes, *, role: str, name: str) -> dict[str, Any]:
    return {"format": "guildhall-identity-key/1", "role": role, "name": name,
            "secret": seed.hex()}  # fmt: skip


def read_public(data: Any) -> bytes:
    if not isinstance(data, dict) or data.get("format") != "guildhall-identity/1":
        raise CryptoError("not a public identity file (format guildhall-identity/1)")
    key = key_from_hex(data.get("key"), "key")
    if "fingerprint" in data and data["fingerprint"] != fingerprint(key):
        raise CryptoError("the fingerprint written in the file is not its key's")
    return key


def read_private(data: Any) -> bytes:
    if not isinstance(data, dict) or data.get("format") != "guildhall-identity-key/1":
        raise CryptoError("not a private identity key (format guildhall-identity-key/1)")
    secret = data.get("secret")
    try:
        seed = bytes.fromhex(secret) if isinstance(secret, str) else b""
    except ValueError:
        seed = b""
    if len(seed) != SEED_BYTES:
        raise CryptoError("the identity key's secret is not 64 hex characters")
    return seed
