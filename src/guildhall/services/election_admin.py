"""What the election pages of the web app need beyond the ballots services: a roll or
decryption shares handed in as uploads, and where each trustee stands.

Uploads are written to a private temporary folder for the ballots services to read and
removed afterwards; problems name the uploaded file by the name it was sent with, never the
server's folder.
"""

from __future__ import annotations

import json
import tempfile
from collections.abc import Sequence
from dataclasses import replace
from datetime import date
from pathlib import Path, PurePath
from typing import Any

from guildhall.core.errors import InvalidInput
from guildhall.core.problems import Location, Problem
from guildhall.services import ballots
from guildhall.store import ballots_repo as repo
from guildhall.store.db import store_for


def _shown_as(exc: InvalidInput, folder: Path, names: dict[str, str]) -> InvalidInput:
    fixed = []
    for p in exc.problems:
        file = p.where.file
        if file is not None and file.startswith(str(folder)):
            file = names.get(file, PurePath(file).name)
        fixed.append(replace(p, where=replace(p.where, file=file)))
    return InvalidInput(fixed)


def _safe_name(name: str, fallback: str) -> str:
    base = PurePath(name.replace("\\", "/")).name
    return base if base and base not in (".", "..") else fallback


def import_roll_upload(
    database_url: str, election_id: str, filename: str, content: bytes, record_date: date
) -> tuple[int, int]:
    """``ballots.import_roll`` on an uploaded roll file."""
    name = _safe_name(filename, "roll.csv")
    with tempfile.TemporaryDirectory(prefix="guildhall-roll-") as tmp:
        folder = Path(tmp)
        path = folder / name
        path.write_bytes(content)
        try:
            return ballots.import_roll(database_url, election_id, path, record_date=record_date)
        except UnicodeDecodeError:
            raise InvalidInput(
                [Problem(Location(file=name), "is not a UTF-8 text (CSV) file")]
            ) from None
        except InvalidInput as exc:
            raise _shown_as(exc, folder, {str(path): name}) from None


def tally_uploads(
    database_url: str, election_id: str, uploads: Sequence[tuple[str, bytes]]
) -> dict[str, Any]:
    """``ballots.tally`` on the decryption shares the trustees handed in as files."""
    shares: list[tuple[Path, Any]] = []
    problems = []
    for n, (filename, content) in enumerate(uploads, start=1):
        name = _safe_name(filename, f"share-{n}.json")
        try:
            shares.append((Path(name), json.loads(content.decode("utf-8"))))
        except (UnicodeDecodeError, json.JSONDecodeError) as exc:
            problems.append(Problem(Location(file=name), f"is not a JSON share file: {exc}"))
    if problems:
        raise InvalidInput(problems)
    if not shares:
        raise InvalidInput([Problem(Location(field="shares"), "hand in the trustees' shares")])
    outcome = ballots.tally(database_url, election_id, shares=shares)
    return {"passed": outcome.passed}


def trustee_status(database_url: str, election_id: str) -> dict[str, Any]:
    """Each trustee: their public dealing is in the election (they dealt, and the others
    sealed and received from it on their own machines), and whether their decryption share
    was counted in the tally; with how many shares the tally needs."""
    with store_for(database_url).session() as session:
        r = repo.row(session, election_id)
        trustees = dict(r.trustees)
        decrypted = {
            int(json.loads(line)["body"]["trustee"])
            for line in repo.entries_of(session, election_id, "decryption")
        }
        state = repo.election(r).state
    n, k = int(trustees["n"]), int(trustees["k"])
    return {
        "election": election_id,
        "state": state,
        "n": n,
        "k": k,
        "trustees": [
            {"index": i, "dealt": True, "decrypted": i in decrypted} for i in range(1, n + 1)
        ],
        "decrypted": len(decrypted),
    }
