"""Member votes: what the CLI and the web app call to run an election against a case.

Each function opens the store, does one step of the lifecycle in one transaction, and
writes what is public to the board. Trustee key files and the credential mailing file are
written only to the paths the caller names, never to the database or a log.
"""

from __future__ import annotations

import csv
import json
import os
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import date, datetime
from fractions import Fraction
from pathlib import Path
from typing import Any

from guildhall.ballots import credentials as creds
from guildhall.ballots.ballot import Ballot, ballot_problem, encrypt_ballot
from guildhall.ballots.crypto import group
from guildhall.ballots.crypto.elgamal import total
from guildhall.ballots.crypto.trustees import TrusteeKey, ceremony, decryption_share
from guildhall.ballots.election import MAX_WINDOW_DAYS, Election
from guildhall.ballots.errors import BallotRejected, CryptoError, WrongState
from guildhall.ballots.manifest import QUESTIONS, RATIFICATION, Manifest, trustees_from_json
from guildhall.ballots.roll import read_roll
from guildhall.ballots.tally import Outcome, decrypt
from guildhall.core.clock import Clock, SystemClock
from guildhall.core.errors import Conflict, InvalidInput
from guildhall.core.problems import Location, Problem
from guildhall.core.thresholds import Threshold
from guildhall.services import cases
from guildhall.store import ballots_repo as repo
from guildhall.store.ballot_tables import ElectionRow
from guildhall.store.db import Session, store_for

_manifests: dict[tuple[str, str], tuple[Manifest, str]] = {}


@contextmanager
def _session(database_url: str) -> Iterator[Session]:
    """A transaction on the store for ``database_url``, opened and migrated once per process."""
    with store_for(database_url).session() as session:
        yield session


def _now(clock: Clock | None) -> datetime:
    return (clock or SystemClock()).now()


def _problem(what: str, field: str | None = None, hint: str | None = None) -> InvalidInput:
    return InvalidInput([Problem(Location(file="election", field=field), what, hint)])


def _rules_for(database_url: str, case_id: str | None, question: str) -> tuple[Threshold, int]:
    """The threshold and longest window: from the case's rules, or the ratification default."""
    if case_id is None:
        if question == "strike_authorization":
            raise _problem("a strike authorization must be tied to a case", "case")
        return RATIFICATION, MAX_WINDOW_DAYS
    votes = cases.rules_summary(database_url, case_id)["votes"]
    setting = votes.get(question)
    if setting is None:
        if question == "ratification":
            return RATIFICATION, MAX_WINDOW_DAYS
        raise _problem(f"the case's rules set no {question} vote", "question")
    days = setting.get("max_window_days") or MAX_WINDOW_DAYS
    return Threshold(Fraction(setting["threshold"]), setting["comparison"]), int(days)


def create(
    database_url: str,
    *,
    election_id: str,
    question: str,
    text: str,
    opens_at: datetime,
    closes_at: datetime,
    trustees: int,
    quorum: int,
    key_dir: Path,
    case_id: str | None = None,
    allow_blank: bool = False,
    clock: Clock | None = None,
) -> list[Path]:
    """A draft election; runs the trustee ceremony and writes one key file per trustee."""
    if question not in QUESTIONS:
        raise _problem(f"question must be one of {', '.join(QUESTIONS)}", "question")
    if not 1 <= quorum <= trustees:
        raise _problem(f"a quorum of {quorum} of {trustees} trustees is impossible", "quorum")
    if case_id is not None:
        cases.get_case(database_url, case_id)
    threshold, max_days = _rules_for(database_url, case_id, question)
    public, keys = ceremony(election_id, n=trustees, k=quorum)
    now = _now(clock)
    with _session(database_url) as session:
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
    return [_write_key(key_dir, key) for key in keys]


def _write_key(key_dir: Path, key: TrusteeKey) -> Path:
    key_dir.mkdir(parents=True, exist_ok=True)
    path = key_dir / f"{key.election_id}-trustee-{key.index}.json"
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as f:
        json.dump({"election": key.election_id, "trustee": key.index,
                   "secret": group.scalar_hex(key.secret)}, f)  # fmt: skip
    return path


def read_key(path: Path) -> TrusteeKey:
    try:
        data = json.loads(path.read_text())
        return TrusteeKey(str(data["election"]), int(data["trustee"]),
                          group.scalar_from_hex(data["secret"], "secret"))  # fmt: skip
    except (OSError, ValueError, KeyError, CryptoError) as exc:
        raise InvalidInput(
            [Problem(Location(file=str(path)), f"not a trustee key: {exc}")]
        ) from exc


