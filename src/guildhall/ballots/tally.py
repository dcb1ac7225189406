"""From ballots to a result: the encrypted tally, its decryption, counts and outcome."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from guildhall.ballots.crypto.dlog import small_dlog
from guildhall.ballots.crypto.elgamal import Ciphertext
from guildhall.ballots.crypto.trustees import DecryptionShare, combine, share_is_valid
from guildhall.ballots.manifest import Manifest


@dataclass(frozen=True)
class Outcome:
    """The counted result. ``votes`` are the non-blank ballots the threshold applies to."""

    counts: dict[str, int]
    blank: int
    cast: int
    eligible: int
    total: int
    passed: bool

    @property
    def votes(self) -> int:
        return self.cast - self.blank

    def as_body(self, election_hash: str) -> dict[str, Any]:
        return {
            "election": election_hash, "total": self.total, "counts": dict(self.counts),
            "blank": self.blank, "cast": self.cast, "eligible": self.eligible,
            "passed": self.passed,
        }  # fmt: skip


def outcome(manifest: Manifest, total: int, cast: int) -> Outcome:
    """Counts are the base-R digits of ``total``.

    ``passed`` is the threshold applied to the count of the option the manifest names as
    the motion against all non-blank votes, with exact integers; no votes never passes.
    """
    radix = manifest.radix
    counts = {o: (total // radix**i) % radix for i, o in enumerate(manifest.options)}
    if total >= radix ** len(manifest.options):
        raise ValueError("the decrypted total has more digits than the question has options")
    votes = sum(counts.values())
    if votes > cast:
        raise ValueError(f"{votes} votes counted from {cast} ballots")
    passed = manifest.threshold.is_met(yes=counts[manifest.motion], cast=votes)
    return Outcome(counts, cast - votes, cast, manifest.eligible, total, passed)


def total_bound(manifest: Manifest, cast: int) -> int:
    """The largest possible decrypted total for ``cast`` ballots."""
    return int(cast * manifest.radix ** (len(manifest.options) - 1))


def decrypt(
    manifest: Manifest,
    election_hash: str,
    tally: Ciphertext,
    shares: Sequence[DecryptionShare],
    cast: int,
) -> Outcome:
    """Combine at least k valid shares and read the counts."""
    context = bytes.fromhex(election_hash)
    good = [s for s in shares if share_is_valid(s, trustees=manifest.trustees, context=context,
                                                a=tally.a)]  # fmt: skip
    if len(good) != len(shares):
        bad = sorted({s.trustee for s in shares} - {s.trustee for s in good})
        raise ValueError(f"decryption shares of trustees {bad} do not verify")
    if len({s.trustee for s in good}) < manifest.trustees.k:
        raise ValueError(f"{manifest.trustees.k} trustees are needed to decrypt")
    point = combine(good, tally.b)
    return outcome(manifest, small_dlog(point, total_bound(manifest, cast)), cast)
