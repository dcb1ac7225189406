"""What a formula is, and the small readers every formula uses for its inputs.

A formula is a pure function of two mappings: the parameters it reads (their values on
one date, as ``Agreement.values_on`` gives them) and one production-period row (the
input fields it reads). Payment formulas return whole cents, rounded once, half up;
coverage formulas return ``True`` or ``False``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Literal

from guildhall.core.money import ROUNDING
from guildhall.terms.units import ParameterValue

Params = Mapping[str, ParameterValue]
Row = Mapping[str, object]
Returns = Literal["cents", "covered"]


@dataclass(frozen=True)
class Formula:
    """A named formula: what it reads, what it returns, and the reference computation."""

    name: str
    summary: str
    reads_parameters: tuple[str, ...]
    reads_inputs: tuple[str, ...]
    returns: Returns
    compute: Callable[[Params, Row], int | bool]

    def __call__(self, params: Params, row: Row) -> int | bool:
        missing = [name for name in self.reads_parameters if name not in params]
        if missing:
            raise KeyError(f"{self.name} needs the parameter {missing[0]!r}")
        absent = [name for name in self.reads_inputs if name not in row]
        if absent:
            raise KeyError(f"{self.name} needs the input field {absent[0]!r}")
        return self.compute(params, row)


def formula(
    *, reads_parameters: tuple[str, ...], reads_inputs: tuple[str, ...], returns: Returns
) -> Callable[[Callable[[Params, Row], int | bool]], Formula]:
    """Declare a function as a formula; its docstring's first line is its summary."""

    def wrap(function: Callable[[Params, Row], int | bool]) -> Formula:
        doc = (function.__doc__ or "").strip()
        return Formula(
            name=function.__name__,
            summary=doc.splitlines()[0] if doc else function.__name__,
            reads_parameters=reads_parameters,
            reads_inputs=reads_inputs,
            returns=returns,
            compute=function,
        )

    return wrap


def round_cents(exact: Decimal) -> int:
    """An exact amount in cents rounded once to whole cents, half away from zero."""
    return int(exact.quantize(Decimal(1), rounding=ROUNDING))


def percent(params: Params, name: str) -> Decimal:
    """A percentage parameter as a fraction: ``1.2`` becomes ``0.012``."""
    return number(params, name) / 100


def number(params: Params, name: str) -> Decimal:
    value = params[name]
    if isinstance(value, bool) or not isinstance(value, Decimal | int):
        raise TypeError(f"parameter {name} must be a number, not {value!r}")
    return Decimal(value)


def whole(params: Params, name: str) -> int:
    value = params[name]
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"parameter {name} must be a whole number, not {value!r}")
    return value


def flag(params: Params, name: str) -> bool:
    value = params[name]
    if not isinstance(value, bool):
        raise TypeError(f"parameter {name} must be true or false, not {value!r}")
    return value


def day(params: Params, name: str) -> dt.date:
    value = params[name]
    if not isinstance(value, dt.date):
        raise TypeError(f"parameter {name} must be a date, not {value!r}")
    return value


def choice(params: Params, name: str) -> str:
    value = params[name]
    if not isinstance(value, str):
        raise TypeError(f"parameter {name} must be a choice, not {value!r}")
    return value


def choices(params: Params, name: str) -> tuple[str, ...]:
    value = params[name]
    if not isinstance(value, tuple) or not all(isinstance(v, str) for v in value):
        raise TypeError(f"parameter {name} must be a list of choices, not {value!r}")
    return tuple(str(v) for v in value)


def cents_in(row: Row, name: str) -> int:
    """A money input field, in whole cents."""
    value = row[name]
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"input {name} must be whole cents (an int), not {value!r}")
    return value


def count_in(row: Row, name: str) -> int:
    value = row[name]
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise TypeError(f"input {name} must be a whole number, not {value!r}")
    return value


def quantity_in(row: Row, name: str) -> Decimal:
    """A quantity that may be fractional (weeks, minutes): an int or a Decimal."""
    value = row[name]
    if isinstance(value, bool) or not isinstance(value, int | Decimal) or value < 0:
        raise TypeError(f"input {name} must be a non-negative int or Decimal, not {value!r}")
    return Decimal(value)


def flag_in(row: Row, name: str) -> bool:
    value = row[name]
    if not isinstance(value, bool):
        raise TypeError(f"input {name} must be true or false, not {value!r}")
    return value


def date_in(row: Row, name: str) -> dt.date:
    value = row[name]
    if not isinstance(value, dt.date):
        raise TypeError(f"input {name} must be a date, not {value!r}")
    return value


def text_in(row: Row, name: str, allowed: tuple[str, ...]) -> str:
    value = row[name]
    if value not in allowed:
        raise ValueError(f"input {name} must be one of {', '.join(allowed)}, not {value!r}")
    assert isinstance(value, str)
    return value


MEDIA = ("television", "theatrical")
PLATFORMS = ("consumer_pay", "ad_supported")
