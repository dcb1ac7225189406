"""Verifying a board file, with what the verifier is given beside it: the guild's rules
file, signed checkpoints, the election file a member holds."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from pathlib import Path

from guildhall.ballots.verify import Progress, Report, RulesReference, Unreadable, verify_board
from guildhall.bargaining.rulebook import parse_rulebook
from guildhall.core.errors import InvalidInput
from guildhall.core.problems import Location, Problem
from guildhall.files.reading import YAML_LIMIT, decode, require_bytes
from guildhall.services.ballots.election_file import manifest_data
from guildhall.services.ballots.files import read_json


def rules_reference(path: Path) -> RulesReference:
    """The rules file's SHA-256 and vote rules; problems name the file's lines."""
    raw = require_bytes(path, limit=YAML_LIMIT)
    text, problems = decode(raw, str(path))
    if text is None:
        raise InvalidInput(problems)
    rulebook, problems = parse_rulebook(text, str(path))
    if problems or rulebook is None:
        raise InvalidInput(problems)
    votes = {q: v.threshold for q, v in rulebook.votes.items()}
    return RulesReference(hashlib.sha256(raw).hexdigest(), votes)


def verify(
    board: Path,
    *,
    rules: Path | None = None,
    checkpoints: Sequence[Path] = (),
    election: Path | None = None,
    workers: int | None = None,
    progress: Progress | None = None,
) -> Report:
    """Check ``board``; ``InvalidInput`` (exit 2) if it or a file given with it cannot be
    read, a report of every failure otherwise."""
    reference = rules_reference(rules) if rules is not None else None
    given = [(str(p), read_json(p)) for p in checkpoints]
    held = manifest_data(election) if election is not None else None
    try:
        return verify_board(board, workers=workers, rules=reference, checkpoints=given,
                            election_file=held, progress=progress)  # fmt: skip
    except Unreadable as exc:
        raise InvalidInput([Problem(Location(file=str(board)), str(exc))]) from exc