def import_roll(
    database_url: str,
    election_id: str,
    path: Path,
    *,
    record_date: date,
    clock: Clock | None = None,
) -> tuple[int, int]:
    """Import the members eligible on ``record_date``; returns (eligible, not eligible)."""
    roll, problems = read_roll(path.read_text(encoding="utf-8"), record_date=record_date,
                               file=str(path))  # fmt: skip
    if problems:
        raise InvalidInput(problems)
    now = _now(clock)
    with _session(database_url) as session:
        r = repo.row(session, election_id, lock=True)
        repo.election(r).require("draft", doing="import a roll")
        if r.eligible:
            raise WrongState.because(election_id, "a roll is imported already")
        repo.add_roll(session, election_id, list(roll.eligible))
        r.eligible, r.record_date = len(roll.eligible), record_date
        repo.log(session, election_id, "roll_imported", now, eligible=len(roll.eligible),
                 not_eligible=roll.not_eligible, record_date=record_date.isoformat())  # fmt: skip
    return len(roll.eligible), roll.not_eligible


def manifest_of(r: ElectionRow) -> Manifest:
    e = repo.election(r)
    public = trustees_from_json(r.trustees)
    return Manifest(
        id=r.id, case=r.case_id, question=r.question, text=r.text, options=tuple(r.options),
        allow_blank=r.allow_blank, eligible=r.eligible, threshold=e.threshold,
        opens_at=e.opens_at, closes_at=e.closes_at, trustees=public,
        public_key=bytes.fromhex(r.public_key),
    )  # fmt: skip


def issue_credentials(
    database_url: str, election_id: str, mailing: Path, *, clock: Clock | None = None
) -> int:
    """Freeze the roll, issue one credential per member, publish manifest and credentials.

    The mailing file (member id, private credential) is for delivery only; destroy it
    after the credentials are delivered.
    """
    now = _now(clock)
    with _session(database_url) as session:
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
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(["member_id", "credential"])
        writer.writerows((m.member_id, m.credential) for m in mailings)


def status(database_url: str, election_id: str, *, clock: Clock | None = None) -> dict[str, Any]:
    """The lifecycle, live turnout (never a partial result) and what blocks opening."""
    now = _now(clock)
    with _session(database_url) as session:
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
    now = _now(clock)
    with _session(database_url) as session:
        r = repo.row(session, election_id)
        e = repo.election(r)
        e.require("frozen", doing="open the vote")
        blockers = e.blockers(now)
        if blockers:
            raise WrongState([Problem(Location(file=f"election {election_id}"), b)
                              for b in blockers])  # fmt: skip
    if e.case_id is not None:
        cases.add_event(
            database_url,
            e.case_id,
            _case_event(
                e,
                "vote_opened",
                now,
                {"opens_on": e.opens_at.date(), "closes_on": e.closes_at.date()},
                f"Vote {e.id} ({e.question}) opened; closes {e.closes_at.isoformat()}.",
            ),
            clock=clock,
        )
    with _session(database_url) as session:
        r = repo.row(session, election_id, lock=True)
        repo.election(r).require("frozen", doing="open the vote")
        repo.append(
            session,
            election_id,
            "opened",
            {"election": r.election_hash, "opened_at": now.isoformat()},
        )
        r.opened_at = now
        repo.log(session, election_id, "opened", now)


def _case_event(e: Election, kind: str, now: datetime, extra: dict[str, Any],
                quote: str) -> dict[str, Any]:  # fmt: skip
    return {
        "date": now.date(),
        "kind": kind,
        "summary": quote,
        "certainty": "stated",
        "sources": [{"document": f"guildhall-election:{e.id}", "quote": quote}],
        "by": "negotiating_committee",
        "vote": e.id,
        "question": e.question,
        **extra,
    }


def election_manifest(database_url: str, election_id: str) -> tuple[Manifest, str]:
    """The published manifest and election hash (they never change once published)."""
    cached = _manifests.get((database_url, election_id))
    if cached is not None:
        return cached
    with _session(database_url) as session:
        lines = repo.entries_of(session, election_id, "election")
    if not lines:
        raise WrongState.because(election_id, "the election is not published yet")
    body = json.loads(lines[0])["body"]
    manifest = Manifest.from_json(body)
    _manifests[(database_url, election_id)] = (manifest, manifest.election_hash)
    return manifest, manifest.election_hash


def prepare_ballot(database_url: str, election_id: str, credential: str, choice: str) -> Ballot:
    """What the member's device does: encrypt, prove and sign a choice."""
    manifest, election_hash = election_manifest(database_url, election_id)
    try:
        seed = creds.parse_private(credential)
        return encrypt_ballot(manifest, election_hash, seed, choice)
    except (CryptoError, ValueError) as exc:
        raise BallotRejected.because(str(exc), field="choice") from exc


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
    now = _now(clock)
    credential, ct = ballot.credential.hex(), ballot.ciphertext.a.hex() + ballot.ciphertext.b.hex()
    with _session(database_url) as session:
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
    with _session(database_url) as session:
        repo.row(session, election_id)
        return repo.tracker_seq(session, election_id, tracker)


