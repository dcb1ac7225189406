"""The election manifest: everything about a vote that is fixed before it opens.

Its canonical JSON is the first entry of the board, and its SHA-256 is the election hash
that every ballot and proof binds to (``docs/ballots.md`` §8).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from fractions import Fraction
from typing import Any

from guildhall.ballots.crypto import group
from guildhall.ballots.crypto.hashing import h256
from guildhall.ballots.crypto.proofs import DlogProof
from guildhall.ballots.crypto.trustees import PublicTrustees
from guildhall.ballots.errors import CryptoError
from guildhall.core.thresholds import COMPARISONS, Threshold

FORMAT = "guildhall-ballots/1"
QUESTIONS = ("strike_authorization", "ratification", "board_resolution", "other")
RATIFICATION = Threshold(Fraction(1, 2), "more_than")
"""Ratification: a majority of the votes cast."""


@dataclass(frozen=True)
class Manifest:
    id: str
    case: str | None
    question: str
    text: str
    options: tuple[str, ...]
    allow_blank: bool
    eligible: int
    threshold: Threshold
    opens_at: datetime
    closes_at: datetime
    trustees: PublicTrustees
    public_key: bytes

    @property
    def radix(self) -> int:
        return self.eligible + 1

    @property
    def values(self) -> tuple[int, ...]:
        """The allowed plaintexts: ``R^i`` for option ``i``, then 0 for blank if allowed."""
        values = tuple(self.radix**i for i in range(len(self.options)))
        return (*values, 0) if self.allow_blank else values

    def index_of(self, choice: str) -> int:
        if choice == "blank":
            if not self.allow_blank:
                raise ValueError("this question does not allow a blank ballot")
            return len(self.options)
        if choice not in self.options:
            raise ValueError(f"{choice!r} is not one of {', '.join(self.options)}")
        return self.options.index(choice)

    def as_json(self) -> dict[str, Any]:
        return {
            "format": FORMAT,
            "id": self.id,
            "case": self.case,
            "question": self.question,
            "text": self.text,
            "options": list(self.options),
            "allow_blank": self.allow_blank,
            "radix": self.radix,
            "eligible": self.eligible,
            "threshold": {
                "ratio": f"{self.threshold.ratio.numerator}/{self.threshold.ratio.denominator}",
                "comparison": self.threshold.comparison,
            },
            "opens_at": self.opens_at.isoformat(),
            "closes_at": self.closes_at.isoformat(),
            "trustees": self.trustees.as_json(),
            "public_key": self.public_key.hex(),
        }

    @property
    def election_hash(self) -> str:
        return h256(self.as_json())

    @classmethod
    def from_json(cls, data: Any) -> Manifest:
        """Read and check a manifest; ``CryptoError`` or ``ValueError`` says what is wrong."""
        if not isinstance(data, dict):
            raise ValueError("the manifest is not an object")
        if data.get("format") != FORMAT:
            raise ValueError(f"the manifest format is not {FORMAT}")
        options = data.get("options")
        if (
            not isinstance(options, list)
            or len(options) < 2
            or not all(isinstance(o, str) and o and o != "blank" for o in options)
            or len(set(options)) != len(options)
        ):
            raise ValueError("options must be two or more distinct names, none 'blank'")
        eligible = data.get("eligible")
        if not isinstance(eligible, int) or isinstance(eligible, bool) or eligible < 0:
            raise ValueError("eligible must be a whole number")
        if data.get("radix") != eligible + 1:
            raise ValueError("radix must be eligible + 1")
        threshold = data.get("threshold") or {}
        comparison = threshold.get("comparison")
        if comparison not in COMPARISONS:
            raise ValueError("threshold comparison must be at_least or more_than")
        ratio = Fraction(str(threshold.get("ratio")))
        if not 0 <= ratio <= 1:
            raise ValueError("threshold ratio must lie between 0 and 1")
        if data.get("question") not in QUESTIONS:
            raise ValueError(f"question must be one of {', '.join(QUESTIONS)}")
        trustees = trustees_from_json(data.get("trustees"))
        key = group.point_from_hex(data.get("public_key"), "public_key")
        manifest = cls(
            id=str(data["id"]),
            case=data.get("case"),
            question=str(data["question"]),
            text=str(data.get("text", "")),
            options=tuple(options),
            allow_blank=bool(data.get("allow_blank")),
            eligible=eligible,
            threshold=Threshold(ratio, comparison),
            opens_at=datetime.fromisoformat(str(data["opens_at"])),
            closes_at=datetime.fromisoformat(str(data["closes_at"])),
            trustees=trustees,
            public_key=key,
        )
        if manifest.as_json() != data:
            raise ValueError("the manifest holds fields or spellings this format does not have")
        return manifest


def trustees_from_json(data: Any) -> PublicTrustees:
    if not isinstance(data, dict):
        raise ValueError("trustees must be an object")
    n, k = data.get("n"), data.get("k")
    if not isinstance(n, int) or not isinstance(k, int) or not 1 <= k <= n:
        raise ValueError("trustees need 1 <= k <= n")
    rows = data.get("commitments")
    proofs = data.get("proofs")
    if not isinstance(rows, list) or len(rows) != n or not isinstance(proofs, list):
        raise ValueError("trustees need n rows of commitments")
    if len(proofs) != n:
        raise ValueError("trustees need one proof each")
    commitments = []
    for i, row in enumerate(rows, start=1):
        if not isinstance(row, list) or len(row) != k:
            raise ValueError(f"trustee {i} must commit to {k} coefficients")
        commitments.append(tuple(group.point_from_hex(c, f"trustee {i} commitment") for c in row))
    return PublicTrustees(n, k, tuple(commitments), tuple(DlogProof.from_json(p) for p in proofs))


__all__ = ["FORMAT", "QUESTIONS", "RATIFICATION", "CryptoError", "Manifest", "trustees_from_json"]
