"""Remittance files: what employers paid, read from CSV or Parquet and checked row by row.

Columns: ``employer``, ``production_id``, ``performer_id`` (may be empty: a payment for the
whole production), ``period_start``, ``kind``, ``amount`` (dollars, at most two decimals)
or ``amount_cents``, ``paid_on`` and ``reference``. Every bad cell is a ``Problem`` naming
the file, the row (1-based, after the header; for CSV also the line) and the column. A
reference is unique per employer: a second row with the same one is refused.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from guildhall.core.money import to_cents
from guildhall.core.problems import Location, Problem
from guildhall.files.reading import CSV_LIMIT, check_file, read_text
from guildhall.ledger.records import Remittance

REQUIRED = ("employer", "production_id", "period_start", "kind", "paid_on", "reference")
OPTIONAL = ("performer_id",)
AMOUNTS = ("amount", "amount_cents")
KIND = re.compile(r"^[a-z][a-z0-9_]{0,63}$")
_DOLLARS = re.compile(r"^[0-9]+(\.[0-9]{1,2})?$")
_WHOLE = re.compile(r"^[0-9]+$")


@dataclass(frozen=True)
class RemittanceRow:
    """A good row and where it was."""

    row: int
    line: int | None
    remittance: Remittance
    values: dict[str, str]


@dataclass(frozen=True)
class BadRow:
    row: int
    line: int | None
    values: dict[str, str]
    problems: tuple[Problem, ...]


@dataclass(frozen=True)
class RemittanceFile:
    """What a file held: its good rows, its bad rows, and problems of the file itself."""

    path: Path
    good: tuple[RemittanceRow, ...]
    bad: tuple[BadRow, ...]
    file_problems: tuple[Problem, ...]

    @property
    def problems(self) -> tuple[Problem, ...]:
        return self.file_problems + tuple(p for b in self.bad for p in b.problems)


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, date):
        return value.isoformat()
    return str(value).strip()


def _rows(path: Path) -> tuple[list[str], list[dict[str, str]], list[Problem]]:
    if path.suffix.lower() == ".csv":
        content, unreadable = read_text(path, limit=CSV_LIMIT)  # UTF-8, a BOM dropped
        if content is None:
            return [], [], unreadable
        reader = csv.reader(io.StringIO(content, newline=""))
        rows = []
        try:
            header = [h.strip() for h in next(reader, [])]
            for number, cells in enumerate(reader, start=1):
                if not any(c.strip() for c in cells):
                    continue
                record = {
                    h: (cells[i].strip() if i < len(cells) else "") for i, h in enumerate(header)
                }
                if len(cells) > len(header):
                    record["\0extra"] = str(len(cells) - len(header))
                record["\0row"] = str(number)
                rows.append(record)
        except csv.Error as exc:
            where = Location(file=str(path), line=reader.line_num)
            return [], [], [Problem(where, f"not valid CSV: {exc}")]
        return header, rows, []
    if path.suffix.lower() == ".parquet":
        import pyarrow.parquet as pq

        try:
            table = pq.read_table(path)
        except Exception as exc:  # a corrupt or foreign file: say so, do not crash
            return (
                [],
                [],
                [Problem(Location(file=str(path)), f"is not a readable Parquet file: {exc}")],
            )
        header = list(table.column_names)
        rows = []
        for number, record in enumerate(table.to_pylist(), start=1):
            values = {k: _text(v) for k, v in record.items()}
            values["\0row"] = str(number)
            rows.append(values)
        return header, rows, []
    return [], [], [Problem(Location(file=str(path)), "a remittance file is .csv or .parquet")]


def _header_problems(path: Path, header: list[str]) -> list[Problem]:
    line = 1 if path.suffix.lower() == ".csv" else None

    def at(column: str, what: str) -> Problem:
        return Problem(Location(file=str(path), line=line, field=column), what)

    problems = [at(c, "the header lacks this column") for c in REQUIRED if c not in header]
    if len([a for a in AMOUNTS if a in header]) != 1:
        problems.append(at("amount", "needs one of the columns amount (dollars) or amount_cents"))
    known = set(REQUIRED) | set(OPTIONAL) | set(AMOUNTS)
    problems += [at(c, "unknown column") for c in header if c not in known]
    repeated = sorted({c for c in header if header.count(c) > 1})
    problems += [at(c, "the column appears twice") for c in repeated]
    return problems


def _date(value: str) -> date | None:
    try:
        return date.fromisoformat(value) if re.fullmatch(r"\d{4}-\d{2}-\d{2}", value) else None
    except ValueError:
        return None


def _check(values: dict[str, str], today: date) -> tuple[dict[str, Any], list[tuple[str, str]]]:
    """The row's typed values and (column, why) for each bad cell."""
    bad: list[tuple[str, str]] = []
    typed: dict[str, Any] = {}
    for column in ("employer", "reference"):
        text = values.get(column, "")
        if not text:
            bad.append((column, "is empty"))
        elif len(text) > 200:
            bad.append((column, f"is {len(text)} characters long; at most 200"))
        typed[column] = text
    for column, optional in (("production_id", False), ("performer_id", True)):
        text = values.get(column, "")
        if not text:
            if not optional:
                bad.append((column, "is empty"))
            typed[column] = None
        elif not _WHOLE.fullmatch(text) or int(text) < 1 or int(text) >= 2**62:
            bad.append((column, f"is {text!r}, not a whole number from 1"))
        else:
            typed[column] = int(text)
    kind = values.get("kind", "")
    if not KIND.fullmatch(kind):
        bad.append(("kind", f"is {kind!r}, not a payment kind (lower-case letters, digits, _)"))
    typed["kind"] = kind
    for column in ("period_start", "paid_on"):
        text = values.get(column, "")
        day = _date(text)
        if day is None:
            bad.append((column, f"is {text!r}, not a date written YYYY-MM-DD"))
        typed[column] = day
    if typed.get("paid_on") and typed["paid_on"] > today:
        bad.append(("paid_on", f"is {typed['paid_on']}, after today ({today})"))
    if "amount" in values:
        text = values["amount"].replace(",", "")
        if not _DOLLARS.fullmatch(text):
            bad.append(
                ("amount", f"is {values['amount']!r}, not dollars with at most two decimals")
            )
        else:
            try:
                typed["amount_cents"] = to_cents(Decimal(text))
            except InvalidOperation:
                bad.append(("amount", f"is {values['amount']!r}, not an amount"))
    else:
        text = values.get("amount_cents", "")
        if not _WHOLE.fullmatch(text):
            bad.append(("amount_cents", f"is {text!r}, not a whole number of cents"))
        else:
            typed["amount_cents"] = int(text)
    amount = typed.get("amount_cents")
    column = "amount" if "amount" in values else "amount_cents"
    if amount is not None and amount == 0:
        bad.append((column, "is zero; a remittance pays something"))
    if amount is not None and amount >= 2**52:
        bad.append((column, "is beyond any remittance this ledger accepts"))
    return typed, bad


