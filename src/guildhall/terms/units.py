"""The units a term can be written in, and what a value in each unit must look like.

Every parameter names its unit; the unit decides the Python type of its values and the
range they may take. Percentages are written as the contract writes them (``1.2`` for
1.2%), never as fractions, and are always ``Decimal``.

>>> check_value("percent_of_distributors_gross", Decimal("1.2"))
(Decimal('1.2'), None)
>>> check_value("downloads", Decimal("0.5"))[1]
'a value in downloads must be a whole number, not 0.5'
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from types import MappingProxyType

ParameterValue = Decimal | int | dt.date | bool | str | tuple[str, ...] | tuple[Decimal, ...]


@dataclass(frozen=True)
class Unit:
    """A unit: its name, what it means, and the kind of value it takes."""

    name: str
    meaning: str
    kind: str  # percent | amount | count | date | boolean | choice | choices | schedule
    choices: tuple[str, ...] = ()


_PERCENT_UNITS = {
    "percent_of_distributors_gross": "a percentage of the distributor's gross receipts",
    "percent_of_royalty_base": (
        "a percentage of the royalty base (itself a percentage of distributor's gross, "
        "as in '5.4% of 20%')"
    ),
    "percent_of_residual_base": (
        "a percentage of the residual base (the applicable minimum the residual is figured on)"
    ),
    "percent_of_salary": "a percentage of the performer's salary",
    "percent_of_applicable_minimum": (
        "a percentage of each performer's applicable minimum (the minimum for the "
        "performer's category under the agreement)"
    ),
    "percent_of_earnings": "a percentage of a performer's earnings (session pay)",
    "percent_of_fixed_residual": "a percentage of the fixed residual for the same program",
    "percent_of_domestic_subscribers": "a percentage of a service's domestic subscribers",
    "percent_of_bonus": "a share of a bonus, as a percentage",
    "percent_per_month": "a percentage of an amount owed, for each month it is owed (interest)",
}

_UNITS: list[Unit] = [
    *(Unit(name, meaning, "percent") for name, meaning in _PERCENT_UNITS.items()),
    Unit("dollars", "an amount of money in US dollars", "amount"),
    Unit(
        "percent_schedule",
        "percentages by run number, the first for the first rerun; the last repeats for "
        "every later run",
        "schedule",
    ),
    Unit("dollars_per_minute", "US dollars per minute of running time", "amount"),
    Unit("ratio", "a plain ratio (1 is one to one)", "amount"),
    Unit("days", "a number of calendar days", "count"),
    Unit("weeks", "a number of weeks", "count"),
    Unit("downloads", "a number of permanent downloads (units sold)", "count"),
    Unit("periods", "a number of payment periods", "count"),
    Unit("date", "a calendar date (YYYY-MM-DD)", "date"),
    Unit("boolean", "true or false", "boolean"),
    Unit(
        "combinator",
        "how several tests combine: any (one suffices) or all (every one must hold)",
        "choice",
        ("any", "all"),
    ),
    Unit(
        "jurisdiction_scope",
        "which new-media productions the agreement covers",
        "choice",
        ("none", "budget_thresholds", "all_productions"),
    ),
    Unit(
        "platforms",
        "a set of new-media platform kinds",
        "choices",
        ("consumer_pay", "ad_supported"),
    ),
]

UNITS: Mapping[str, Unit] = MappingProxyType({unit.name: unit for unit in _UNITS})


def _as_decimal(value: object) -> Decimal | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, Decimal):
        return value
    if isinstance(value, int):
        return Decimal(value)
    return None


def check_value(unit_name: str, value: object) -> tuple[ParameterValue | None, str | None]:
    """``value`` normalised for ``unit_name``, or ``None`` and what is wrong with it."""
    unit = UNITS[unit_name]
    if unit.kind in ("percent", "amount"):
        number = _as_decimal(value)
        if number is None:
            return None, f"a value in {unit.name} must be a number, not {value!r}"
        if number < 0:
            return None, f"a value in {unit.name} may not be negative ({number})"
        if unit.kind == "percent" and number > 100:
            return None, f"a percentage above 100 ({number}) is not a value in {unit.name}"
        return number, None
    if unit.kind == "count":
        number = _as_decimal(value)
        if number is None or number != number.to_integral_value():
            return None, f"a value in {unit.name} must be a whole number, not {value!r}"
        if number < 0:
            return None, f"a value in {unit.name} may not be negative ({number})"
        return int(number), None
    if unit.kind == "date":
        if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
            return value, None
        return None, f"a value in {unit.name} must be a date written YYYY-MM-DD, not {value!r}"
    if unit.kind == "boolean":
        if isinstance(value, bool):
            return value, None
        return None, f"a value in {unit.name} must be true or false, not {value!r}"
    if unit.kind == "choice":
        if isinstance(value, str) and value in unit.choices:
            return value, None
        allowed = ", ".join(unit.choices)
        return None, f"a value in {unit.name} must be one of {allowed}, not {value!r}"
    if unit.kind == "schedule":
        return _schedule(unit.name, value)
    allowed = ", ".join(unit.choices)
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        return None, f"a value in {unit.name} must be a list drawn from {allowed}"
    unknown = [v for v in value if v not in unit.choices]
    if unknown:
        return None, f"{unknown[0]!r} is not one of {allowed}"
    return tuple(value), None


def _schedule(unit_name: str, value: object) -> tuple[ParameterValue | None, str | None]:
    if not isinstance(value, list) or not value:
        return None, f"a value in {unit_name} must be a list of percentages, one per run"
    numbers = [_as_decimal(v) for v in value]
    for position, number in enumerate(numbers, 1):
        if number is None or not 0 <= number <= 100:
            return None, f"run {position} of a {unit_name} must be a percentage, not {value!r}"
    return tuple(n for n in numbers if n is not None), None


def format_value(unit_name: str, value: ParameterValue) -> str:
    """A value as a person reads it: ``1.2%``, ``$15,000/min``, ``100,000 downloads``."""
    unit = UNITS.get(unit_name)
    if unit is None:
        return str(value)
    if unit.kind == "percent":
        return f"{value}%"
    if unit.name == "dollars" and isinstance(value, Decimal):
        return f"${value:,}"
    if unit.name == "dollars_per_minute" and isinstance(value, Decimal):
        return f"${value:,}/min"
    if unit.kind == "count" and isinstance(value, int):
        return f"{value:,} {unit.name}"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, tuple):
        return "[" + ", ".join(f"{v}%" if unit.kind == "schedule" else str(v) for v in value) + "]"
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)
