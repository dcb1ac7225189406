"""What the election pages of the web app need beyond the ballots services: a roll, the
credential authority's signed list, an audited ballot or decryption shares handed in as
uploads; the files the credential authority works from handed out (the election file and
the roll's eligible members); and where each trustee stands.

Uploads are written to a private temporary folder for the ballots services to read and
removed afterwards; problems name the uploaded file by the name it was sent with, never the
server's folder.
"""

from __future__ import annotations

import csv
import io
import json
import tempfile
from collections.abc import Sequence
from dataclasses import replace
from datetime import date
from pathlib import Path, PurePath
from typing import Any

from guildhall.ballots.crypto.hashing import refuse_float
from guildhall.core.errors import InvalidInput
from guildhall.core.problems import Location, Problem
from guildhall.files.located_json import parse_json
from guildhall.files.reading import decode
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
    return type(exc)(fixed)  # the same kind: a wrong state stays a wrong state


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


def import_credentials_upload(
    database_url: str, election_id: str, filename: str, content: bytes
) -> int:
    """``ballots.import_credentials`` on the credential authority's signed list, uploaded:
    the same checks as the CLI's (this election, one valid credential per eligible member,
    sorted and distinct, the authority's signature); any problem and nothing is written."""
    name = _safe_name(filename, "credentials.json")
    with tempfile.TemporaryDirectory(prefix="guildhall-credentials-") as tmp:
        folder = Path(tmp)
        path = folder / name
        path.write_bytes(content)
        try:
            return ballots.import_credentials(database_url, election_id, path)
        except InvalidInput as exc:
            raise _shown_as(exc, folder, {str(path): name}) from None


def _uploaded_json(filename: str, fallback: str, content: bytes) -> Any:
    name = _safe_name(filename, fallback)
    text, problems = decode(content, name)
    if text is None:
        raise InvalidInput(problems)
    value, problems = parse_json(text, name, parse_float=refuse_float)
    if problems:
        raise InvalidInput(problems)
    return value


def spoil_upload(
    database_url: str, election_id: str, ballot: tuple[str, bytes], record: tuple[str, bytes]
) -> int:
    """``ballots.spoil`` on an audited ballot and its audit record, uploaded: the ballot is
    published as spoiled with its choice revealed, and can never be cast. Returns its seq."""
    ballot_json = _uploaded_json(ballot[0], "ballot.json", ballot[1])
    record_json = _uploaded_json(record[0], "record.json", record[1])
    return ballots.spoil(database_url, election_id, ballot_json, record_json)


def election_file(database_url: str, election_id: str) -> str:
    """The published election file, as ``ballots publish`` writes it: the manifest the
    credential authority and members' devices work from."""
    manifest, _hash = ballots.election_manifest(database_url, election_id)
    return json.dumps(manifest.as_json(), indent=1) + "\n"


def roll_for_authority(database_url: str, election_id: str) -> str:
    """The roll's eligible members as a roll CSV the credential authority's
    ``credentials make`` reads: each member in good standing and paid through the record
    date (the server keeps only who is eligible, so that is what the file says)."""
    with store_for(database_url).session() as session:
        r = repo.row(session, election_id)
        if not r.eligible or r.record_date is None:
            raise InvalidInput(
                [Problem(Location(file=f"election {election_id}"), "no roll has been imported")]
            )
        members = [m.member_id for m in repo.roll(session, election_id)]
        paid_through = r.record_date.isoformat()
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["member_id", "standing", "paid_through"])
    writer.writerows([m, "good", paid_through] for m in members)
    return out.getvalue()


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
