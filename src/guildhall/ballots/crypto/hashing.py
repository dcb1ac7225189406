"""Hashes with domain separation, and canonical JSON.

``hash_to_scalar(tag, *items)`` is ``Hq`` in ``docs/ballots.md`` §4: SHA-512 over each item
prefixed by its 4-byte big-endian length, the digest read big-endian and reduced mod L.

>>> canonical_json({"b": 1, "a": [True, None, "é"]})
b'{"a":[true,null,"\\xc3\\xa9"],"b":1}'
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

from guildhall.ballots.crypto.group import L

TAG_COEFFICIENT = "guildhall.ballots.v2.coefficient"
TAG_CHOICE = "guildhall.ballots.v2.choice"
TAG_DECRYPTION = "guildhall.ballots.v2.decryption"
TAG_BALLOT = "guildhall.ballots.v2.ballot"


def u64(n: int) -> bytes:
    return n.to_bytes(8, "big")


def hash_to_scalar(tag: str, *items: bytes) -> int:
    h = hashlib.sha512()
    for item in (tag.encode("ascii"), *items):
        h.update(len(item).to_bytes(4, "big"))
        h.update(item)
    return int.from_bytes(h.digest(), "big") % L


def _refuse_floats(value: Any) -> None:
    if isinstance(value, float):
        raise TypeError("canonical JSON holds no floats")
    if isinstance(value, dict):
        for v in value.values():
            _refuse_floats(v)
    elif isinstance(value, list | tuple):
        for v in value:
            _refuse_floats(v)


def refuse_float(text: str) -> Any:
    """A ``parse_float`` hook for ``json.loads``: published data holds integers only."""
    raise ValueError(f"a float ({text}) where only integers are allowed")


def canonical_json(value: Any, *, checked: bool = False) -> bytes:
    """Sorted keys, no whitespace, UTF-8, integers only.

    ``checked=True`` says ``value`` was parsed with ``refuse_float`` already, so the walk
    looking for floats is skipped.
    """
    if not checked:
        _refuse_floats(value)
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def h256(value: Any, *, checked: bool = False) -> str:
    """SHA-256 of the canonical JSON of ``value``, as lowercase hex."""
    return hashlib.sha256(canonical_json(value, checked=checked)).hexdigest()
