"""Files the people of a vote keep or hand in: trustees' states, keys, dealings and shares,
members' audit records.

JSON is read with errors that name the file, line and column (a folder, a symlink loop or
a file over the size limit is refused before it is read); a file is written whole through
``guildhall.files.output`` (mode 0600 when it is private) and never over an existing one
unless the command is given ``--force``, so a step run twice cannot silently replace what
was kept or handed in. Members' ballots (one JSON ballot or JSON Lines) and the ``--votes``
CSV of credential and choice are read here too.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from guildhall.ballots.crypto.hashing import refuse_float
from guildhall.core.errors import InvalidInput
from guildhall.core.problems import Location, Problem
from guildhall.files import output
from guildhall.files.csv_table import parse_csv
from guildhall.files.located_json import parse_json, parse_json_or_lines
from guildhall.files.reading import BALLOTS_LIMIT, CSV_LIMIT, JSON_LIMIT, require_text

VOTE_COLUMNS = ("credential", "choice")


def problem(path: Path | None, what: str) -> InvalidInput:
    return InvalidInput([Problem(Location(file=str(path) if path else "trustee files"), what)])


def read_json(path: Path) -> Any:
    value, problems = parse_json(
        require_text(path, limit=JSON_LIMIT), str(path), parse_float=refuse_float
    )
    if problems:
        raise InvalidInput(problems)
    return value


def read_ballots(path: Path) -> list[dict[str, Any]]:
    """The ballots in a file: one JSON ballot, or JSON Lines of them; each must be an object."""
    items, problems = parse_json_or_lines(
        require_text(path, limit=BALLOTS_LIMIT), str(path), parse_float=refuse_float
    )
    problems += [
        Problem(Location(file=str(path), row=i), "expected a ballot (a JSON object)")
        for i, item in enumerate(items, start=1)
        if not isinstance(item, dict)
    ]
    if problems:
        raise InvalidInput(problems)
    return items


def read_votes(path: Path) -> list[tuple[str, str]]:
    """(credential, choice) for each row of a CSV with the header ``credential,choice``."""
    table, problems = parse_csv(
        require_text(path, limit=CSV_LIMIT), str(path), required=VOTE_COLUMNS
    )
    votes: list[tuple[str, str]] = []
    for row in table.rows if table is not None else ():
        credential, choice = row.values["credential"].strip(), row.values["choice"].strip()
        if not credential:
            problems.append(Problem(row.where(str(path), "credential"), "the credential is empty"))
        if not choice:
            problems.append(Problem(row.where(str(path), "choice"), "the choice is empty"))
        votes.append((credential, choice))
    if not problems and not votes:
        problems.append(Problem(Location(file=str(path), line=2), "holds no votes"))
    if problems:
        raise InvalidInput(problems)
    return votes


def refuse_existing(*paths: Path, force: bool = False) -> None:
    output.refuse_existing(*paths, force=force)


def write_new(path: Path, data: dict[str, Any], *, private: bool, force: bool = False) -> Path:
    return output.write_text(path, json.dumps(data, indent=1) + "\n", force=force, private=private)
