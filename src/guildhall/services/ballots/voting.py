"""Running a vote: its status and live turnout, opening, casting, tracking, closing."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from guildhall.ballots import credentials as creds
from guildhall.ballots import identity
from guildhall.ballots.ballot import (
    Ballot,
    audit_problem,
    ballot_problem,
    encrypt_ballot_for_audit,
    spoiled_body,
)
from guildhall.ballots.crypto.group import scalar_from_hex, scalar_hex
from guildhall.ballots.errors import BallotRejected, CryptoError, WrongState
from guildhall.ballots.manifest import Manifest
from guildhall.core.clock import Clock
from guildhall.core.problems import Location, Problem
from guildhall.services import cases
from guildhall.services.ballots import identities
from guildhall.services.ballots._common import (
    RECORDED_BY,
    current_time,
    election_manifest,
    opened_event,
    opening_refusals,
    transaction,
)
from guildhall.services.ballots.election_file import read_election_file
from guildhall.services.ballots.files import problem as problem_at
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
            "credentials_issued": r.credentials_issued,
            "threshold": {"ratio": r.threshold, "comparison": r.comparison},
            "opens_at": e.opens_at, "closes_at": e.closes_at,
            "timestamps": {k: getattr(e, k) for k in (
                "created_at", "frozen_at", "opened_at", "closed_at", "tallied_at",
                "certified_at")},
            "blocks_opening": (e.blockers(now) + opening_refusals(session, e, now)
                               if e.state in ("draft", "frozen") else []),
        }  # fmt: skip


def open_election(
    database_url: str,
    election_id: str,
    *,
    recorded_by: str = RECORDED_BY,
    clock: Clock | None = None,
) -> None:
    """Open the vote; for a case, the case's rules must allow its ``vote_opened`` event, and
    the event and the opening are written in one transaction. ``recorded_by`` is who the
    case record says recorded the event (the signed-in account, from the web app)."""
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
            cases.add_event_in(session, e.case_id, opened_event(e, now), recorded_by=recorded_by,
                               clock=clock)  # fmt: skip
        repo.append(
            session,
            election_id,
            "opened",
            {"election": r.election_hash, "opened_at": now.isoformat()},
        )
        r.opened_at = now
        repo.log(session, election_id, "opened", now)


def prepare_ballot(database_url: str, election_id: str, credential: str, choice: str) -> Ballot:
    """Encrypt, prove and sign a choice with the election as the server published it (for
    ``cast --credential``; a member's own device uses ``encrypt_from_file``)."""
    manifest, election_hash = election_manifest(database_url, election_id)
    return _encrypted(manifest, election_hash, credential, choice)[0]


def encrypt_from_file(
    election_path: Path, credential: str, choice: str, record_path: Path | None = None
) -> Ballot:
    """What the member's device does, from the published election file alone: encrypt,
    prove and sign a choice. With ``record_path``, the audit record (the choice and the
    encryption's randomness; private, never over an existing file) is written too: with it
    anyone can check the ballot holds the choice (``audit_from_file``). An audited ballot
    is spoiled: the member encrypts again to vote."""
    if record_path is not None:
        refuse_existing(record_path)
    manifest, election_hash = read_election_file(election_path)
    ballot, r = _encrypted(manifest, election_hash, credential, choice)
    if record_path is not None:
        record = {"election": ballot.election, "tracker": ballot.tracker, "choice": choice,
                  "randomness": scalar_hex(r)}  # fmt: skip
        write_new(record_path, record, private=True)
    return ballot


def _encrypted(
    manifest: Manifest, election_hash: str, credential: str, choice: str
) -> tuple[Ballot, int]:
    try:
        seed = creds.parse_private(credential)
        return encrypt_ballot_for_audit(manifest, election_hash, seed, choice)
    except (CryptoError, ValueError) as exc:
        raise BallotRejected.because(str(exc), field="choice") from exc


def _opened(
    manifest: Manifest, election_hash: str, ballot_json: Any, record: Any
) -> tuple[Ballot, str, int, str | None]:
    """(ballot, recorded choice, revealed randomness, what is wrong or ``None``)."""
    if not isinstance(record, dict) or record.get("election") != election_hash:
        raise BallotRejected.because("the audit record is for another election", field="record")
    try:
        ballot = Ballot.from_json(ballot_json, choices=len(manifest.values))
        r = scalar_from_hex(record.get("randomness"), "randomness")
    except CryptoError as exc:
        raise BallotRejected.because(str(exc)) from exc
    choice = str(record.get("choice"))
    if record.get("tracker") != ballot.tracker:
        return ballot, choice, r, "the audit record was made for another ballot"
    problem = audit_problem(ballot, manifest=manifest, election_hash=election_hash,
                            choice=choice, r=r)  # fmt: skip
    return ballot, choice, r, problem


def audit_from_file(
    election_path: Path, ballot_path: Path, record_path: Path
) -> tuple[str, str | None]:
    """On any machine, from the published election file: the choice an audit record says
    a ballot holds, and what is wrong (``None`` if nothing)."""
    ballot_json, record = read_json(ballot_path), read_json(record_path)
    manifest, election_hash = read_election_file(election_path)
    _ballot, choice, _r, problem = _opened(manifest, election_hash, ballot_json, record)
    return choice, problem


def spoil(
    database_url: str, election_id: str, ballot_json: Any, record: Any,
    *, clock: Clock | None = None,
) -> int:  # fmt: skip
    """Publish an audited ballot as spoiled, with its revealed randomness; from then on
    ``cast`` refuses it. Returns its board position."""
    manifest, election_hash = election_manifest(database_url, election_id)
    ballot, choice, r, problem = _opened(manifest, election_hash, ballot_json, record)
    if problem is not None:
        raise BallotRejected.because(problem, field="record")
    now = current_time(clock)
    ct = ballot.ciphertext.a.hex() + ballot.ciphertext.b.hex()
    with transaction(database_url) as session:
        row = repo.row(session, election_id, lock=True)
        if not repo.election(row).is_accepting(now):
            raise WrongState.because(election_id, "the election is not open")
        if not repo.has_credential(session, election_id, ballot.credential.hex()):
            raise BallotRejected.because("the credential is not on this election's list",
                                         field="credential")  # fmt: skip
        cast_at = repo.cast_seq(session, election_id, ct)
        if cast_at is not None:
            raise BallotRejected.because(f"this ballot was cast (seq {cast_at}); a cast ballot "
                                         "is never opened")  # fmt: skip
        entry = repo.append(session, election_id, "spoiled", spoiled_body(ballot, choice, r))
        repo.add_spoiled(session, election_id, ciphertext=ct, board_seq=entry.seq)
    return entry.seq


def checkpoint(
    database_url: str, election_id: str, *, board_key: Path, out: Path,
    clock: Clock | None = None,
) -> dict[str, Any]:  # fmt: skip
    """The board's head signed with the server's board key: whoever keeps it can later
    prove the board was rewritten (``ballots verify --checkpoint``). Written to ``out``."""
    refuse_existing(out)
    data = signed_checkpoint(database_url, election_id, board_key=board_key, clock=clock)
    write_new(out, data, private=False)
    return data


def signed_checkpoint(
    database_url: str, election_id: str, *, board_key: Path, clock: Clock | None = None
) -> dict[str, Any]:
    """The signed checkpoint of the board's head, as data (the web app hands it out as a
    download); nothing is written."""
    seed = identities.read_private(board_key)
    now = current_time(clock)
    with transaction(database_url) as session:
        r = repo.row(session, election_id)
        if r.election_hash is None:
            raise WrongState.because(election_id, "the election is not published yet")
        if identity.public_of(seed).hex() != r.board_key:
            raise problem_at(board_key, "this is not the board key named in the manifest")
        last = repo.last_entry(session, election_id)
        assert last is not None
        data: dict[str, Any] = {"election": r.election_hash, "seq": last.seq, "head": last.hash,
                                "at": now.isoformat()}  # fmt: skip
    data["signature"] = identity.sign(identity.TAG_CHECKPOINT, seed, data)
    return data


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
        spoiled_at = repo.spoiled_seq(session, election_id, ct)
        if spoiled_at is not None:
            raise BallotRejected.because(
                f"this ballot was audited and published as spoiled (seq {spoiled_at}): its "
                "choice is public; encrypt again to vote", field="ballot",
            )  # fmt: skip
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
