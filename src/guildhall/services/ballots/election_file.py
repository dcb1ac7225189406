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
from guildhall.files.reading import BOARD_LIMIT, JSON_LIMIT, check_file, decode, require_text


def _manifest_text(path: Path) -> str:
    """An election file whole, or a board's first line (its manifest): never a whole board,
    which may be gigabytes, and never a pipe, a folder or a file over the board limit."""
    problem = check_file(path, limit=BOARD_LIMIT)
    if problem is not None:
        raise InvalidInput([problem])
    if path.stat().st_size <= JSON_LIMIT:
        return require_text(path, limit=JSON_LIMIT)
    try:
        with open(path, "rb") as handle:
            head = handle.readline(JSON_LIMIT + 1)
    except OSError as exc:
        raise InvalidInput([Problem(Location(file=str(path)), f"cannot be read: {exc}")]) from exc
    if len(head) > JSON_LIMIT:
        where = Location(file=str(path), line=1)
        raise InvalidInput([Problem(where, "the first line is longer than a manifest can be")])
    text, problems = decode(head, str(path))
    if text is None:
        raise InvalidInput(problems)
    return text


def manifest_data(path: Path) -> Any:
    """The manifest's JSON as held in ``path`` (an election file or a board)."""
    text = _manifest_text(path)
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
