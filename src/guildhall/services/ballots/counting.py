"""Counting a vote: the homomorphic tally, certification onto the case, the result, the board."""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from guildhall.ballots import identity
from guildhall.ballots.ballot import Ballot
from guildhall.ballots.crypto.elgamal import total
from guildhall.ballots.crypto.trustees import DecryptionShare, TrusteeKey, decryption_share
from guildhall.ballots.errors import CryptoError, WrongState
from guildhall.ballots.tally import Outcome, decrypt
from guildhall.ballots.trustee_steps import (
    decryption_share_from_json,
    share_anchor_problem,
    signed_share,
)
from guildhall.core.clock import Clock
from guildhall.core.errors import InvalidInput
from guildhall.core.problems import Location, Problem
from guildhall.services import cases
from guildhall.services.ballots import identities
from guildhall.services.ballots._common import (
    RECORDED_BY,
    case_event,
    current_time,
    input_problem,
    manifest_of,
    transaction,
)
from guildhall.store import ballots_repo as repo
from guildhall.store.ballot_tables import ElectionRow


def tally(
    database_url: str,
    election_id: str,
    keys: Sequence[TrusteeKey] = (),
    *,
    shares: Sequence[tuple[Path, Any]] = (),
    clock: Clock | None = None,
) -> Outcome:
    """Sum the ballots, decrypt the total with at least k trustees, publish the result.

    ``shares``: decryption shares the trustees made on their own machines from the board
    (``services.ballots.trustee.decrypt``), each with the file it came from; every one is
    checked against this total and its trustee's verification key. ``keys``: the trustees'
    key files themselves, for a vote whose trustees share this machine."""
    now = current_time(clock)
    with transaction(database_url) as session:
        r = repo.row(session, election_id, lock=True)
        repo.election(r).require("closed", doing="tally")
        manifest = manifest_of(r)
        h = r.election_hash or ""
        wrong = [k.index for k in keys if k.election_id != election_id]
        if wrong:
            raise input_problem(f"keys of trustees {wrong} belong to another election", "keys")
        ballots = [Ballot.from_json(json.loads(line)["body"]["ballot"],
                                    choices=len(manifest.values))
                   for line in repo.entries_of(session, election_id, "ballot")]  # fmt: skip
        encrypted = total(b.ciphertext for b in ballots)
        head = json.loads(repo.entries_of(session, election_id, "closed")[-1])["hash"]
        bodies: list[dict[str, Any]] = []
        made: list[DecryptionShare] = []
        for k in keys:
            if k.identity_seed is None:
                raise input_problem(
                    f"trustee {k.index}'s key file carries no identity to sign "
                    "its share with: it decrypts with `trustee decrypt`",
                    "keys",
                )
            share = decryption_share(k, context=bytes.fromhex(h), a=encrypted.a)
            try:
                bodies.append(signed_share(share, h, head, k.identity_seed, manifest))
            except CryptoError as exc:
                raise input_problem(str(exc), "keys") from exc
            made.append(share)
        for path, data in shares:
            share = _handed_in(path, data, h, encrypted.a)
            body = {k: v for k, v in data.items() if k != "a"}
            problem = share_anchor_problem(body, manifest, head)
            if problem is not None:
                raise InvalidInput([Problem(Location(file=str(path)), problem)])
            made.append(share)
            bodies.append(body)
        if len({s.trustee for s in made}) < manifest.trustees.k:
            raise input_problem(f"{manifest.trustees.k} trustees' shares are needed", "keys")
        try:
            outcome = decrypt(manifest, h, encrypted, made, len(ballots))
        except ValueError as exc:
            raise input_problem(str(exc), "keys") from exc
        repo.append(session, election_id, "tally", {"election": h, "ballots": len(ballots),
                    "ciphertext": encrypted.as_json()})  # fmt: skip
        for body in bodies:
            repo.append(session, election_id, "decryption", body)
        repo.append(session, election_id, "result", outcome.as_body(h))
        r.result, r.tallied_at = _result_json(r, outcome), now
        repo.log(session, election_id, "tallied", now, trustees=[s.trustee for s in made])
    return outcome


def _handed_in(path: Path, data: Any, election_hash: str, a: bytes) -> DecryptionShare:
    try:
        return decryption_share_from_json(data, election_hash=election_hash, a=a)
    except CryptoError as exc:
        raise InvalidInput([Problem(Location(file=str(path)), str(exc))]) from exc


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


def certify(
    database_url: str,
    election_id: str,
    *,
    board_key: Path,
    recorded_by: str = RECORDED_BY,
    clock: Clock | None = None,
) -> dict[str, Any]:
    """Certify the tallied result, signed with the server's board key, and record it on the
    case as ``vote_closed``, in one transaction: the case's rules must allow the event, or
    nothing is certified. ``recorded_by`` is who the case record says recorded it."""
    now = current_time(clock)
    seed = identities.read_private(board_key)
    with transaction(database_url) as session:
        r = repo.row(session, election_id, lock=True)
        if identity.public_of(seed).hex() != r.board_key:
            raise input_problem("this is not the board key named in the manifest", "board-key")
        e = repo.election(r)
        e.require("tallied", doing="certify")
        result = dict(r.result or {})
        if e.case_id is not None:
            cases.add_event_in(session, e.case_id, case_event(e, "vote_closed", now, {
                "yes": result["yes"], "no": result["no"], "blank": result["blank"],
                "eligible": result["eligible"], "passed": result["passed"]},
                f"Vote {e.id} ({e.question}): {result['yes']} yes, {result['no']} no, "
                f"{result['blank']} blank of {result['eligible']} eligible; "
                f"{'passed' if result['passed'] else 'failed'}."), recorded_by=recorded_by,
                clock=clock)  # fmt: skip
        result_hash = json.loads(repo.entries_of(session, election_id, "result")[-1])["hash"]
        body: dict[str, Any] = {"election": r.election_hash, "certified_at": now.isoformat(),
                                "result": result_hash}  # fmt: skip
        body["signature"] = identity.sign(identity.TAG_CERTIFIED, seed, body)
        repo.append(session, election_id, "certified", body)
        r.certified_at = now
        repo.log(session, election_id, "certified", now)
    return result


def result(database_url: str, election_id: str) -> dict[str, Any]:
    with transaction(database_url) as session:
        r = repo.row(session, election_id)
        if r.result is None:
            raise WrongState.because(election_id, "there is no result before the tally",
                                     "turnout is shown by `ballots show`")  # fmt: skip
        return {**r.result, "certified": r.certified_at is not None}


def board_lines(database_url: str, election_id: str) -> list[str]:
    with transaction(database_url) as session:
        repo.row(session, election_id)
        return repo.board_lines(session, election_id)
