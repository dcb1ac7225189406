"""How a payment for a whole production, period and kind is split among its performers:
in proportion to what each is owed, by the same exact-cent rule costing uses to share an
amount among credits (``guildhall.costing.allocation``), so the shares add up exactly."""

from __future__ import annotations

from collections.abc import Mapping


def _half_up(numerator: int, denominator: int) -> int:
    return (2 * numerator + denominator) // (2 * denominator)


def split(amount_cents: int, owed: Mapping[int, int]) -> dict[int, int]:
    """``amount_cents`` shared among performers in proportion to ``owed`` (performer → cents):
    performer *i* in id order gets round(P × O_i / O) − round(P × O_(i−1) / O)."""
    total = sum(owed.values())
    if total <= 0:
        return {}
    shares: dict[int, int] = {}
    through = 0
    previous = 0
    for performer in sorted(owed):
        through += owed[performer]
        upto = _half_up(amount_cents * through, total)
        shares[performer] = upto - previous
        previous = upto
    return shares
