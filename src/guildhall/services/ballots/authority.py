"""The credential authority's step, on its own machine: no database is opened.

From the published election file and the roll (the same CSV the administrator imported),
it draws one credential per eligible member, writes the private mailing (member id and
credential, mode 0600, for delivery and then destruction) and the public list signed with
its identity, which the server imports (``setup.import_credentials``).
"""

from __future__ import annotations

import csv
from collections.abc import Sequence
from pathlib import Path

from guildhall.ballots import credentials as creds
from guildhall.ballots import identity
from guildhall.ballots.roll import read_roll
from guildhall.core.errors import InvalidInput
from guildhall.files import output
from guildhall.files.reading import CSV_LIMIT, require_text
from guildhall.services.ballots.election_file import read_election_file
from guildhall.services.ballots.files import problem, refuse_existing, write_new
from guildhall.services.ballots.identities import read_private


def make_credentials(
    election_path: Path, roll_path: Path, *, key_path: Path, mailing: Path, out: Path
) -> int:
    """Credentials for every member eligible on the election's record date; returns how
    many. Refuses a roll whose count is not the manifest's, and a key not the manifest's."""
    refuse_existing(mailing, out)
    manifest, election_hash = read_election_file(election_path)
    seed = read_private(key_path)
    if identity.public_of(seed) != manifest.authority:
        raise problem(key_path, "this is not the credential authority's key named in the "
                      f"election ({identity.fingerprint(manifest.authority)})")  # fmt: skip
    if manifest.record_date is None:
        raise problem(election_path, "the election names no record date: it is not published")
    text = require_text(roll_path, limit=CSV_LIMIT)
    roll, problems = read_roll(text, record_date=manifest.record_date, file=str(roll_path))
    if problems:
        raise InvalidInput(problems)
    if len(roll.eligible) != manifest.eligible:
        raise problem(roll_path, f"{len(roll.eligible)} members are eligible on "
                      f"{manifest.record_date}; the election says {manifest.eligible}: "
                      "not the roll the election was published from")  # fmt: skip
    issue = creds.issue(list(roll.eligible))
    _write_mailing(mailing, issue.mailings)
    write_new(out, creds.signed_list(election_hash, issue.public, seed), private=False)
    return len(issue.public)


def _write_mailing(path: Path, mailings: Sequence[creds.Mailing]) -> None:
    with output.output_file(path, private=True) as partial, partial.open("w", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(["member_id", "credential"])
        writer.writerows((m.member_id, m.credential) for m in mailings)
