"""Money: ``Decimal`` at the edges, integer cents inside, one rounding rule.

The rule: an amount is rounded to whole cents once, half away from zero
(``ROUND_HALF_UP``), at the point where a formula's exact result becomes money owed.
Binary floats are refused everywhere.

>>> to_cents(Decimal("12.345"))
1235
>>> format_cents(123456789)
'$1,234,567.89'
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

Cents = int

ROUNDING = ROUND_HALF_UP
_CENT = Decimal("0.01")


def to_cents(amount: Decimal | int | str) -> Cents:
    """Dollars (a ``Decimal``, an ``int`` or a decimal string) to whole cents, rounded once."""
    if isinstance(amount, float):
        raise TypeError("money is never a binary float; pass a Decimal or a string")
    value = Decimal(amount)
    return int((value * 100).quantize(Decimal(1), rounding=ROUNDING))


def to_dollars(cents: Cents) -> Decimal:
    """Whole cents back to dollars as an exact ``Decimal``."""
    return (Decimal(cents) / 100).quantize(_CENT)


def format_cents(cents: Cents) -> str:
    """Cents as a dollar figure with thousands separators, e.g. ``$1,234.50``."""
    sign = "-" if cents < 0 else ""
    dollars = to_dollars(abs(cents))
    return f"{sign}${dollars:,.2f}"
