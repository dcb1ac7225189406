"""Signing identities as files: a private key (mode 0600) and the public file handed out.

Trustees, the credential authority and the board's server each make one with
``guildhall ballots identity new`` and read out its fingerprint to the others.
"""

from __future__ import annotations

from pathlib import Path

from guildhall.ballots import identity
from guildhall.ballots.errors import CryptoError
from guildhall.services.ballots.files import problem, read_json, refuse_existing, write_new

ROLES = ("trustee", "authority", "board")


def new(role: str, name: str, *, key_path: Path, public_path: Path) -> str:
    """Make an identity; returns its fingerprint. Neither file may exist yet."""
    if role not in ROLES:
        raise problem(None, f"role must be one of {', '.join(ROLES)}")
    refuse_existing(key_path, public_path)
    seed = identity.new_seed()
    write_new(key_path, identity.private_file(seed, role=role, name=name), private=True)
    key = identity.public_of(seed)
    write_new(public_path, identity.public_file(key, role=role, name=name), private=False)
    return identity.fingerprint(key)


def read_private(path: Path) -> bytes:
    try:
        return identity.read_private(read_json(path))
    except CryptoError as exc:
        raise problem(path, str(exc)) from exc


def read_public(path: Path) -> bytes:
    try:
        return identity.read_public(read_json(path))
    except CryptoError as exc:
        raise problem(path, str(exc)) from exc
