"""Files the people of a vote keep or hand in: trustees' states, keys, dealings and shares,
members' audit records.

JSON is read with errors that name the file; a file is always written new (mode 0600 when
it is private) and never over an existing one, so a step run twice cannot silently replace
what was kept or handed in.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from guildhall.ballots.crypto.hashing import refuse_float
from guildhall.core.errors import InvalidInput
from guildhall.core.problems import Location, Problem


def problem(path: Path | None, what: str) -> InvalidInput:
    return InvalidInput([Problem(Location(file=str(path) if path else "trustee files"), what)])


def read_json(path: Path) -> Any:
    try:
        return json.loads(path.read_text(encoding="utf-8"), parse_float=refuse_float)
    except (OSError, ValueError) as exc:
        raise problem(path, f"unreadable as JSON: {exc}") from exc


def refuse_existing(*paths: Path) -> None:
    for path in paths:
        if path.exists():
            raise problem(path, "exists already; it is never overwritten")


def write_new(path: Path, data: dict[str, Any], *, private: bool) -> Path:
    refuse_existing(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600 if private else 0o644)
    with os.fdopen(fd, "w", encoding="utf-8") as f:
        json.dump(data, f, indent=1)
        f.write("\n")
    return path
