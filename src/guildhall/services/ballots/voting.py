"""Running a vote: its status and live turnout, opening, casting, tracking, closing."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from guildhall.ballots import credentials as creds
from guildhall.ballots.ballot import (
    Ballot,
    audit_problem,
    ballot_problem,
    encrypt_ballot_for_audit,
)
from guildhall.ballots.crypto.group import scalar_from_hex, scalar_hex
from guildhall.ballots.errors import BallotRejected, CryptoError, WrongState
from guildhall.core.clock import Clock
from guildhall.core.problems import Location, Problem
from guildhall.services import cases
from guildhall.services.ballots._common import (
    case_event,
    current_time,
    election_manifest,
    transaction,
)
from guildhall.services.ballots.files import read_json, refuse_existing, write_new
from guildhall.store import ballots_repo as repo


def status(database_url: str, election_id: str, *, clock: Clock | None = None) -> dict[str, Any]:
    """The lifecycle, live turnout (never a partial result) and what blocks opening."""
    now = current_time(clock)
    with transaction(database_url) as session:
        r = repo.row(session, election_id)
        e = repo.election(r)
        return {
            "id": e.id, "case": e.case_id, "question": e.question, "state": e.state,
            "election_hash": r.election_hash, "eligible": e.eligible, "cast": r.ballots_cast,
            "threshold": {"ratio": r.threshold, "comparison": r.comparison},
            "opens_at": e.opens_at, "closes_at": e.closes_at,
            "timestamps": {k: getattr(e, k) for k in (
                "created_at", "frozen_at", "opened_at", "closed_at", "tallied_at",
                "certified_at")},
            "blocks_opening": e.blockers(now) if e.state in ("draft", "frozen") else [],
        }  # fmt: skip


def open_election(database_url: str, election_id: str, *, clock: Clock | None = None) -> None:
    """Open the vote; for a case, the case's rules must allow its ``vote_opened`` event, and
    the event and the opening are written in one transaction."""
    now = current_time(clock)
    with transaction(database_url) as session:
        r = repo.row(session, election_id, lock=True)
        e = repo.election(r)
        e.require("frozen", doing="open the vote")
        blockers = e.blockers(now)
        if blockers:
            raise WrongState([Problem(Location(file=f"election {election_id}"), b)
                              for b in blockers])  # fmt: skip
        if e.case_id is not None:
            cases.add_event_in(
                session,
                e.case_id,
                case_event(
                    e,
                    "vote_opened",
                    now,
                    {"opens_on": e.opens_at.date(), "closes_on": e.closes_at.date()},
                    f"Vote {e.id} ({e.question}) opened; closes {e.closes_at.isoformat()}.",
                ),
                clock=clock,
            )
        repo.append(
            session,
            election_id,
            "opened",
            {"election": r.election_hash, "opened_at": now.isoformat()},
        )
        r.opened_at = now
        repo.log(session, election_id, "opened", now)


def prepare_ballot(database_url: str, election_id: str, credential: str, choice: str) -> Ballot:
    """What the member's device does: encrypt, prove and sign a choice."""
    return _encrypted(database_url, election_id, credential, choice)[0]


def prepare_audited_ballot(
    database_url: str, election_id: str, credential: str, choice: str, record_path: Path
) -> Ballot:
    """A ballot, and its audit record (the choice and the encryption's randomness) written
    to ``record_path`` (private, never over an existing file): with the record anyone can
    check the ballot holds the choice (``audit``). An audited ballot is spoiled: the member
    encrypts again to vote."""
    refuse_existing(record_path)
    ballot, r = _encrypted(database_url, election_id, credential, choice)
    record = {"election": ballot.election, "tracker": ballot.tracker, "choice": choice,
              "randomness": scalar_hex(r)}  # fmt: skip
    write_new(record_path, record, private=True)
    return ballot


