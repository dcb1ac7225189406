"""Setting up a vote: the draft election and its trustees' keys, the roll, publishing the
manifest, and importing the credential authority's signed list.

Trustee key files are written only to the paths the caller names, never to the database
or a log. The server never makes credentials: the authority does, on its own machine
(``services.ballots.authority``).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from pathlib import Path

from guildhall.ballots import credentials as creds
from guildhall.ballots import identity
from guildhall.ballots.crypto.trustees import TrusteeKey, ceremony
from guildhall.ballots.errors import WrongState
from guildhall.ballots.manifest import QUESTIONS, Malformed, Manifest
from guildhall.ballots.roll import read_roll
from guildhall.ballots.trustee_steps import public_trustees
from guildhall.core.clock import Clock
from guildhall.core.errors import Conflict, InvalidInput
from guildhall.core.problems import Location, Problem
from guildhall.files import output
from guildhall.files.reading import CSV_LIMIT, require_text
from guildhall.services import cases
from guildhall.services.ballots import identities
from guildhall.services.ballots._common import (
    current_time,
    input_problem,
    manifest_of,
    transaction,
    vote_rules,
)
from guildhall.services.ballots.files import read_json, refuse_existing, write_new
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
    authority_path: Path,
    board_key_path: Path,
    trustees: int = 3,
    quorum: int = 2,
    key_dir: Path | None = None,
    dealing_paths: Sequence[Path] = (),
    case_id: str | None = None,
    allow_blank: bool = False,
    clock: Clock | None = None,
) -> list[Path]:
    """A draft election with its trustees' public keys, the credential authority's public
    identity and the board server's key (its private file stays with the server, for
    signing checkpoints).

    With ``dealing_paths``, the trustees ran the ceremony on their own machines
    (``services.ballots.trustee``) and these are their signed public dealings: nothing
    secret passes here. With ``key_dir`` instead, the whole ceremony runs in this process
    and one key file per trustee (with its signing identity) is written there (a trial, or
    a guild whose trustees share one machine: this process sees every share). Returns the
    key files written."""
    if question not in QUESTIONS:
        raise input_problem(f"question must be one of {', '.join(QUESTIONS)}", "question")
    if (key_dir is None) == (not dealing_paths):
        raise input_problem("give either the trustees' dealings or a folder for their keys",
                            "dealings")  # fmt: skip
    if key_dir is not None and not 1 <= quorum <= trustees:
        raise input_problem(f"a quorum of {quorum} of {trustees} trustees is impossible", "quorum")
    if closes_at <= opens_at:
        raise input_problem("the vote closes before it opens", "closes")
    authority = identities.read_public(authority_path)
    board_key = identity.public_of(identities.read_private(board_key_path))
    if case_id is not None:
        cases.get_case(database_url, case_id)
    threshold, max_days, rules_sha256 = vote_rules(database_url, case_id, question)
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
            options=["yes", "no"], motion="yes", allow_blank=allow_blank,
            threshold=f"{threshold.ratio.numerator}/{threshold.ratio.denominator}",
            comparison=threshold.comparison, rules_sha256=rules_sha256, max_window_days=max_days,
            opens_at=opens_at, closes_at=closes_at, trustees_n=trustees, trustees_k=quorum,
            trustees=public.as_json(), public_key=public.public_key().hex(),
            authority_key=authority.hex(), board_key=board_key.hex(), eligible=0,
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


def publish(
    database_url: str, election_id: str, out: Path | None, *, clock: Clock | None = None
) -> str:
    """Freeze the roll and publish the manifest: the board's first entry, and the election
    file ``out`` that the credential authority and members' devices work from (``None``:
    no file; the web app hands the same file out from the board). Returns the election
    hash."""
    now = current_time(clock)
    if out is not None:
        refuse_existing(out)
    with transaction(database_url) as session:
        r = repo.row(session, election_id, lock=True)
        repo.election(r).require("draft", doing="publish the election")
        if not r.eligible:
            raise WrongState.because(election_id, "no roll has been imported")
        manifest = manifest_of(r)
        try:
            Manifest.from_json(manifest.as_json())
        except Malformed as exc:
            raise InvalidInput(
                [Problem(Location(file=f"election {election_id}", field=exc.field), exc.what)]
            ) from exc
        election_hash = manifest.election_hash
        repo.append(session, election_id, "election", manifest.as_json())
        r.frozen_at, r.election_hash = now, election_hash
        repo.log(session, election_id, "published", now, election=election_hash)
        if out is not None:
            write_new(out, manifest.as_json(), private=False)
    return election_hash


def import_credentials(
    database_url: str, election_id: str, path: Path, *, clock: Clock | None = None
) -> int:
    """Put the credential authority's signed list of public credentials on the board.

    The list must name this election, hold one valid credential per eligible member,
    sorted and distinct, and carry the signature of the authority named in the manifest:
    the server can neither add nor swap a credential."""
    data = read_json(path)
    now = current_time(clock)
    with transaction(database_url) as session:
        r = repo.row(session, election_id, lock=True)
        repo.election(r).require("frozen", doing="import credentials")
        if r.credentials_issued:
            raise WrongState.because(election_id, "the credentials are imported already")
        manifest = manifest_of(r)
        problems = creds.list_problems(data, election_hash=r.election_hash or "",
                                       eligible=manifest.eligible,
                                       authority=manifest.authority)  # fmt: skip
        if problems:
            raise InvalidInput([Problem(Location(file=str(path), field=f), w)
                                for f, w in problems])  # fmt: skip
        repo.append(session, election_id, "credentials", data)
        repo.add_credentials(session, election_id, list(data["credentials"]))
        for m in repo.roll(session, election_id):
            m.credential_issued_at = now
        r.credentials_issued = len(data["credentials"])
        repo.log(session, election_id, "credentials_imported", now,
                 count=len(data["credentials"]))  # fmt: skip
    return len(data["credentials"])
