"""Read one agreement file into records, reporting every problem with file, line and column.

This stage looks at one file alone: keys, units, value types, sources, date ranges and
formula names. Whether its ``based_on`` exists, or forms a cycle, is for ``resolve``.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType
from typing import Any

from guildhall.core.problems import Location, Problem
from guildhall.files.located_yaml import PathKey, YamlDocument, read_yaml
from guildhall.terms.formulas import FORMULAS
from guildhall.terms.records import KINDS, STATUSES, DatedValue, Parameter, Reading, Source
from guildhall.terms.units import UNITS, check_value

TOP_KEYS = (
    "id",
    "name",
    "guild",
    "employers",
    "kind",
    "status",
    "term",
    "based_on",
    "description",
    "missing",
    "formulas",
    "parameters",
)
PARAMETER_KEYS = ("unit", "description", "status", "missing", "values", "readings")
VALUE_KEYS = ("from", "to", "value", "source", "derived")
SOURCE_KEYS = ("document", "section", "url", "quote")
READING_KEYS = ("description", "values")
TERM_KEYS = ("from", "to")

_ID = re.compile(r"^[a-z0-9][a-z0-9-]*$")
_NAME = re.compile(r"^[a-z][a-z0-9_]*$")


@dataclass(frozen=True)
class ParsedFile:
    """What one file says, before its ``based_on`` chain is resolved."""

    id: str
    path: str
    sha256: str
    fields: Mapping[str, Any]  # identity: name, guild, employers, kind, status, term, ...
    based_on: str | None
    based_on_at: Location
    formulas: tuple[str, ...] | None
    formulas_at: Location
    parameters: Mapping[str, Parameter]


class _Reader:
    def __init__(self, doc: YamlDocument, agreement_id: str) -> None:
        self.doc = doc
        self.agreement_id = agreement_id
        self.problems: list[Problem] = []

    def fail(self, path: PathKey, what: str, *, key: bool = False, hint: str | None = None) -> None:
        self.problems.append(self.doc.problem(path, what, key=key, hint=hint))

    def mapping(
        self,
        path: PathKey,
        value: Any,
        allowed: tuple[str, ...],
        required: tuple[str, ...],
        what: str,
    ) -> dict[str, Any] | None:
        if not isinstance(value, dict):
            self.fail(path, f"{what} must be a mapping of keys to values")
            return None
        for key in value:
            if key not in allowed:
                self.fail(
                    (*path, key),
                    f"unknown key {key!r} in {what}",
                    key=True,
                    hint=f"allowed: {', '.join(allowed)}",
                )
        for key in required:
            if key not in value:
                self.fail(path, f"{what} has no {key!r}", key=bool(path))
        return value

    def text(self, path: PathKey, value: Any, what: str) -> str | None:
        if not isinstance(value, str) or not value.strip():
            self.fail(path, f"{what} must be non-empty text")
            return None
        return value.strip()

    def date(self, path: PathKey, value: Any, what: str) -> dt.date | None:
        if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
            return value
        self.fail(path, f"{what} must be a date written YYYY-MM-DD, not {value!r}")
        return None


def parse_file(path: Path) -> tuple[ParsedFile | None, list[Problem]]:
    """Parse and check one agreement file; ``None`` when it cannot be read at all."""
    doc, problems = read_yaml(path)
    if doc.data is None and problems:
        return None, problems
    reader = _Reader(doc, path.stem)
    reader.problems.extend(problems)
    top = reader.mapping((), doc.data, TOP_KEYS, ("id", "name", "kind", "status"), "an agreement")
    if top is None:
        return None, reader.problems
    based_on = top.get("based_on")
    if based_on is None:
        for key in ("guild", "employers", "term"):
            if key not in top:
                reader.fail((), f"an agreement with no based_on must give {key!r}")
    agreement_id = _identity(reader, top, path)
    reader.agreement_id = agreement_id
    fields = _fields(reader, top)
    formulas = _formulas(reader, top.get("formulas")) if "formulas" in top else None
    parameters = _parameters(reader, top.get("parameters", {}))
    if based_on is not None and not (isinstance(based_on, str) and _ID.match(based_on)):
        reader.fail(("based_on",), f"based_on must be an agreement id, not {based_on!r}")
        based_on = None
    parsed = ParsedFile(
        id=agreement_id,
        path=str(path),
        sha256=hashlib.sha256(path.read_bytes()).hexdigest(),
        fields=MappingProxyType(fields),
        based_on=based_on,
        based_on_at=doc.where(("based_on",)),
        formulas=formulas,
        formulas_at=doc.where(("formulas",), key=True),
        parameters=MappingProxyType(parameters),
    )
    return parsed, reader.problems


def _identity(reader: _Reader, top: dict[str, Any], path: Path) -> str:
    raw = top.get("id")
    if not isinstance(raw, str) or not _ID.match(raw):
        reader.fail(("id",), f"id must be lower-case letters, digits and dashes, not {raw!r}")
        return path.stem
    if raw != path.stem:
        reader.fail(
            ("id",),
            f"id {raw!r} does not match the file name {path.name!r}",
            hint=f"name the file {raw}.yaml",
        )
    return raw


def _fields(reader: _Reader, top: dict[str, Any]) -> dict[str, Any]:
    fields: dict[str, Any] = {}
    for key in ("name", "guild", "description", "missing"):
        if key in top:
            fields[key] = reader.text((key,), top[key], key)
    if top.get("kind") is not None and top["kind"] not in KINDS:
        reader.fail(("kind",), f"unknown kind {top['kind']!r}", hint=f"kinds: {', '.join(KINDS)}")
    fields["kind"] = top.get("kind")
    if top.get("status") is not None and top["status"] not in STATUSES:
        reader.fail(
            ("status",),
            f"unknown status {top['status']!r}",
            hint=f"statuses: {', '.join(STATUSES)}",
        )
    fields["status"] = top.get("status")
    if "employers" in top:
        employers = top["employers"]
        if not isinstance(employers, list) or not all(isinstance(e, str) for e in employers):
            reader.fail(("employers",), "employers must be a list of names")
        else:
            fields["employers"] = tuple(employers)
    if "term" in top:
        term = reader.mapping(("term",), top["term"], TERM_KEYS, (), "the term")
        if term is not None:
            if not term:
                reader.fail(("term",), "the term must give 'from', 'to' or both")
            start = None
            if term.get("from") is not None:
                start = reader.date(("term", "from"), term["from"], "the term's start")
            end = None
            if term.get("to") is not None:
                end = reader.date(("term", "to"), term["to"], "the term's end")
            if start and end and end < start:
                reader.fail(("term", "to"), f"the term ends ({end}) before it starts ({start})")
            fields["term"] = (start, end)
    return fields


def _formulas(reader: _Reader, raw: Any) -> tuple[str, ...]:
    if not isinstance(raw, list):
        reader.fail(("formulas",), "formulas must be a list of formula names")
        return ()
    names: list[str] = []
    for index, name in enumerate(raw):
        if not isinstance(name, str) or name not in FORMULAS:
            reader.fail(
                ("formulas", index),
                f"no formula called {name!r}",
                hint="see `guildhall terms formulas` or docs/terms.md",
            )
            continue
        if name in names:
            reader.fail(("formulas", index), f"formula {name!r} is listed twice")
            continue
        names.append(name)
    return tuple(names)


def _parameters(reader: _Reader, raw: Any) -> dict[str, Parameter]:
    if not isinstance(raw, dict):
        reader.fail(("parameters",), "parameters must be a mapping of names to terms")
        return {}
    out: dict[str, Parameter] = {}
    for name, body in raw.items():
        path: PathKey = ("parameters", name)
        if not isinstance(name, str) or not _NAME.match(name):
            reader.fail(path, f"parameter name {name!r} must be snake_case", key=True)
            continue
        parameter = _parameter(reader, path, name, body)
        if parameter is not None:
            out[name] = parameter
    return out


def _parameter(reader: _Reader, path: PathKey, name: str, raw: Any) -> Parameter | None:
    body = reader.mapping(path, raw, PARAMETER_KEYS, ("unit", "description", "values"), name)
    if body is None:
        return None
    unit = body.get("unit")
    if unit is not None and (not isinstance(unit, str) or unit not in UNITS):
        reader.fail((*path, "unit"), f"unknown unit {unit!r}", hint=f"units: {', '.join(UNITS)}")
        unit = None
    description = reader.text((*path, "description"), body.get("description"), "a description")
    status = body.get("status", "settled")
    if status not in ("settled", "uncertain"):
        reader.fail((*path, "status"), f"a term's status is settled or uncertain, not {status!r}")
    missing = body.get("missing")
    if status == "uncertain" and missing is None:
        reader.fail(path, f"{name} is uncertain but does not say what is missing", key=True)
    if missing is not None:
        missing = reader.text((*path, "missing"), missing, "missing")
        if status != "uncertain":
            reader.fail((*path, "missing"), "only an uncertain term says what is missing", key=True)
    values = _values(reader, (*path, "values"), unit, body.get("values"), allow_empty=True)
    if body.get("values") == [] and status != "uncertain":
        reader.fail(
            (*path, "values"), f"{name} has no values; only an uncertain term may have none"
        )
    readings = _readings(reader, (*path, "readings"), unit, body.get("readings", {}))
    if unit is None or description is None:
        return None
    return Parameter(
        name=name,
        unit=unit,
        description=description,
        values=values,
        status=status if status in ("settled", "uncertain") else "settled",
        missing=missing,
        readings=MappingProxyType(readings),
        defined_in=reader.agreement_id,
        where=reader.doc.where(path, key=True),
    )


def _readings(reader: _Reader, path: PathKey, unit: str | None, raw: Any) -> dict[str, Reading]:
    if not isinstance(raw, dict):
        reader.fail(path, "readings must be a mapping of reading names to values")
        return {}
    out: dict[str, Reading] = {}
    for name, body in raw.items():
        here = (*path, name)
        if not isinstance(name, str) or not _NAME.match(name):
            reader.fail(here, f"reading name {name!r} must be snake_case", key=True)
            continue
        reading = reader.mapping(here, body, READING_KEYS, READING_KEYS, f"reading {name}")
        if reading is None:
            continue
        description = reader.text((*here, "description"), reading.get("description"), "description")
        values = _values(reader, (*here, "values"), unit, reading.get("values"), allow_empty=False)
        out[name] = Reading(name, description or "", values)
    return out


def _values(
    reader: _Reader, path: PathKey, unit: str | None, raw: Any, *, allow_empty: bool
) -> tuple[DatedValue, ...]:
    if raw is None and allow_empty:
        return ()
    if not isinstance(raw, list) or (not raw and not allow_empty):
        reader.fail(path, "values must be a list of dated values (from, value, source)")
        return ()
    values: list[DatedValue] = []
    for index, item in enumerate(raw):
        dated = _dated_value(reader, (*path, index), unit, item)
        if dated is not None:
            values.append(dated)
    _check_ranges(reader, path, values)
    return tuple(values)


def _dated_value(reader: _Reader, path: PathKey, unit: str | None, raw: Any) -> DatedValue | None:
    body = reader.mapping(path, raw, VALUE_KEYS, ("value", "source"), "a dated value")
    if body is None:
        return None
    start = reader.date((*path, "from"), body["from"], "from") if "from" in body else None
    if "from" not in body and path[-1] != 0:
        reader.fail(path, "only the first value may leave out 'from'")
    end = reader.date((*path, "to"), body["to"], "to") if body.get("to") is not None else None
    if start and end and end < start:
        reader.fail((*path, "to"), f"this value ends ({end}) before it starts ({start})")
    value = None
    if unit is not None and "value" in body:
        value, error = check_value(unit, body["value"])
        if error:
            reader.fail((*path, "value"), error)
    source = _source(reader, (*path, "source"), body.get("source")) if "source" in body else None
    derived = body.get("derived")
    if derived is not None:
        derived = reader.text((*path, "derived"), derived, "derived")
    if ("from" in body and start is None) or value is None or source is None:
        return None
    return DatedValue(start, end, value, source, derived, reader.doc.where(path))


def _source(reader: _Reader, path: PathKey, raw: Any) -> Source | None:
    if raw is None:
        reader.fail(path, "this value has no source (document, section or url, quote)")
        return None
    body = reader.mapping(path, raw, SOURCE_KEYS, ("document", "quote"), "a source")
    if body is None:
        return None
    if "section" not in body and "url" not in body:
        reader.fail(path, "a source must give a section or a url")
    document = (
        reader.text((*path, "document"), body["document"], "the document")
        if "document" in body
        else None
    )
    quote = reader.text((*path, "quote"), body["quote"], "the quote") if "quote" in body else None
    section = (
        reader.text((*path, "section"), body["section"], "the section")
        if "section" in body
        else None
    )
    url = reader.text((*path, "url"), body["url"], "the url") if "url" in body else None
    if document is None or quote is None:
        return None
    return Source(document, quote, section, url)


def _check_ranges(reader: _Reader, path: PathKey, values: list[DatedValue]) -> None:
    for index in range(1, len(values)):
        before, after = values[index - 1], values[index]
        if before.end is None or after.start is None or after.start <= before.end:
            reader.problems.append(
                Problem(
                    after.where,
                    f"this value's dates overlap the one before it (from {before.start})",
                    hint="give the earlier value a 'to' date the day before this 'from'",
                )
            )
        elif after.start != before.end + dt.timedelta(days=1):
            reader.problems.append(
                Problem(
                    after.where,
                    f"gap in dates: the value before ends {before.end}, this starts {after.start}",
                    hint="dated values must follow one another day after day",
                )
            )
