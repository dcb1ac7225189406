"""Files the people of a vote keep or hand in: trustees' states, keys, dealings and shares,
members' audit records.

JSON is read with errors that name the file; a file is written whole through
``guildhall.files.output`` (mode 0600 when it is private) and never over an existing one
unless the command is given ``--force``, so a step run twice cannot silently replace what
was kept or handed in.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from guildhall.ballots.crypto.hashing import refuse_float
from guildhall.core.errors import InvalidInput
from guildhall.core.problems import Location, Problem
from guildhall.files import output


def problem(path: Path | None, what: str) -> InvalidInput:
    return InvalidInput([Problem(Location(file=str(path) if path else "trustee files"), what)])


def read_json(path: Path) -> Any:
    try:
        return json.loads(path.read_text(encoding="utf-8"), parse_float=refuse_float)
    except (OSError, ValueError) as exc:
        raise problem(path, f"unreadable as JSON: {exc}") from exc


def refuse_existing(*paths: Path, force: bool = False) -> None:
    output.refuse_existing(*paths, force=force)


def write_new(path: Path, data: dict[str, Any], *, private: bool, force: bool = False) -> Path:
    return output.write_text(path, json.dumps(data, indent=1) + "\n", force=force, private=private)
