"""Vote thresholds as exact rational comparisons.

A threshold is a fraction and a comparison. "At least 75% of those voting" is
``Threshold(Fraction(3, 4), "at_least")``; "more than 75%" is the same fraction with
``"more_than"``. Only integers are compared: ``yes * denominator`` against
``cast * numerator``, so no rounding ever decides a vote.

>>> t = Threshold(Fraction(3, 4), "at_least")
>>> t.is_met(yes=75, cast=100), t.is_met(yes=74, cast=100)
(True, False)
>>> Threshold(Fraction(3, 4), "more_than").is_met(yes=75, cast=100)
False
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from typing import Literal

Comparison = Literal["at_least", "more_than"]
COMPARISONS: tuple[Comparison, ...] = ("at_least", "more_than")


def parse_fraction(text: str | int) -> Fraction:
    """``"3/4"``, ``"75%"`` or ``"0.75"`` to an exact fraction between 0 and 1."""
    raw = str(text).strip()
    value = Fraction(raw[:-1]) / 100 if raw.endswith("%") else Fraction(raw)
    if not 0 <= value <= 1:
        raise ValueError(f"a threshold must lie between 0 and 1, not {raw}")
    return value


@dataclass(frozen=True)
class Threshold:
    ratio: Fraction
    comparison: Comparison

    def is_met(self, *, yes: int, cast: int) -> bool:
        """Whether ``yes`` of ``cast`` votes meet the threshold; no votes cast never passes."""
        if yes < 0 or cast < 0 or yes > cast:
            raise ValueError(f"impossible count: {yes} yes of {cast} cast")
        if cast == 0:
            return False
        lhs = yes * self.ratio.denominator
        rhs = cast * self.ratio.numerator
        return lhs >= rhs if self.comparison == "at_least" else lhs > rhs

    def describe(self) -> str:
        words = "at least" if self.comparison == "at_least" else "more than"
        percent = self.ratio * 100
        shown = f"{percent.numerator}" if percent.denominator == 1 else f"{float(percent):.4g}"
        return f"{words} {shown}% of votes cast"
