"""The election manifest: everything about a vote that is fixed before it opens.

Its canonical JSON is the first entry of the board, and its SHA-256 is the election hash
that every ballot and proof binds to (``docs/ballots.md`` §8). The manifest fixes what the
question means: which option carries the motion, the rule it is decided under (with the
hash of the guild's rules file it was taken from), the keys of the trustees, of the
credential authority and of the board's server.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime
from fractions import Fraction
from typing import Any

from guildhall.ballots import identity, shapes
from guildhall.ballots.crypto import group
from guildhall.ballots.crypto.hashing import h256
from guildhall.ballots.crypto.proofs import DlogProof
from guildhall.ballots.crypto.trustees import PublicTrustees
from guildhall.ballots.errors import CryptoError
from guildhall.ballots.shapes import Malformed
from guildhall.core.thresholds import COMPARISONS, Threshold

FORMAT = "guildhall-ballots/2"
QUESTIONS = ("strike_authorization", "ratification", "board_resolution", "other")
YES_NO = ("strike_authorization", "ratification")
"""Questions put as yes or no: the options are exactly yes and no, and yes is the motion."""
RATIFICATION = Threshold(Fraction(1, 2), "more_than")
"""Ratification: a majority of the votes cast."""
KEYS = (
    "format", "id", "case", "question", "text", "options", "motion", "allow_blank", "radix",
    "eligible", "record_date", "threshold", "opens_at", "closes_at", "trustees", "public_key",
    "authority", "board_key",
)  # fmt: skip


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
    motion: str = "yes"
    record_date: date | None = None
    rules_sha256: str | None = None
    authority: bytes = b""
    board_key: bytes = b""

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

    def with_eligible(self, eligible: int, record_date: date) -> Manifest:
        return replace(self, eligible=eligible, record_date=record_date)

    def as_json(self) -> dict[str, Any]:
        return {
            "format": FORMAT,
            "id": self.id,
            "case": self.case,
            "question": self.question,
            "text": self.text,
            "options": list(self.options),
            "motion": self.motion,
            "allow_blank": self.allow_blank,
            "radix": self.radix,
            "eligible": self.eligible,
            "record_date": self.record_date.isoformat() if self.record_date else None,
            "threshold": {
                "ratio": f"{self.threshold.ratio.numerator}/{self.threshold.ratio.denominator}",
                "comparison": self.threshold.comparison,
                "rules_sha256": self.rules_sha256,
            },
            "opens_at": self.opens_at.isoformat(),
            "closes_at": self.closes_at.isoformat(),
            "trustees": self.trustees.as_json(),
            "public_key": self.public_key.hex(),
            "authority": self.authority.hex(),
            "board_key": self.board_key.hex(),
        }

    @property
    def election_hash(self) -> str:
        return h256(self.as_json())

    @classmethod
    def from_json(cls, data: Any) -> Manifest:
        """Read and check a manifest; ``Malformed`` names the field that is wrong."""
        return _read(data)


def ratio_from_text(value: Any, field: str) -> Fraction:
    """``"p/q"`` in lowest terms with ``0 < p/q <= 1``."""
    if isinstance(value, str) and value.count("/") == 1:
        p, q = value.split("/")
        if p.isdigit() and q.isdigit() and int(q) > 0 and str(int(p)) == p and str(int(q)) == q:
            ratio = Fraction(int(p), int(q))
            if f"{ratio.numerator}/{ratio.denominator}" != value:
                raise Malformed(field, f"{value} is not in lowest terms")
            if not 0 < ratio <= 1:
                raise Malformed(field, f"{value} is not above 0 and at most 1")
            return ratio
    raise Malformed(field, f"{value!r} is not a ratio p/q")


def _read(data: Any) -> Manifest:
    m = shapes.obj(data, "", KEYS)
    if m["format"] != FORMAT:
        raise Malformed("format", f"is not {FORMAT}")
    election_id = shapes.text(m["id"], "id")
    case = None if m["case"] is None else shapes.text(m["case"], "case")
    question = m["question"]
    if question not in QUESTIONS:
        raise Malformed("question", f"must be one of {', '.join(QUESTIONS)}")
    text = shapes.text(m["text"], "text")
    options = m["options"]
    if (
        not isinstance(options, list)
        or len(options) < 2
        or not all(isinstance(o, str) and o and o != "blank" for o in options)
        or len(set(options)) != len(options)
    ):
        raise Malformed("options", "must be two or more distinct names, none 'blank'")
    if m["motion"] not in options:
        raise Malformed("motion", f"{m['motion']!r} is not one of the options")
    if question in YES_NO:
        if sorted(options) != ["no", "yes"]:
            raise Malformed("options", f"a {question} is put as yes or no")
        if m["motion"] != "yes":
            raise Malformed("motion", f"the motion of a {question} is carried by yes")
    allow_blank = shapes.boolean(m["allow_blank"], "allow_blank")
    eligible = shapes.integer(m["eligible"], "eligible")
    if shapes.integer(m["radix"], "radix") != eligible + 1:
        raise Malformed("radix", "must be eligible + 1")
    record_date = None
    if m["record_date"] is not None:
        try:
            record_date = date.fromisoformat(shapes.text(m["record_date"], "record_date"))
        except ValueError:
            raise Malformed("record_date", "is not a YYYY-MM-DD date") from None
        if record_date.isoformat() != m["record_date"]:
            raise Malformed("record_date", "is not a YYYY-MM-DD date")
    t = shapes.obj(m["threshold"], "threshold", ("ratio", "comparison", "rules_sha256"))
    if t["comparison"] not in COMPARISONS:
        raise Malformed("threshold.comparison", "must be at_least or more_than")
    threshold = Threshold(ratio_from_text(t["ratio"], "threshold.ratio"), t["comparison"])
    if question == "ratification" and threshold != RATIFICATION:
        raise Malformed("threshold", "a ratification is decided by a simple majority "
                        "(1/2, more_than)")  # fmt: skip
    rules = t["rules_sha256"]
    if rules is not None:
        rules = shapes.digest(rules, "threshold.rules_sha256")
    if question == "strike_authorization" and rules is None:
        raise Malformed("threshold.rules_sha256", "a strike authorization names its rules file")
    opens_at = shapes.when(m["opens_at"], "opens_at")
    closes_at = shapes.when(m["closes_at"], "closes_at")
    if closes_at <= opens_at:
        raise Malformed("closes_at", "is not after opens_at")
    trustees = trustees_from_json(m["trustees"])
    try:
        key = group.point_from_hex(m["public_key"], "public_key")
    except CryptoError as exc:
        raise Malformed("public_key", str(exc)) from None
    if key == group.IDENTITY:
        raise Malformed("public_key", "is the identity point: it would encrypt nothing")
    try:
        authority = identity.key_from_hex(m["authority"], "authority")
        board_key = identity.key_from_hex(m["board_key"], "board_key")
    except CryptoError as exc:
        raise Malformed(str(exc).split(" ")[0], str(exc)) from None
    return Manifest(
        id=election_id, case=case, question=question, text=text, options=tuple(options),
        allow_blank=allow_blank, eligible=eligible, threshold=threshold, opens_at=opens_at,
        closes_at=closes_at, trustees=trustees, public_key=key, motion=m["motion"],
        record_date=record_date, rules_sha256=rules, authority=authority, board_key=board_key,
    )  # fmt: skip


def trustees_from_json(data: Any) -> PublicTrustees:
    t = shapes.obj(data, "trustees", ("n", "k", "commitments", "proofs", "identities"))
    n = shapes.integer(t["n"], "trustees.n", low=1)
    k = shapes.integer(t["k"], "trustees.k", low=1)
    if k > n:
        raise Malformed("trustees.k", f"a quorum of {k} of {n} trustees is impossible")
    rows, proofs, identities = t["commitments"], t["proofs"], t["identities"]
    for name, value in (("commitments", rows), ("proofs", proofs), ("identities", identities)):
        if not isinstance(value, list) or len(value) != n:
            raise Malformed(f"trustees.{name}", f"must hold one item for each of the {n} trustees")
    commitments = []
    try:
        for i, row in enumerate(rows, start=1):
            if not isinstance(row, list) or len(row) != k:
                raise Malformed(f"trustees.commitments[{i - 1}]", f"must hold {k} points")
            commitments.append(tuple(group.point_from_hex(c, f"trustee {i} commitment")
                                     for c in row))  # fmt: skip
        parsed = tuple(DlogProof.from_json(p) for p in proofs)
    except CryptoError as exc:
        raise Malformed("trustees.commitments" if "commitment" in str(exc) else "trustees.proofs",
                        str(exc)) from None  # fmt: skip
    keys = []
    for i, key in enumerate(identities):
        try:
            keys.append(identity.key_from_hex(key, f"trustee {i + 1}'s identity"))
        except CryptoError as exc:
            raise Malformed(f"trustees.identities[{i}]", str(exc)) from None
    if len(set(keys)) != n:
        raise Malformed("trustees.identities", "two trustees have the same identity")
    return PublicTrustees(n, k, tuple(commitments), parsed, tuple(keys))


__all__ = ["FORMAT", "QUESTIONS", "RATIFICATION", "Malformed", "Manifest", "trustees_from_json"]
