"""Setting up a vote: the draft election and its trustees' keys, the roll, the credentials.

Trustee key files and the credential mailing file are written only to the paths the caller
names, never to the database or a log.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from datetime import date, datetime
from pathlib import Path

from guildhall.ballots import credentials as creds
from guildhall.ballots.crypto.trustees import TrusteeKey, ceremony
from guildhall.ballots.errors import WrongState
from guildhall.ballots.manifest import QUESTIONS
from guildhall.ballots.roll import read_roll
from guildhall.ballots.trustee_steps import public_trustees
from guildhall.core.clock import Clock
from guildhall.core.errors import Conflict, InvalidInput
from guildhall.files import output
from guildhall.files.reading import CSV_LIMIT, require_text
from guildhall.services import cases
from guildhall.services.ballots._common import (
    current_time,
    input_problem,
    manifest_of,
    transaction,
    vote_rules,
)
from guildhall.services.ballots.trustee import checked_dealings, write_key
from guildhall.store import ballots_repo as repo
from guildhall.store.ballot_tables import ElectionRow


def create(
    database_url: str,
    *,
    election_id: str,
    question: str,
    text: str,
    opens_at: datetime,
    closes_at: datetime,
    trustees: int = 3,
    quorum: int = 2,
    key_dir: Path | None = None,
    dealing_paths: Sequence[Path] = (),
    case_id: str | None = None,
    allow_blank: bool = False,
    clock: Clock | None = None,
) -> list[Path]:
    """A draft election with its trustees' public keys.

    With ``dealing_paths``, the trustees ran the ceremony on their own machines
    (``services.ballots.trustee``) and these are their public dealings: nothing secret
    passes here. With ``key_dir`` instead, the whole ceremony runs in this process and one
    key file per trustee is written there (a trial, or a guild whose trustees share one
    machine: this process sees every share). Returns the key files written."""
    if question not in QUESTIONS:
        raise input_problem(f"question must be one of {', '.join(QUESTIONS)}", "question")
    if (key_dir is None) == (not dealing_paths):
        raise input_problem("give either the trustees' dealings or a folder for their keys",
                            "dealings")  # fmt: skip
    if key_dir is not None and not 1 <= quorum <= trustees:
        raise input_problem(f"a quorum of {quorum} of {trustees} trustees is impossible", "quorum")
    if case_id is not None:
        cases.get_case(database_url, case_id)
    threshold, max_days = vote_rules(database_url, case_id, question)
    keys: list[TrusteeKey] = []
    if key_dir is None:
        public = public_trustees(checked_dealings(election_id, dealing_paths))
        trustees, quorum = public.n, public.k
    else:
        key_paths = [key_dir / f"{election_id}-trustee-{i}.json" for i in range(1, trustees + 1)]
        output.refuse_existing(*key_paths)  # before the election is stored, not after
        public, keys = ceremony(election_id, n=trustees, k=quorum)
    now = current_time(clock)
    with transaction(database_url) as session:
        if repo.exists(session, election_id):
            raise Conflict(f"election {election_id!r} exists already")
        session.add(ElectionRow(
            id=election_id, case_id=case_id, question=question, text=text,
            options=["yes", "no"], allow_blank=allow_blank,
            threshold=f"{threshold.ratio.numerator}/{threshold.ratio.denominator}",
            comparison=threshold.comparison, max_window_days=max_days, opens_at=opens_at,
            closes_at=closes_at, trustees_n=trustees, trustees_k=quorum,
            trustees=public.as_json(), public_key=public.public_key().hex(), eligible=0,
            credentials_issued=0, ballots_cast=0, created_at=now,
        ))  # fmt: skip
        repo.log(session, election_id, "created", now, trustees=trustees, quorum=quorum)
    if key_dir is None:
        return []
    return [write_key(key_dir / f"{k.election_id}-trustee-{k.index}.json", k) for k in keys]


def import_roll(
    database_url: str,
    election_id: str,
    path: Path,
    *,
    record_date: date,
    clock: Clock | None = None,
) -> tuple[int, int]:
    """Import the members eligible on ``record_date``; returns (eligible, not eligible)."""
    text = require_text(path, limit=CSV_LIMIT)
    roll, problems = read_roll(text, record_date=record_date, file=str(path))
    if problems:
        raise InvalidInput(problems)
    now = current_time(clock)
    with transaction(database_url) as session:
        r = repo.row(session, election_id, lock=True)
        repo.election(r).require("draft", doing="import a roll")
        if r.eligible:
            raise WrongState.because(election_id, "a roll is imported already")
        repo.add_roll(session, election_id, list(roll.eligible))
        r.eligible, r.record_date = len(roll.eligible), record_date
        repo.log(session, election_id, "roll_imported", now, eligible=len(roll.eligible),
                 not_eligible=roll.not_eligible, record_date=record_date.isoformat())  # fmt: skip
    return len(roll.eligible), roll.not_eligible


def issue_credentials(
    database_url: str, election_id: str, mailing: Path, *, clock: Clock | None = None
) -> int:
    """Freeze the roll, issue one credential per member, publish manifest and credentials.

    The mailing file (member id, private credential) is for delivery only; destroy it
    after the credentials are delivered.
    """
    output.refuse_existing(mailing)
    now = current_time(clock)
    with transaction(database_url) as session:
        r = repo.row(session, election_id, lock=True)
        repo.election(r).require("draft", doing="issue credentials")
        if not r.eligible:
            raise WrongState.because(election_id, "no roll has been imported")
        members = repo.roll(session, election_id)
        issue = creds.issue([m.member_id for m in members])
        manifest = manifest_of(r)
        election_hash = manifest.election_hash
        repo.append(session, election_id, "election", manifest.as_json())
        repo.append(
            session,
            election_id,
            "credentials",
            {"election": election_hash, "credentials": [c.hex() for c in issue.public]},
        )
        repo.add_credentials(session, election_id, [c.hex() for c in issue.public])
        for m in members:
            m.credential_issued_at = now
        r.credentials_issued, r.frozen_at, r.election_hash = len(issue.public), now, election_hash
        repo.log(session, election_id, "credentials_issued", now, count=len(issue.public))
        _write_mailing(mailing, issue.mailings)
    return len(issue.public)


def _write_mailing(path: Path, mailings: Sequence[creds.Mailing]) -> None:
    """Private (0600), whole, and never over an existing file: credentials are issued once."""
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer)
    writer.writerow(["member_id", "credential"])
    writer.writerows((m.member_id, m.credential) for m in mailings)
    output.write_text(path, buffer.getvalue(), private=True)
