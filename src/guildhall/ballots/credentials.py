"""Voter credentials: one Ed25519 key pair per member, issued so they cannot be linked.

The credential authority, on its own machine, draws a key pair for each member of the
roll, puts the member id and the private credential in a mailing list for delivery, and
signs the list of public credentials **sorted by value** with its identity
(``signed_list``). The server imports only that signed list, and the verifier checks the
signature against the authority's key in the manifest, so the server cannot add or swap a
credential. The server never learns which public credential belongs to which member; the
link exists only in the mailing list, which is destroyed after delivery
(``docs/ballots.md`` §2).

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

from guildhall.ballots import identity
from guildhall.ballots.errors import CryptoError
from guildhall.ballots.identity import TAG_CREDENTIALS

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
    """A canonical Ed25519 point of the prime-order subgroup, not of small order."""
    return identity.key_is_point(public)


def signed_list(
    election_hash: str, public: Sequence[bytes], authority_seed: bytes
) -> dict[str, object]:
    """The board body of the credential list: sorted public credentials, signed by the
    authority over ``{election, credentials}``."""
    body: dict[str, object] = {"election": election_hash,
                               "credentials": [c.hex() for c in sorted(public)]}  # fmt: skip
    body["signature"] = identity.sign(TAG_CREDENTIALS, authority_seed, body)
    return body


def list_problems(body: object, *, election_hash: str, eligible: int, authority: bytes,
                  points: bool = True) -> list[tuple[str, str]]:  # fmt: skip
    """What is wrong with a credential list, each as (field, what); empty if nothing.

    ``points=False`` leaves out the check that each key is a valid point (the verifier
    runs it in its worker processes, ``point_problems``)."""
    if not isinstance(body, dict) or set(body) != {"election", "credentials", "signature"}:
        return [("body", "the credential list holds exactly election, credentials, signature")]
    problems: list[tuple[str, str]] = []
    if body["election"] != election_hash:
        problems.append(("election", "does not name this election"))
    creds = body["credentials"]
    if not isinstance(creds, list):
        return [*problems, ("credentials", "is not a list")]
    if len(creds) != eligible:
        problems.append(
            ("credentials", f"{len(creds)} credentials published for {eligible} eligible members")
        )
    for i, c in enumerate(creds):
        if not isinstance(c, str) or len(c) != 64 or not _lower_hex(c):
            problems.append((f"credentials[{i}]", "must be 64 lowercase hex characters"))
        elif points and not identity.key_is_point(bytes.fromhex(c)):
            problems.append((f"credentials[{i}]", "is not a valid Ed25519 public key"))
    if all(isinstance(c, str) for c in creds):
        if creds != sorted(creds):
            problems.append(("credentials", "the credentials are not sorted"))
        if len(set(creds)) != len(creds):
            problems.append(("credentials", "a credential is published twice"))
    if not identity.verify(TAG_CREDENTIALS, authority, body):
        problems.append(("signature", "not the credential authority's signature "
                         f"({identity.fingerprint(authority)}): the list was changed"))  # fmt: skip
    return problems


_HEX = frozenset("0123456789abcdef")


def _lower_hex(text: str) -> bool:
    return set(text) <= _HEX


def point_problems(creds: Sequence[object], start: int, stop: int) -> list[tuple[str, str]]:
    """The keys among ``creds[start:stop]`` that are hex but not valid Ed25519 points."""
    out = []
    for i in range(start, min(stop, len(creds))):
        c = creds[i]
        hexed = isinstance(c, str) and len(c) == 64 and _lower_hex(c)
        if hexed and not identity.key_is_point(bytes.fromhex(str(c))):
            out.append((f"credentials[{i}]", "is not a valid Ed25519 public key"))
    return out
