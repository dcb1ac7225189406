"""Exact integer arithmetic on Ibis columns, the same on every backend.

Amounts are carried in micro-cents (cents × 10**6) until a formula's result becomes money
owed; ``to_cents`` then rounds once, half up, as ``guildhall.core.money`` does. Rates are
integer parts per million of the base (a rate of 0.36% is 3,600). Division in SQL engines
goes through binary floating point, so the exact integer remainder is taken off first and
the division left is of an exact multiple: the results are exact for operands below 2**62
and quotients (amounts of money in cents) below 2**52.
"""

from __future__ import annotations

from decimal import Decimal

import ibis.expr.datatypes as dt
import ibis.expr.types as ir

MICRO = 1_000_000


def ppm(percent: Decimal) -> int:
    """A percentage as written (``Decimal('0.36')``) as parts per million of the base."""
    scaled = percent * 10_000
    if scaled != scaled.to_integral_value():
        raise ValueError(f"{percent}% is finer than one part per million")
    return int(scaled)


_INT64 = dt.Int64(nullable=False)


def int64(value: ir.IntegerValue) -> ir.IntegerValue:
    """A sum (or other never-null integer) as a 64-bit integer on the backend as well.

    Ibis types a sum of int64 as int64 and so drops ``.cast("int64")``, while DuckDB
    widens such a sum to HUGEINT, whose arithmetic downstream is several times slower.
    Casting to the non-nullable int64 type is not a no-op for Ibis, so the cast reaches
    the SQL. A value too large for 64 bits fails the cast rather than wrapping."""
    return value.cast(_INT64)


def div_half_up(numerator: ir.IntegerValue, denominator: ir.IntegerValue | int) -> ir.IntegerValue:
    """``numerator / denominator`` rounded half up, for numerator >= 0 and denominator > 0.

    ``floor((2n + d) / 2d)``: the integer remainder (exact) is taken off first, so the one
    floating-point division left divides an exact multiple and its quotient, below 2**52
    for any amount of money here, converts back to the integer exactly."""
    twice = numerator * 2 + denominator
    span = denominator * 2
    return ((twice - twice % span) / span).round().cast("int64")


def to_cents(micro: ir.IntegerValue) -> ir.IntegerValue:
    """Micro-cents to whole cents, rounded half up: the one rounding of money owed."""
    return div_half_up(micro, MICRO)