def close(database_url: str, election_id: str, *, clock: Clock | None = None) -> int:
    now = _now(clock)
    with _session(database_url) as session:
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


def tally(
    database_url: str, election_id: str, keys: Sequence[TrusteeKey], *, clock: Clock | None = None
) -> Outcome:
    """Sum the ballots, decrypt with at least k trustees' keys, publish the result."""
    now = _now(clock)
    with _session(database_url) as session:
        r = repo.row(session, election_id, lock=True)
        repo.election(r).require("closed", doing="tally")
        manifest = manifest_of(r)
        h = r.election_hash or ""
        wrong = [k.index for k in keys if k.election_id != election_id]
        if wrong:
            raise _problem(f"keys of trustees {wrong} belong to another election", "keys")
        if len({k.index for k in keys}) < manifest.trustees.k:
            raise _problem(f"{manifest.trustees.k} trustees' keys are needed", "keys")
        ballots = [Ballot.from_json(json.loads(line)["body"]["ballot"],
                                    choices=len(manifest.values))
                   for line in repo.entries_of(session, election_id, "ballot")]  # fmt: skip
        encrypted = total(b.ciphertext for b in ballots)
        shares = [decryption_share(k, context=bytes.fromhex(h), a=encrypted.a) for k in keys]
        try:
            outcome = decrypt(manifest, h, encrypted, shares, len(ballots))
        except ValueError as exc:
            raise _problem(str(exc), "keys") from exc
        repo.append(session, election_id, "tally", {"election": h, "ballots": len(ballots),
                    "ciphertext": encrypted.as_json()})  # fmt: skip
        for share in shares:
            repo.append(session, election_id, "decryption", {"election": h, **share.as_json()})
        repo.append(session, election_id, "result", outcome.as_body(h))
        r.result, r.tallied_at = _result_json(r, outcome), now
        repo.log(session, election_id, "tallied", now, trustees=[k.index for k in keys])
    return outcome


def _result_json(r: ElectionRow, outcome: Outcome) -> dict[str, Any]:
    return {
        "election": r.id,
        "question": r.question,
        **outcome.counts,
        "blank": outcome.blank,
        "votes": outcome.votes,
        "cast": outcome.cast,
        "eligible": outcome.eligible,
        "threshold": {"ratio": r.threshold, "comparison": r.comparison},
        "passed": outcome.passed,
    }


def certify(database_url: str, election_id: str, *, clock: Clock | None = None) -> dict[str, Any]:
    """Certify the tallied result and record it on the case as ``vote_closed``."""
    now = _now(clock)
    with _session(database_url) as session:
        r = repo.row(session, election_id)
        e = repo.election(r)
        e.require("tallied", doing="certify")
        result = dict(r.result or {})
    if e.case_id is not None:
        cases.add_event(database_url, e.case_id, _case_event(e, "vote_closed", now, {
            "yes": result["yes"], "no": result["no"], "blank": result["blank"],
            "eligible": result["eligible"], "passed": result["passed"]},
            f"Vote {e.id} ({e.question}): {result['yes']} yes, {result['no']} no, "
            f"{result['blank']} blank of {result['eligible']} eligible; "
            f"{'passed' if result['passed'] else 'failed'}."), clock=clock)  # fmt: skip
    with _session(database_url) as session:
        r = repo.row(session, election_id, lock=True)
        repo.election(r).require("tallied", doing="certify")
        result_hash = json.loads(repo.entries_of(session, election_id, "result")[-1])["hash"]
        repo.append(session, election_id, "certified", {"election": r.election_hash,
                    "certified_at": now.isoformat(), "result": result_hash})  # fmt: skip
        r.certified_at = now
        repo.log(session, election_id, "certified", now)
    return result


def result(database_url: str, election_id: str) -> dict[str, Any]:
    with _session(database_url) as session:
        r = repo.row(session, election_id)
        if r.result is None:
            raise WrongState.because(election_id, "there is no result before the tally",
                                     "turnout is shown by `ballots show`")  # fmt: skip
        return {**r.result, "certified": r.certified_at is not None}


def board_lines(database_url: str, election_id: str) -> list[str]:
    with _session(database_url) as session:
        repo.row(session, election_id)
        return repo.board_lines(session, election_id)


def list_elections(database_url: str, election_id: str | None = None) -> list[tuple[str, str]]:
    """(id, question text) of every election, newest first, or of the one named."""
    with _session(database_url) as session:
        return repo.elections(session, election_id)
