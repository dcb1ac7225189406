"""The records an agreement is made of: sources, dated values, parameters, readings.

All of them are frozen. An ``Agreement`` is the result of resolving a file and the chain
of files it is ``based_on``; it never changes, and choosing a reading gives a new one.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from types import MappingProxyType

from guildhall.core.errors import InvalidInput, NotFound
from guildhall.core.problems import Location, Problem
from guildhall.terms.units import ParameterValue

KINDS = (
    "agreement_in_force",
    "final_offer",
    "proposal",
    "tentative_agreement",
    "ratified_agreement",
)

STATUSES = (
    "in_force",
    "expired",
    "offered",
    "proposed",
    "rejected",
    "withdrawn",
    "tentative",
    "ratified",
    "superseded",
)


class NoValue(NotFound):
    """A parameter has no value on a date, or none is settled and no reading was chosen."""


@dataclass(frozen=True)
class Source:
    """Where a value comes from: a document, a section or URL, and the words quoted."""

    document: str
    quote: str
    section: str | None = None
    url: str | None = None

    def cite(self) -> str:
        """One line naming the document and where in it."""
        where = self.section or self.url
        return f"{self.document}, {where}" if where else self.document


@dataclass(frozen=True)
class DatedValue:
    """A value in force from ``start`` to ``end``, inclusive; ``None`` leaves that side open."""

    start: dt.date | None
    end: dt.date | None
    value: ParameterValue
    source: Source
    derived: str | None = None
    where: Location = field(default_factory=Location, compare=False)

    def covers(self, day: dt.date) -> bool:
        return (self.start is None or self.start <= day) and (self.end is None or day <= self.end)


@dataclass(frozen=True)
class Reading:
    """A named way of reading an uncertain term, which a user can switch to."""

    name: str
    description: str
    values: tuple[DatedValue, ...]


@dataclass(frozen=True)
class Parameter:
    """One term: its unit, what it means, its dated values, and where it was written."""

    name: str
    unit: str
    description: str
    values: tuple[DatedValue, ...]
    status: str = "settled"  # settled | uncertain
    missing: str | None = None
    readings: Mapping[str, Reading] = field(default_factory=lambda: MappingProxyType({}))
    reading: str | None = None  # the reading chosen, if any
    defined_in: str = ""  # the id of the agreement whose file wrote it
    where: Location = field(default_factory=Location, compare=False)

    @property
    def is_uncertain(self) -> bool:
        return self.status == "uncertain"

    def current_values(self) -> tuple[DatedValue, ...]:
        """The values in use: those of the chosen reading, else the stated ones."""
        if self.reading is not None:
            return self.readings[self.reading].values
        return self.values

    def dated(self, on: dt.date) -> DatedValue:
        """The dated value in force on ``on``."""
        values = self.current_values()
        if not values:
            readings = ", ".join(self.readings) or "none"
            raise NoValue(
                f"{self.name} has no settled value ({self.missing or 'not stated'}); "
                f"choose a reading: {readings}"
            )
        for dated in values:
            if dated.covers(on):
                return dated
        raise NoValue(f"{self.name} has no value on {on.isoformat()}")

    def value(self, on: dt.date) -> ParameterValue:
        return self.dated(on).value


@dataclass(frozen=True)
class AgreementFile:
    """A file an agreement was read from, with the SHA-256 of its bytes."""

    agreement_id: str
    path: str
    sha256: str


@dataclass(frozen=True)
class Agreement:
    """An agreement or offer with its ``based_on`` chain resolved; immutable."""

    id: str
    name: str
    guild: str
    employers: tuple[str, ...]
    kind: str
    status: str
    term_start: dt.date | None
    term_end: dt.date | None
    based_on: str | None
    description: str
    missing: str | None
    formulas: tuple[str, ...]
    parameters: Mapping[str, Parameter]
    files: tuple[AgreementFile, ...]
    overrides: frozenset[str] = frozenset()  # parameters this file itself writes

    def parameter(self, name: str) -> Parameter:
        """The parameter called ``name``, with its values, sources and file."""
        try:
            return self.parameters[name]
        except KeyError:
            raise NotFound(f"{self.id} has no parameter {name!r}") from None

    def value(self, name: str, on: dt.date, *, reading: str | None = None) -> ParameterValue:
        """The value of ``name`` on the date ``on`` (under ``reading`` when given)."""
        parameter = self.parameter(name)
        if reading is not None:
            parameter = _choose(parameter, reading, self.id)
        return parameter.value(on)

    def values_on(self, names: tuple[str, ...], on: dt.date) -> dict[str, ParameterValue]:
        """Several parameters' values on one date, as a formula reads them."""
        return {name: self.value(name, on) for name in names}

    def with_readings(self, choices: Mapping[str, str]) -> Agreement:
        """A copy of this agreement in which each named parameter uses the chosen reading."""
        parameters = dict(self.parameters)
        for name, reading in choices.items():
            parameters[name] = _choose(self.parameter(name), reading, self.id)
        return replace(self, parameters=MappingProxyType(parameters))


def _choose(parameter: Parameter, reading: str, agreement_id: str) -> Parameter:
    if reading not in parameter.readings:
        known = ", ".join(parameter.readings) or "none"
        raise InvalidInput(
            [
                Problem(
                    Location(field=parameter.name),
                    f"{agreement_id}: {parameter.name} has no reading {reading!r}",
                    hint=f"readings: {known}",
                )
            ]
        )
    return replace(parameter, reading=reading)
