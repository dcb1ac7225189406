"""The roll: members in good standing on the record date, read from CSV.

Columns (a header row is required, naming these and no others; a byte-order mark is fine):

- ``member_id`` — required, unique, at most 64 characters;
- ``standing`` — ``good``, ``suspended``, ``lapsed`` or ``honorary_withdrawal``;
- ``paid_through`` — ``YYYY-MM-DD``, the date dues are paid up to.

A member is eligible when ``standing`` is ``good`` and ``paid_through`` is on or after the
record date. Every problem is reported with its row and field; if there is any problem,
nothing is imported.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from guildhall.core.problems import Location, Problem
from guildhall.files.csv_table import CsvRow, parse_csv

STANDINGS = ("good", "suspended", "lapsed", "honorary_withdrawal")
REQUIRED = ("member_id", "standing", "paid_through")


@dataclass(frozen=True)
class Roll:
    record_date: date
    eligible: tuple[str, ...]
    not_eligible: int


def read_roll(
    text: str, *, record_date: date, file: str = "roll.csv"
) -> tuple[Roll, list[Problem]]:
    table, problems = parse_csv(text, file, required=REQUIRED)
    if table is None:
        return Roll(record_date, (), 0), problems
    eligible: list[str] = []
    first_row: dict[str, int] = {}
    not_eligible = 0
    for csv_row in table.rows:
        row_number, row = csv_row.row, csv_row.values

        def where(field: str, csv_row: CsvRow = csv_row) -> Location:
            return csv_row.where(file, field)

        member_id = (row.get("member_id") or "").strip()
        standing = (row.get("standing") or "").strip()
        paid_text = (row.get("paid_through") or "").strip()
        if not member_id:
            problems.append(Problem(where("member_id"), "member_id is empty"))
        elif len(member_id) > 64:
            problems.append(Problem(where("member_id"), "member_id is longer than 64 characters"))
        elif member_id in first_row:
            problems.append(Problem(where("member_id"),
                f"member {member_id} is already on row {first_row[member_id]}"))  # fmt: skip
        else:
            first_row[member_id] = row_number
        if standing not in STANDINGS:
            problems.append(Problem(where("standing"), f"standing {standing!r} is not one of "
                                    f"{', '.join(STANDINGS)}"))  # fmt: skip
        try:
            paid_through = date.fromisoformat(paid_text)
        except ValueError:
            problems.append(
                Problem(where("paid_through"), f"{paid_text!r} is not a YYYY-MM-DD date")
            )
            continue
        if standing == "good" and paid_through >= record_date and member_id:
            eligible.append(member_id)
        else:
            not_eligible += 1
    if not problems and not eligible:
        problems.append(Problem(Location(file=file), "no member is eligible on the record date"))
    return Roll(record_date, tuple(eligible), not_eligible), problems
