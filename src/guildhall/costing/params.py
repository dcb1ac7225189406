"""The terms a costing reads, with the value and source of each.

``Terms`` is what the formulas see: one agreement's parameter values on the costing date,
each with the citation it came from, and the names of the formulas the agreement has.
It is built from a ``guildhall.terms`` agreement or, in tests, from a plain mapping.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from types import MappingProxyType
from typing import Any

from guildhall.core.errors import NotFound
from guildhall.costing.arith import ppm
from guildhall.terms.records import Agreement

Value = Decimal | int | dt.date | bool | str | tuple[str, ...] | tuple[Decimal, ...]

CATEGORIES = ("series_regular", "guest_star", "day_player", "stunt", "background")
CONTRACT_YEARS = 3


@dataclass(frozen=True)
class Terms:
    """One agreement's parameters for a costing: values, sources, formulas."""

    id: str
    formulas: tuple[str, ...]
    values: Mapping[str, Value]
    term_start: dt.date
    sources: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))
    files: tuple[tuple[str, str, str], ...] = ()

    def has(self, formula: str) -> bool:
        return formula in self.formulas

    def has_any(self, formulas: tuple[str, ...]) -> bool:
        return any(f in self.formulas for f in formulas)

    def get(self, name: str) -> Value:
        if name not in self.values:
            raise KeyError(f"{self.id} has no parameter {name}")
        return self.values[name]

    def rate(self, name: str) -> int:
        """A percentage parameter as parts per million."""
        value = self.get(name)
        if not isinstance(value, Decimal | int) or isinstance(value, bool):
            raise TypeError(f"{name} is not a percentage")
        return ppm(Decimal(value))

    def count(self, name: str) -> int:
        value = self.get(name)
        if isinstance(value, bool) or not isinstance(value, int | Decimal):
            raise TypeError(f"{name} is not a number")
        return int(value)

    def cents(self, name: str) -> int:
        """A dollar amount in whole cents (exact)."""
        value = Decimal(str(self.get(name))) * 100
        if value != value.to_integral_value():
            raise ValueError(f"{name} is not a whole number of cents")
        return int(value)

    def date(self, name: str) -> dt.date:
        value = self.get(name)
        if not isinstance(value, dt.date):
            raise TypeError(f"{name} is not a date")
        return value

    def flag(self, name: str) -> bool:
        return bool(self.get(name))

    def text(self, name: str) -> str:
        return str(self.get(name))

    def choices(self, name: str) -> tuple[str, ...]:
        value = self.get(name)
        return (value,) if isinstance(value, str) else tuple(value)  # type: ignore[arg-type]

    def source(self, name: str) -> str:
        return self.sources.get(name, "")

    def schedule(self, name: str) -> tuple[int, ...]:
        """A schedule of percentages by run, as parts per million."""
        value = self.get(name)
        if not isinstance(value, tuple) or not value:
            raise TypeError(f"{name} is not a schedule")
        return tuple(ppm(Decimal(v)) for v in value)

    def raise_factor(self, year: int) -> Decimal:
        """The compounded minimum increases through contract year ``year`` (0-based)."""
        factor = Decimal(1)
        for n in range(1, year + 2):
            name = f"minimum_increase_year_{n}"
            if name in self.values:
                factor *= 1 + Decimal(self.values[name]) / 100  # type: ignore[arg-type]
        return factor

    def minimum_cents(self, category: str, year: int) -> int:
        """The category's applicable minimum in contract year ``year`` (0-based), in cents,
        rounded once, half up (``applicable_minimum``)."""
        exact = Decimal(str(self.get(f"applicable_minimum_{category}"))) * 100
        return int((exact * self.raise_factor(year)).quantize(Decimal(1), ROUND_HALF_UP))

    def year_starts(self) -> tuple[dt.date, ...]:
        """The first day of contract years 2 and 3 (year 1 begins at ``term_start``)."""
        start = self.term_start
        return tuple(
            start.replace(year=start.year + n)
            if (start.month, start.day) != (2, 29)
            else dt.date(start.year + n, 3, 1)
            for n in range(1, CONTRACT_YEARS)
        )


def terms_from_mapping(data: Mapping[str, Any]) -> Terms:
    """Terms written inline (test cases): ``id``, ``formulas`` and ``parameters``."""
    values: dict[str, Value] = {}
    for name, value in dict(data.get("parameters", {})).items():
        if isinstance(value, float):
            raise TypeError(f"{name}: write numbers as decimals in strings or YAML decimals")
        values[name] = value
    return Terms(
        id=str(data["id"]),
        formulas=tuple(data.get("formulas", ())),
        values=MappingProxyType(values),
        term_start=data.get("term_start", dt.date(2008, 7, 1)),
        sources=MappingProxyType({n: "test case" for n in values}),
    )


def _day_after(day: dt.date | None) -> dt.date | None:
    return day + dt.timedelta(days=1) if day is not None else None


def terms_from_agreement(agreement: Agreement, on: dt.date | None = None) -> Terms:
    """An agreement's parameter values on ``on``, with sources.

    By default ``on`` is the agreement's first day; an agreement that states only when it
    ended (an expired contract whose terms members keep working under while a new one is
    negotiated) is read on its last day. A parameter with no value on that date (an
    uncertain term with no reading chosen) is left out; a formula that needs it then fails
    naming it. An expired contract's term, for contract years, begins the day after it
    ended: the day members began working under its terms with no successor.
    """
    day = on or agreement.term_start or agreement.term_end
    if day is None:
        raise NotFound(f"{agreement.id} states neither a term start nor a term end to cost it on")
    values: dict[str, Value] = {}
    sources: dict[str, str] = {}
    for name, parameter in agreement.parameters.items():
        try:
            dated = parameter.dated(day)
        except NotFound:
            continue
        values[name] = dated.value
        reading = f" (reading: {parameter.reading})" if parameter.reading else ""
        sources[name] = f"{dated.source.cite()}{reading}; {agreement.id} {dated.where}"
    return Terms(
        id=agreement.id,
        formulas=agreement.formulas,
        values=MappingProxyType(values),
        term_start=agreement.term_start or _day_after(agreement.term_end) or day,
        sources=MappingProxyType(sources),
        files=tuple((f.agreement_id, f.path, f.sha256) for f in agreement.files),
    )