def _encrypted(
    database_url: str, election_id: str, credential: str, choice: str
) -> tuple[Ballot, int]:
    manifest, election_hash = election_manifest(database_url, election_id)
    try:
        seed = creds.parse_private(credential)
        return encrypt_ballot_for_audit(manifest, election_hash, seed, choice)
    except (CryptoError, ValueError) as exc:
        raise BallotRejected.because(str(exc), field="choice") from exc


def audit(
    database_url: str, election_id: str, ballot_path: Path, record_path: Path
) -> tuple[str, str | None]:
    """The choice an audit record says a ballot holds, and what is wrong (``None`` if
    nothing)."""
    ballot_json, record = read_json(ballot_path), read_json(record_path)
    manifest, election_hash = election_manifest(database_url, election_id)
    if not isinstance(record, dict) or record.get("election") != election_hash:
        raise BallotRejected.because("the audit record is for another election", field="record")
    try:
        ballot = Ballot.from_json(ballot_json, choices=len(manifest.values))
        r = scalar_from_hex(record.get("randomness"), "randomness")
    except CryptoError as exc:
        raise BallotRejected.because(str(exc)) from exc
    choice = str(record.get("choice"))
    if record.get("tracker") != ballot.tracker:
        return choice, "the audit record was made for another ballot"
    return choice, audit_problem(ballot, manifest=manifest, election_hash=election_hash,
                                 choice=choice, r=r)  # fmt: skip


def cast(
    database_url: str, election_id: str, ballot_json: Any, *, clock: Clock | None = None
) -> str:
    """Check and store a ballot; returns the tracker only after the commit."""
    manifest, election_hash = election_manifest(database_url, election_id)
    try:
        ballot = Ballot.from_json(ballot_json, choices=len(manifest.values))
    except CryptoError as exc:
        raise BallotRejected.because(str(exc)) from exc
    problem = ballot_problem(ballot, election_hash=election_hash, key=manifest.public_key,
                             values=manifest.values)  # fmt: skip
    if problem:
        raise BallotRejected.because(problem)
    now = current_time(clock)
    credential, ct = ballot.credential.hex(), ballot.ciphertext.a.hex() + ballot.ciphertext.b.hex()
    with transaction(database_url) as session:
        r = repo.row(session, election_id, lock=True)
        if not repo.election(r).is_accepting(now):
            raise WrongState.because(election_id, "the election is not accepting ballots")
        if not repo.has_credential(session, election_id, credential):
            raise BallotRejected.because("the credential is not on this election's list",
                                         field="credential")  # fmt: skip
        entry = repo.append(
            session, election_id, "ballot", {"ballot": ballot.as_json(), "tracker": ballot.tracker}
        )
        repo.add_ballot(session, election_id, credential=credential, ciphertext=ct,
                        tracker=ballot.tracker, board_seq=entry.seq)  # fmt: skip
        r.ballots_cast += 1
    return ballot.tracker


def find_tracker(database_url: str, election_id: str, tracker: str) -> int | None:
    """The board sequence number of the ballot with this tracker, if it is on the board."""
    with transaction(database_url) as session:
        repo.row(session, election_id)
        return repo.tracker_seq(session, election_id, tracker)


def close(database_url: str, election_id: str, *, clock: Clock | None = None) -> int:
    now = current_time(clock)
    with transaction(database_url) as session:
        r = repo.row(session, election_id, lock=True)
        e = repo.election(r)
        e.require("open", doing="close the vote")
        if now < e.closes_at:
            raise WrongState.because(election_id, f"the vote runs until {e.closes_at.isoformat()}")
        repo.append(session, election_id, "closed", {"election": r.election_hash,
                    "closed_at": now.isoformat(), "ballots": r.ballots_cast})  # fmt: skip
        r.closed_at = now
        repo.log(session, election_id, "closed", now, ballots=r.ballots_cast)
        return r.ballots_cast


def list_elections(database_url: str, election_id: str | None = None) -> list[tuple[str, str]]:
    """(id, question text) of every election, newest first, or of the one named."""
    with transaction(database_url) as session:
        return repo.elections(session, election_id)
