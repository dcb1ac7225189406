"""The public bulletin board: an append-only, hash-chained list of entries.

Each entry is ``{seq, prev, kind, body, hash}`` where ``hash`` is the SHA-256 of the
canonical JSON of ``{seq, prev, kind, body}`` and ``prev`` is the previous entry's hash
(64 zeros for the first). Exported as JSON Lines, one entry per line.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from guildhall.ballots.crypto.hashing import canonical_json, h256

GENESIS = "0" * 64
KINDS = (
    "election", "credentials", "opened", "ballot", "spoiled", "closed", "tally", "decryption",
    "result", "certified",
)  # fmt: skip


@dataclass(frozen=True)
class Entry:
    seq: int
    prev: str
    kind: str
    body: dict[str, Any]
    hash: str

    def as_json(self) -> dict[str, Any]:
        return {
            "seq": self.seq, "prev": self.prev, "kind": self.kind, "body": self.body,
            "hash": self.hash,
        }  # fmt: skip

    def line(self) -> str:
        return canonical_json(self.as_json()).decode("utf-8")


def entry_hash(
    seq: int, prev: str, kind: str, body: dict[str, Any], *, checked: bool = False
) -> str:
    return h256({"seq": seq, "prev": prev, "kind": kind, "body": body}, checked=checked)


def make_entry(seq: int, prev: str, kind: str, body: dict[str, Any]) -> Entry:
    if kind not in KINDS:
        raise ValueError(f"no board entry kind {kind!r}")
    return Entry(seq, prev, kind, body, entry_hash(seq, prev, kind, body))


def after(last: Entry | None, kind: str, body: dict[str, Any]) -> Entry:
    """The entry that follows ``last`` (or starts the board when ``last`` is ``None``)."""
    if last is None:
        return make_entry(0, GENESIS, kind, body)
    return make_entry(last.seq + 1, last.hash, kind, body)


def export_lines(entries: Iterable[Entry]) -> Iterable[str]:
    for entry in entries:
        yield entry.line() + "\n"


class MemoryBoard:
    """A board held in memory: what the service keeps in its table, for tests and benches."""

    def __init__(self) -> None:
        self.entries: list[Entry] = []

    def append(self, kind: str, body: dict[str, Any]) -> Entry:
        entry = after(self.entries[-1] if self.entries else None, kind, body)
        self.entries.append(entry)
        return entry

    def lines(self) -> list[str]:
        return [e.line() for e in self.entries]