def read_remittances(path: Path, today: date) -> RemittanceFile:
    """Every row of ``path`` checked; nothing is dropped unnamed."""
    unreadable = check_file(path)  # a folder, a symlink loop, a pipe
    if unreadable is not None:
        return RemittanceFile(path, (), (), (unreadable,))
    header, rows, problems = _rows(path)
    if problems:
        return RemittanceFile(path, (), (), tuple(problems))
    problems = _header_problems(path, header)
    if problems:
        return RemittanceFile(path, (), (), tuple(problems))
    is_csv = path.suffix.lower() == ".csv"
    good: list[RemittanceRow] = []
    bad: list[BadRow] = []
    first: dict[tuple[str, str], int] = {}
    for record in rows:
        number = int(record.pop("\0row"))
        extra = record.pop("\0extra", None)
        line = number + 1 if is_csv else None
        typed, whys = _check(record, today)
        if extra:
            whys.append(("", f"has {extra} more cells than the header"))
        ref = (typed.get("employer", ""), typed.get("reference", ""))
        if all(ref) and ref in first:
            whys.append(
                ("reference", f"repeats {ref[1]!r} of {ref[0]} (first at row {first[ref]})")
            )
        elif all(ref):
            first[ref] = number
        if whys:
            row_problems = tuple(
                Problem(Location(file=str(path), line=line, row=number, field=c or None), why)
                for c, why in whys
            )
            bad.append(BadRow(number, line, record, row_problems))
            continue
        remittance = Remittance(
            employer=typed["employer"],
            production_id=typed["production_id"],
            performer_id=typed["performer_id"],
            period_start=typed["period_start"],
            kind=typed["kind"],
            amount_cents=typed["amount_cents"],
            paid_on=typed["paid_on"],
            reference=typed["reference"],
        )
        good.append(RemittanceRow(number, line, remittance, record))
    return RemittanceFile(path, tuple(good), tuple(bad), ())


def quarantine_csv(bad: tuple[BadRow, ...], extra: list[tuple[RemittanceRow, str]]) -> str:
    """The quarantine file: one line per problem, with the row's values."""
    import json

    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["row", "line", "column", "why", "values"])
    for row in bad:
        for problem in row.problems:
            writer.writerow(
                [
                    row.row,
                    row.line or "",
                    problem.where.field or "",
                    problem.what,
                    json.dumps(row.values, sort_keys=True),
                ]
            )
    for good, why in extra:
        writer.writerow(
            [good.row, good.line or "", "reference", why, json.dumps(good.values, sort_keys=True)]
        )
    return out.getvalue()
