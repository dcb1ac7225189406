"""The verifier passes an honest board and catches every kind of tampering, naming where."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest

from guildhall.ballots import credentials
from guildhall.ballots.board import entry_hash
from guildhall.ballots.crypto import elgamal, group
from guildhall.ballots.crypto.proofs import prove_choice
from guildhall.ballots.verify import verify_lines


def _board(election: Callable[..., Any]) -> Any:
    return election(["yes", "yes", "no", "yes", "no", "yes"], eligible=8)


def _rehash(entry: dict[str, Any]) -> bytes:
    entry["hash"] = entry_hash(entry["seq"], entry["prev"], entry["kind"], entry["body"])
    return json.dumps(entry).encode()


def _failures(lines: list[bytes], workers: int = 1) -> list[str]:
    return [str(f) for f in verify_lines(lines, workers=workers).failures]


def test_an_honest_board_verifies_on_two_workers(election: Callable[..., Any]) -> None:
    run = _board(election)
    report = verify_lines(run.lines(), workers=2)
    assert report.is_valid, report.failures
    assert report.result is not None and report.result["counts"] == {"yes": 4, "no": 2}


def test_a_changed_ballot_breaks_the_chain_and_its_signature(election: Callable[..., Any]) -> None:
    lines = _board(election).lines()
    entry = json.loads(lines[4])
    ct = entry["body"]["ballot"]["ciphertext"]
    ct["a"], ct["b"] = ct["b"], ct["a"]
    lines[4] = json.dumps(entry).encode()
    failures = _failures(lines)
    assert any(f.startswith("line 5 (seq 4, ballot): its hash does not match") for f in failures)
    assert any("line 5" in f and "tracker is not the hash" in f for f in failures)


def test_a_changed_ballot_with_a_recomputed_hash_still_fails(election: Callable[..., Any]) -> None:
    lines = _board(election).lines()
    entry = json.loads(lines[4])
    entry["body"]["ballot"]["proof"]["s"][0] = group.scalar_hex(12345)
    entry["body"]["tracker"] = __import__(
        "guildhall.ballots.crypto.hashing", fromlist=["h256"]
    ).h256(entry["body"]["ballot"])
    lines[4] = _rehash(entry)
    failures = _failures(lines)
    assert any("line 5" in f and "signature" in f for f in failures)
    assert any("line 6" in f and "does not link" in f for f in failures)


def test_a_dropped_ballot_is_caught(election: Callable[..., Any]) -> None:
    lines = _board(election).lines()
    del lines[5]
    failures = _failures(lines)
    assert any("line 6" in f and "out of sequence" in f for f in failures)
    assert any("says 6 ballots; the board holds 5" in f for f in failures)
    assert any("not the sum of the valid ballots" in f for f in failures)


def test_an_added_ballot_from_a_stranger_is_caught(election: Callable[..., Any]) -> None:
    run = _board(election)
    lines = run.lines()
    stranger = credentials.issue(["x"])
    seed = credentials.parse_private(stranger.mailings[0].credential)
    from guildhall.ballots.ballot import encrypt_ballot

    ballot = encrypt_ballot(run.manifest, run.election_hash, seed, "yes")
    prev = json.loads(lines[8])
    entry = {"seq": 9, "prev": prev["hash"], "kind": "ballot",
             "body": {"ballot": ballot.as_json(), "tracker": ballot.tracker}}  # fmt: skip
    lines.insert(9, _rehash(entry))
    failures = _failures(lines)
    assert any("line 10" in f and "not on the published list" in f for f in failures)


def test_a_replayed_ballot_is_a_double_vote(election: Callable[..., Any]) -> None:
    lines = _board(election).lines()
    replay = json.loads(lines[3])
    prev = json.loads(lines[8])
    replay["seq"], replay["prev"] = 9, prev["hash"]
    lines.insert(9, _rehash(replay))
    failures = _failures(lines, workers=2)
    assert any("line 10" in f and "double vote" in f and "line 4" in f for f in failures)
    assert any("line 10" in f and "replayed ballot" in f for f in failures)


def test_a_ballot_worth_two_votes_is_refused(election: Callable[..., Any]) -> None:
    run = _board(election)
    seed = bytes(32)
    ct, r = elgamal.encrypt(run.manifest.public_key, 2)
    proof = prove_choice(
        context=bytes.fromhex(run.election_hash), key=run.manifest.public_key,
        credential=credentials.public_of(seed), ciphertext=ct, nonce_used=r,
        values=run.manifest.values, index=0,
    )  # fmt: skip
    from guildhall.ballots.ballot import Ballot, ballot_problem, signed_bytes

    unsigned = Ballot(run.election_hash, credentials.public_of(seed), ct, proof, b"")
    ballot = Ballot(unsigned.election, unsigned.credential, ct, proof,
                    credentials.sign(seed, signed_bytes(unsigned.unsigned_json())))  # fmt: skip
    problem = ballot_problem(ballot, election_hash=run.election_hash,
                             key=run.manifest.public_key, values=run.manifest.values)  # fmt: skip
    assert problem is not None and "allowed choice" in problem


@pytest.mark.parametrize("field", ["yes", "passed", "total"])
def test_a_changed_result_is_caught(election: Callable[..., Any], field: str) -> None:
    lines = _board(election).lines()
    entry = json.loads(lines[-1])
    if field == "yes":
        entry["body"]["counts"]["yes"] += 1
    elif field == "passed":
        entry["body"]["passed"] = not entry["body"]["passed"]
    else:
        entry["body"]["total"] += 1
    lines[-1] = _rehash(entry)
    failures = _failures(lines)
    assert any(f"line {len(lines)} (seq {len(lines) - 1}, result)" in f for f in failures)


def test_a_forged_decryption_share_is_caught(election: Callable[..., Any]) -> None:
    lines = _board(election).lines()
    index = next(i for i, ln in enumerate(lines) if b'"decryption"' in ln)
    entry = json.loads(lines[index])
    entry["body"]["share"] = group.base_mul(99).hex()
    lines[index] = _rehash(entry)
    failures = _failures(lines)
    assert any(f"line {index + 1}" in f and "decryption proof" in f for f in failures)


def test_a_wrong_tally_is_caught(election: Callable[..., Any]) -> None:
    lines = _board(election).lines()
    index = next(i for i, ln in enumerate(lines) if b'"tally"' in ln)
    entry = json.loads(lines[index])
    entry["body"]["ciphertext"]["b"] = group.base_mul(7).hex()
    lines[index] = _rehash(entry)
    assert any(f"line {index + 1}" in f and "sum of the valid" in f for f in _failures(lines))


def test_reordered_entries_are_caught(election: Callable[..., Any]) -> None:
    lines = _board(election).lines()
    lines[4], lines[5] = lines[5], lines[4]
    assert any("out of sequence" in f for f in _failures(lines))
