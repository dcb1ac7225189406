"""CSV with a checked header: every column named, none unknown, none twice, none missing.

A row knows its line in the file, so each problem names the file, the line and the row
(the header is row 1) and the field.

>>> table, problems = parse_csv("id,colour\\n7,red\\n", "x.csv", required=("id", "size"))
>>> for p in problems: print(p)
x.csv:1: field 'colour': unknown column 'colour' (the columns are: id, size)
x.csv:1: the header lacks size
"""

from __future__ import annotations

import csv
import io
from collections.abc import Collection, Sequence
from dataclasses import dataclass

from guildhall.core.problems import Location, Problem


@dataclass(frozen=True)
class CsvRow:
    """One data row: its line in the file, its row number (the header is row 1), its values."""

    line: int
    row: int
    values: dict[str, str]

    def where(self, file: str, field: str) -> Location:
        return Location(file=file, line=self.line, row=self.row, field=field)


@dataclass(frozen=True)
class CsvTable:
    file: str
    header: tuple[str, ...]
    rows: tuple[CsvRow, ...]


def check_header(
    header: Sequence[str],
    file: str,
    *,
    required: Collection[str],
    optional: Collection[str] = (),
) -> list[Problem]:
    """Problems with a header row: unknown, repeated and missing columns, each by name."""
    known = [*required, *(c for c in optional if c not in required)]
    hint = "the columns are: " + ", ".join(known)
    problems: list[Problem] = []
    seen: set[str] = set()
    for name in header:
        where = Location(file=file, line=1, field=name)
        if name in seen:
            problems.append(Problem(where, f"column {name!r} appears twice in the header"))
        elif name not in known:
            what = "a column with no name" if not name else f"unknown column {name!r}"
            problems.append(Problem(where, what, hint=hint))
        seen.add(name)
    missing = [c for c in required if c not in seen]
    if missing:
        problems.append(
            Problem(Location(file=file, line=1), f"the header lacks {', '.join(missing)}")
        )
    return problems


def parse_csv(
    text: str,
    file: str,
    *,
    required: Collection[str],
    optional: Collection[str] = (),
) -> tuple[CsvTable | None, list[Problem]]:
    """Parse CSV text whose first row is a header.

    The table is ``None`` when the header is wrong (or the text is not CSV); otherwise it
    holds every well-formed row, and each row with more or fewer fields than the header is
    a problem. Blank lines are skipped. A caller writes nothing while there are problems.
    """
    if text.startswith("\ufeff"):
        text = text[1:]
    if not text.strip():
        what = "the file is empty; its first line must be a header: " + ", ".join(
            [*required, *optional]
        )
        return None, [Problem(Location(file=file, line=1), what)]
    reader = csv.reader(io.StringIO(text, newline=""))
    problems: list[Problem] = []
    rows: list[CsvRow] = []
    header: list[str] | None = None
    row_number = 1
    read_lines = 0
    try:
        for record in reader:
            start, read_lines = read_lines + 1, reader.line_num
            if not record:
                continue
            if header is None:
                header = [name.strip() for name in record]
                problems += check_header(header, file, required=required, optional=optional)
                if problems:
                    return None, problems
                continue
            row_number += 1
            if len(record) != len(header):
                problems.append(
                    Problem(
                        Location(file=file, line=start, row=row_number),
                        f"the row has {len(record)} fields; the header has {len(header)}",
                    )
                )
                continue
            rows.append(CsvRow(start, row_number, dict(zip(header, record, strict=True))))
    except csv.Error as exc:
        where = Location(file=file, line=reader.line_num)
        return None, [*problems, Problem(where, f"not valid CSV: {exc}")]
    if header is None:
        return None, [Problem(Location(file=file, line=1), "the file has no header row")]
    return CsvTable(file, tuple(header), tuple(rows)), problems
