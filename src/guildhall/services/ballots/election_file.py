"""The published election file: the manifest, read on a machine with no database.

It is what ``ballots publish`` writes, the body of the board's first entry; a board file
(JSON Lines) is accepted as well, its first entry read.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from guildhall.ballots.crypto.hashing import refuse_float
from guildhall.ballots.manifest import Manifest
from guildhall.ballots.shapes import Malformed
from guildhall.core.errors import InvalidInput
from guildhall.core.problems import Location, Problem


def manifest_data(path: Path) -> Any:
    """The manifest's JSON as held in ``path`` (an election file or a board)."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise InvalidInput([Problem(Location(file=str(path)), f"cannot be read: {exc}")]) from exc
    try:
        return json.loads(text, parse_float=refuse_float)
    except ValueError:
        pass
    try:
        data = json.loads(text.lstrip().split("\n", 1)[0], parse_float=refuse_float)
    except ValueError as exc:
        raise InvalidInput([Problem(Location(file=str(path), line=1), f"not JSON: {exc}")]) from exc
    if not isinstance(data, dict) or data.get("kind") != "election" or "body" not in data:
        raise InvalidInput([Problem(Location(file=str(path), line=1),
                                    "neither an election file nor a board")])  # fmt: skip
    return data["body"]


def read_election_file(path: Path) -> tuple[Manifest, str]:
    """The manifest in ``path`` and its election hash; problems name the field."""
    try:
        manifest = Manifest.from_json(manifest_data(path))
    except Malformed as exc:
        raise InvalidInput([Problem(Location(file=str(path), field=exc.field), exc.what)]) from exc
    return manifest, manifest.election_hash
