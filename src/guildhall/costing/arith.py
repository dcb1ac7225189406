"""Exact integer arithmetic on Ibis columns, the same on every backend.

Amounts are carried in micro-cents (cents × 10**6) until a formula's result becomes money
owed; ``to_cents`` then rounds once, half up, as ``guildhall.core.money`` does. Rates are
integer parts per million of the base (a rate of 0.36% is 3,600).

Ibis's own division of integers goes through binary floating point on every backend, so a
rounded quotient is an operation of its own here, ``HalfUpQuotient``, compiled to the
backend's integer division (``//`` in DuckDB, ``DIV`` in Spark SQL): exact for operands
below 2**62, and several times cheaper than the floating-point form a backend without
integer division gets (the exact remainder taken off first, then a division of an exact
multiple, exact for quotients below 2**52).
"""

from __future__ import annotations

from decimal import Decimal

import ibis.expr.datatypes as dt
import ibis.expr.operations as ops
import ibis.expr.types as ir
import sqlglot.expressions as sge
from ibis.backends.sql.compilers.base import SQLGlotCompiler
from ibis.backends.sql.compilers.duckdb import DuckDBCompiler
from ibis.backends.sql.compilers.pyspark import PySparkCompiler

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


class HalfUpQuotient(ops.Binary):  # type: ignore[misc]
    """``floor(left / right)`` of two integers, ``left >= 0`` and ``right > 0``: the
    quotient ``div_half_up`` rounds with."""

    left: ops.Value[dt.Integer]
    right: ops.Value[dt.Integer]
    dtype = dt.int64


def _integer_division(
    compiler: SQLGlotCompiler, op: HalfUpQuotient, *, left: sge.Expression, right: sge.Expression
) -> sge.Expression:
    quotient = sge.IntDiv(this=sge.paren(left), expression=sge.paren(right))
    compiled: sge.Expression = compiler.cast(sge.paren(quotient), op.dtype)
    return compiled


def _through_floating_point(
    compiler: SQLGlotCompiler, op: HalfUpQuotient, *, left: sge.Expression, right: sge.Expression
) -> sge.Expression:
    # The exact remainder is taken off first: the one division left is of an exact
    # multiple, and its quotient (below 2**52) converts back to the integer exactly.
    remainder = sge.Mod(this=sge.paren(left), expression=sge.paren(right))
    multiple = sge.paren(left) - sge.paren(remainder)
    rounded = compiler.f.round(sge.paren(multiple) / sge.paren(right), 0)
    compiled: sge.Expression = compiler.cast(rounded, op.dtype)
    return compiled


SQLGlotCompiler.visit_HalfUpQuotient = _through_floating_point
DuckDBCompiler.visit_HalfUpQuotient = _integer_division
PySparkCompiler.visit_HalfUpQuotient = _integer_division


def div_half_up(numerator: ir.IntegerValue, denominator: ir.IntegerValue | int) -> ir.IntegerValue:
    """``numerator / denominator`` rounded half up, for numerator >= 0 and denominator > 0:
    ``floor((2n + d) / 2d)``, in integers (``HalfUpQuotient``)."""
    twice = numerator * 2 + denominator
    span = denominator * 2
    quotient: ir.IntegerValue = HalfUpQuotient(twice, span).to_expr()
    return quotient


def to_cents(micro: ir.IntegerValue) -> ir.IntegerValue:
    """Micro-cents to whole cents, rounded half up: the one rounding of money owed."""
    return div_half_up(micro, MICRO)
