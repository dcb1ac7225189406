"""Voter credentials: one Ed25519 key pair per member, issued so they cannot be linked.

The credential authority draws a key pair for each member, puts the member id and the
private credential in a mailing list for delivery, and hands the server only the public
credentials **sorted by value**. The server never learns which public credential belongs
to which member; the link exists only in the mailing list, which is destroyed after
delivery (``docs/ballots.md`` §2).

>>> private = format_private(bytes(range(32)))
>>> private[:9]
'AAAQ-EAYE'
>>> parse_private(private.lower()) == bytes(range(32))
True
"""

from __future__ import annotations

import base64
import secrets
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from nacl.exceptions import BadSignatureError
from nacl.signing import SigningKey, VerifyKey

from guildhall.ballots.errors import CryptoError

SEED_BYTES = 32


@dataclass(frozen=True)
class Mailing:
    """One member's private credential, for delivery to that member only."""

    member_id: str
    credential: str

    def __repr__(self) -> str:
        return f"Mailing(member_id={self.member_id!r}, credential=<hidden>)"


@dataclass(frozen=True)
class Issue:
    mailings: tuple[Mailing, ...]
    public: tuple[bytes, ...]
    """Sorted by value: the order says nothing about the members."""


def format_private(seed: bytes) -> str:
    text = base64.b32encode(seed).decode("ascii").rstrip("=")
    return "-".join(text[i : i + 4] for i in range(0, len(text), 4))


def parse_private(text: str) -> bytes:
    cleaned = text.strip().replace("-", "").replace(" ", "").upper()
    try:
        seed = base64.b32decode(cleaned + "=" * (-len(cleaned) % 8))
    except ValueError as exc:
        raise CryptoError("a credential is 52 letters and digits, grouped by dashes") from exc
    if len(seed) != SEED_BYTES:
        raise CryptoError("a credential is 52 letters and digits, grouped by dashes")
    return seed


def public_of(seed: bytes) -> bytes:
    return bytes(SigningKey(seed).verify_key)


def issue(
    member_ids: Sequence[str], *, random_bytes: Callable[[int], bytes] = secrets.token_bytes
) -> Issue:
    mailings = []
    public = []
    for member_id in member_ids:
        seed = random_bytes(SEED_BYTES)
        mailings.append(Mailing(member_id, format_private(seed)))
        public.append(public_of(seed))
    if len(set(public)) != len(public):
        raise CryptoError("two credentials collided; issue again")
    return Issue(tuple(mailings), tuple(sorted(public)))


def sign(seed: bytes, message: bytes) -> bytes:
    return SigningKey(seed).sign(message).signature


def signature_is_valid(public: bytes, message: bytes, signature: bytes) -> bool:
    try:
        VerifyKey(public).verify(message, signature)
    except (BadSignatureError, ValueError, TypeError):
        return False
    return True


def public_key_is_valid(public: bytes) -> bool:
    try:
        VerifyKey(public)
    except (ValueError, TypeError):
        return False
    return len(public) == 32
