"""The verifier passes an honest board and catches every kind of tampering, naming the line,
seq, kind and field."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest
from ballot_boards import RULES, Run, edit, failures, index_of, rechain, verify

from guildhall.ballots import credentials, identity
from guildhall.ballots.ballot import Ballot, ballot_problem, encrypt_ballot, signed_bytes
from guildhall.ballots.crypto import elgamal, group
from guildhall.ballots.crypto.hashing import h256
from guildhall.ballots.crypto.proofs import prove_choice
from guildhall.ballots.verify import RulesReference, verify_lines


def _board(election: Callable[..., Run], **options: Any) -> Run:
    return election(["yes", "yes", "no", "yes", "no", "yes"], eligible=8, **options)


def _first(lines: list[bytes], **options: Any) -> str:
    found = failures(lines, **options)
    assert found, "the board verified"
    return found[0]


def test_an_honest_board_verifies_on_two_workers(election: Callable[..., Run]) -> None:
    run = _board(election, spoil=2)
    report = verify_lines(run.lines(), workers=2, rules=RULES)
    assert report.is_valid, report.failures
    assert report.result is not None and report.result["counts"] == {"yes": 4, "no": 2}
    assert (report.ballots, report.spoiled, report.certified) == (6, 2, True)


def test_a_changed_ballot_breaks_the_chain_and_its_tracker(election: Callable[..., Run]) -> None:
    lines = _board(election).lines()
    entry = json.loads(lines[4])
    ct = entry["body"]["ballot"]["ciphertext"]
    ct["a"], ct["b"] = ct["b"], ct["a"]
    lines[4] = json.dumps(entry).encode()
    found = failures(lines)
    assert found[0].startswith("line 5 (seq 4, ballot) field ballot.proof: the proof that")
    assert any(f.startswith("line 5 (seq 4, ballot) field hash: does not match") for f in found)


def test_a_changed_ballot_with_a_recomputed_hash_still_fails(election: Callable[..., Run]) -> None:
    def change(body: dict[str, Any]) -> None:
        body["ballot"]["proof"]["s"][0] = group.scalar_hex(12345)
        body["tracker"] = h256(body["ballot"])

    lines = edit(_board(election).lines(), 4, change)
    assert _first(lines).startswith("line 5 (seq 4, ballot) field ballot.proof:")


def test_a_dropped_ballot_is_caught(election: Callable[..., Run]) -> None:
    lines = _board(election).lines()
    del lines[5]
    found = failures(lines)
    assert any("line 6" in f and "out of sequence" in f for f in found)
    assert any("field ballots: says 6 ballots; the board holds 5" in f for f in found)
    assert any("is not the sum of the ballots" in f for f in found)


def test_a_ballot_dropped_after_close_and_rechained_is_caught_by_the_anchor(
    election: Callable[..., Run],
) -> None:
    """The server drops a ballot, re-chains the board and recomputes the counts: the
    trustees signed the hash of the closed board, which no longer exists."""
    lines = _board(election).lines()
    del lines[4]
    lines = edit(rechain(lines, 4), index_of(lines, "closed"), lambda b: b.update(ballots=5))
    found = failures(lines)
    assert any("(seq 11, decryption) field head: not the hash of this board's closed entry" in f
               for f in found)  # fmt: skip


def test_ballots_reordered_and_rechained_after_close_are_caught(
    election: Callable[..., Run],
) -> None:
    lines = _board(election).lines()
    lines[4], lines[5] = lines[5], lines[4]
    found = failures(rechain(lines))
    anchors = [f for f in found if not f.startswith("board")]
    assert len(anchors) == 2 and all(
        "field head: not the hash of this board's closed entry" in f for f in anchors
    )  # each trustee's signed head
    assert found[2] == "board field decryption: 0 valid decryption shares; 2 are needed"


def test_an_added_ballot_from_a_stranger_is_caught(election: Callable[..., Run]) -> None:
    run = _board(election)
    seed = identity.new_seed()
    ballot = encrypt_ballot(run.manifest, run.election_hash, seed, "yes")
    entries = [json.loads(ln) for ln in run.lines()]
    entries.insert(9, {"seq": 0, "prev": "", "kind": "ballot", "hash": "",
                       "body": {"ballot": ballot.as_json(),
                                "tracker": ballot.tracker}})  # fmt: skip
    lines = rechain([json.dumps(e).encode() for e in entries])
    assert _first(lines) == ("line 10 (seq 9, ballot) field ballot.credential: is not on the "
                             "published credential list")  # fmt: skip


def test_a_replayed_ballot_is_a_double_vote(election: Callable[..., Run]) -> None:
    lines = _board(election).lines()
    lines.insert(9, lines[3])
    found = failures(rechain(lines), workers=2)
    assert any("line 10" in f and "double vote" in f and "line 4" in f for f in found)
    assert any("line 10" in f and "replayed ballot" in f for f in found)


def test_a_ballot_worth_two_votes_is_refused(election: Callable[..., Run]) -> None:
    run = _board(election)
    seed = bytes(32)
    ct, r = elgamal.encrypt(run.manifest.public_key, 2)
    proof = prove_choice(
        context=bytes.fromhex(run.election_hash), key=run.manifest.public_key,
        credential=credentials.public_of(seed), ciphertext=ct, nonce_used=r,
        values=run.manifest.values, index=0,
    )  # fmt: skip
    unsigned = Ballot(run.election_hash, credentials.public_of(seed), ct, proof, b"")
    ballot = Ballot(unsigned.election, unsigned.credential, ct, proof,
                    credentials.sign(seed, signed_bytes(unsigned.unsigned_json())))  # fmt: skip
    problem = ballot_problem(ballot, election_hash=run.election_hash,
                             key=run.manifest.public_key, values=run.manifest.values)  # fmt: skip
    assert problem is not None and "allowed choice" in problem


@pytest.mark.parametrize(
    ("change", "field"),
    [
        (lambda b: b["counts"].update(yes=b["counts"]["yes"] + 1), "counts.yes"),
        (lambda b: b.update(passed=not b["passed"]), "passed"),
        (lambda b: b.update(total=b["total"] + 1), "total"),
        (lambda b: b.update(passed=1), "passed"),
        (lambda b: b.update(cast="6"), "cast"),
    ],
)
def test_a_changed_result_names_its_field(
    election: Callable[..., Run], change: Callable[[dict[str, Any]], None], field: str
) -> None:
    lines = _board(election, certify=False).lines()
    lines = edit(lines, len(lines) - 1, change)
    assert _first(lines).startswith(f"line {len(lines)} (seq {len(lines) - 1}, result) "
                                    f"field {field}:")  # fmt: skip


def test_a_forged_decryption_share_is_caught(election: Callable[..., Run]) -> None:
    lines = _board(election).lines()
    index = index_of(lines, "decryption")
    lines = edit(lines, index, lambda b: b.update(share=group.base_mul(99).hex()))
    assert _first(lines).startswith(f"line {index + 1} (seq {index}, decryption) field signature:")


@pytest.mark.parametrize("trustee", [True, "1", 0, 4])
def test_a_decryption_trustee_that_is_not_a_trustee_number(
    election: Callable[..., Run], trustee: object
) -> None:
    lines = _board(election).lines()
    index = index_of(lines, "decryption")
    lines = edit(lines, index, lambda b: b.update(trustee=trustee))
    assert f"(seq {index}, decryption) field trustee:" in _first(lines)


def test_a_wrong_tally_is_caught(election: Callable[..., Run]) -> None:
    lines = _board(election).lines()
    index = index_of(lines, "tally")
    lines = edit(lines, index, lambda b: b["ciphertext"].update(b=group.base_mul(7).hex()))
    assert _first(lines) == (f"line {index + 1} (seq {index}, tally) field ciphertext: is not "
                             "the sum of the ballots on the board")  # fmt: skip


def test_an_invalid_ballot_is_named_and_not_blamed_on_the_tally(
    election: Callable[..., Run],
) -> None:
    lines = edit(_board(election).lines(), 4,
                 lambda b: b["ballot"].update(signature="00" * 64))  # fmt: skip
    found = failures(lines)
    assert found[0].startswith("line 5 (seq 4, ballot) field ballot.signature:")
    assert not any("is not the sum" in f for f in found)


def test_reordered_entries_are_caught(election: Callable[..., Run]) -> None:
    lines = _board(election).lines()
    lines[4], lines[5] = lines[5], lines[4]
    assert any("out of sequence" in f for f in failures(lines))


def test_a_spoiled_ballot_that_was_counted_is_caught(election: Callable[..., Run]) -> None:
    """The server casts the ballot a member audited (its choice is public)."""
    run = _board(election, spoil=1)
    lines = run.lines()
    spoiled = json.loads(lines[3])["body"]
    entries = [json.loads(ln) for ln in lines]
    cast_index = next(
        i
        for i, e in enumerate(entries)
        if e["kind"] == "ballot"
        and e["body"]["ballot"]["credential"] == spoiled["ballot"]["credential"]
    )
    entries[cast_index]["body"] = {"ballot": spoiled["ballot"], "tracker": spoiled["tracker"]}
    found = failures(rechain([json.dumps(e).encode() for e in entries]))
    assert any(f"line {cast_index + 1}" in f and "a spoiled ballot was counted" in f
               for f in found)  # fmt: skip


def test_a_spoiled_ballot_must_open_to_its_choice(election: Callable[..., Run]) -> None:
    lines = _board(election, spoil=1).lines()
    assert _first(edit(lines, 3, lambda b: b.update(choice="no"))).startswith(
        "line 4 (seq 3, spoiled) field choice: the ballot does not encrypt 'no'"
    )
    other = group.scalar_hex(12345)
    assert _first(edit(lines, 3, lambda b: b.update(randomness=other))).startswith(
        "line 4 (seq 3, spoiled) field randomness:"
    )


@pytest.mark.parametrize(
    ("change", "field"),
    [
        (lambda m: m.update(public_key="00" * 33), "public_key"),
        (lambda m: m["threshold"].update(ratio="0/1"), "threshold.ratio"),
        (lambda m: m["threshold"].update(ratio="5/4"), "threshold.ratio"),
        (lambda m: m["threshold"].update(ratio="6/8"), "threshold.ratio"),
        (lambda m: m["trustees"].update(k=4), "trustees.k"),
        (lambda m: m["trustees"].update(n=True), "trustees.n"),
        (lambda m: m.update(opens_at="yesterday"), "opens_at"),
        (lambda m: m.update(eligible="8"), "eligible"),
        (lambda m: m.update(motion="no"), "motion"),
        (lambda m: m.update(options=["yes", "maybe"]), "options"),
        (lambda m: m.update(authority="ff" * 32), "authority"),
        (lambda m: m.update(board_key="00" * 32), "board_key"),
        (lambda m: m["trustees"]["identities"].__setitem__(0, "ff" * 32), "trustees.identities[0]"),
        (lambda m: m.update(extra=1), "extra"),
        (lambda m: m.pop("record_date"), "record_date"),
    ],
)
def test_a_malformed_manifest_names_its_field(
    election: Callable[..., Run], change: Callable[[dict[str, Any]], None], field: str
) -> None:
    lines = edit(_board(election).lines(), 0, change)
    assert _first(lines).startswith(f"line 1 (seq 0, election) field {field}:")


def test_a_ratification_is_decided_by_a_simple_majority(election: Callable[..., Run]) -> None:
    lines = _board(election, question="ratification").lines()
    assert verify(lines).is_valid
    lines = edit(lines, 0, lambda m: m["threshold"].update(ratio="3/4"))
    assert _first(lines) == ("line 1 (seq 0, election) field threshold: a ratification is "
                             "decided by a simple majority (1/2, more_than)")  # fmt: skip


def test_a_strike_rule_is_checked_against_the_rules_file(election: Callable[..., Run]) -> None:
    lines = _board(election).lines()
    # Without the rules file a strike authorization does not verify.
    assert _first(lines, rules=None).startswith("line 1 (seq 0, election) field threshold:")
    # A rule other than the file's, or another file.
    laxer = edit(lines, 0, lambda m: m["threshold"].update(ratio="2/3"))
    assert "the rules file decides a strike_authorization by 3/4 at_least" in _first(laxer)
    other = RulesReference("ab" * 32, RULES.votes)
    assert _first(lines, rules=other).startswith(
        "line 1 (seq 0, election) field threshold.rules_sha256:"
    )


def test_inverted_options_cannot_invert_the_outcome(election: Callable[..., Run]) -> None:
    """The administrator lists the options as no, yes before the vote: the manifest names
    yes as the motion, so the count of yes decides, and a manifest making no the motion is
    refused."""
    run = _board(election)
    entries = [json.loads(ln) for ln in run.lines()]
    manifest = entries[0]["body"]
    manifest["options"] = ["no", "yes"]
    from guildhall.ballots.manifest import Manifest
    from guildhall.ballots.tally import outcome

    inverted = Manifest.from_json(manifest)
    out = outcome(inverted, inverted.radix**1 * 5 + 1, 6)
    assert out.counts == {"no": 1, "yes": 5} and out.passed is True
    manifest["motion"] = "no"
    with pytest.raises(ValueError, match="motion"):
        Manifest.from_json(manifest)


@pytest.mark.parametrize("credential", ["ff" * 32, "00" * 32])
def test_a_junk_credential_is_refused(election: Callable[..., Run], credential: str) -> None:
    run = _board(election)
    body = json.loads(run.lines()[1])["body"]
    creds = sorted([*body["credentials"][:-1], credential])
    signed = credentials.signed_list(run.election_hash, [bytes.fromhex(c) for c in creds],
                                     run.authority_seed)  # fmt: skip
    lines = edit(run.lines(), 1, lambda b: b.update(signed))
    index = creds.index(credential)
    assert f"line 2 (seq 1, credentials) field credentials[{index}]:" in "\n".join(failures(lines))


def test_stuffed_credentials_are_caught(election: Callable[..., Run]) -> None:
    """The server swaps unused credentials for keys of its own and casts with them: the
    list no longer carries the authority's signature."""
    run = election(["yes"] * 4, eligible=6)
    mine = [identity.new_seed() for _ in range(2)]
    body = json.loads(run.lines()[1])["body"]
    used = {b.credential.hex() for b in run.ballots}
    kept = [c for c in body["credentials"] if c in used]
    stuffed = sorted([*kept, *(credentials.public_of(s).hex() for s in mine)])
    lines = edit(run.lines(), 1, lambda b: b.update(credentials=stuffed))
    assert _first(lines).startswith("line 2 (seq 1, credentials) field signature: not the "
                                    "credential authority's signature")  # fmt: skip


def test_the_certified_entry_is_checked(election: Callable[..., Run]) -> None:
    lines = _board(election).lines()
    zeros = edit(lines, len(lines) - 1, lambda b: b.update(result="0" * 64))
    assert _first(zeros).startswith(f"line {len(lines)} (seq {len(lines) - 1}, certified) "
                                    "field result:")  # fmt: skip
    early = edit(
        lines, len(lines) - 1, lambda b: b.update(certified_at="2025-01-19T00:00:00+00:00")
    )
    assert "field certified_at: is before closed_at" in _first(early)
    later = edit(
        lines, len(lines) - 1, lambda b: b.update(certified_at="2025-01-22T00:00:00+00:00")
    )
    assert _first(later).endswith("field signature: not signed by the board's key in the manifest")


@pytest.mark.parametrize(
    ("kind", "change", "field"),
    [
        ("opened", lambda b: b.update(opened_at="yesterday"), "opened_at"),
        ("opened", lambda b: b.update(opened_at="2024-12-31T00:00:00+00:00"), "opened_at"),
        ("opened", lambda b: b.update(opened_at="2025-01-02T00:00:00"), "opened_at"),
        ("closed", lambda b: b.update(closed_at="2025-01-10T00:00:00+00:00"), "closed_at"),
        ("closed", lambda b: b.update(ballots=True), "ballots"),
        ("opened", lambda b: b.pop("opened_at"), "opened_at"),
    ],
)
def test_times_and_counts_are_well_formed_and_in_order(
    election: Callable[..., Run], kind: str, change: Callable[[dict[str, Any]], None], field: str
) -> None:
    lines = _board(election).lines()
    index = index_of(lines, kind)
    assert _first(edit(lines, index, change)).startswith(
        f"line {index + 1} (seq {index}, {kind}) field {field}:"
    )


def test_a_board_without_required_entries_says_so_without_a_line(
    election: Callable[..., Run],
) -> None:
    lines = _board(election).lines()
    result = index_of(lines, "result")
    found = failures(lines[:result])
    assert found == ["board field result: the board has no result entry"]


def test_a_changed_manifest_is_named_by_the_election_file_a_member_holds(
    election: Callable[..., Run],
) -> None:
    run = _board(election)
    held = run.manifest.as_json()
    lines = edit(run.lines(), 0, lambda m: m.update(text="Authorize a lockout?"))
    assert _first(lines).startswith("line 1 (seq 0, election) field manifest:")
    assert _first(lines, election_file=held) == ("line 1 (seq 0, election) field text: differs "
                                                 "from the election file given: the manifest "
                                                 "was changed")  # fmt: skip


def _checkpoint(run: Run, lines: list[bytes], seq: int) -> dict[str, Any]:
    entry = json.loads(lines[seq])
    data: dict[str, Any] = {"election": run.election_hash, "seq": seq, "head": entry["hash"],
                            "at": "2025-01-05T00:00:00+00:00"}  # fmt: skip
    data["signature"] = identity.sign(identity.TAG_CHECKPOINT, run.board_seed, data)
    return data


def test_checkpoints_prove_a_rewrite_while_the_vote_was_open(election: Callable[..., Run]) -> None:
    run = _board(election)
    lines = run.lines()
    checkpoint = _checkpoint(run, lines, 5)
    report = verify(lines, checkpoints=[("cp.json", checkpoint)])
    assert report.is_valid and report.checkpoints == 1
    # Ballot 4 is dropped and everything after it re-chained (the anchors fail too).
    rewritten = rechain(lines[:4] + lines[5:], 4)
    found = failures(rewritten, checkpoints=[("cp.json", checkpoint)])
    assert "board (seq None, checkpoint) field head: cp.json: entry 5 is not the one" not in found
    assert any("field head: cp.json: entry 5 is not the one the server signed" in f for f in found)
    forged = {**checkpoint, "seq": 4}
    assert any("field signature: cp.json: not signed by the board's key" in f
               for f in failures(lines, checkpoints=[("cp.json", forged)]))  # fmt: skip


def test_line_level_shapes(election: Callable[..., Run]) -> None:
    lines = _board(election).lines()
    entry = json.loads(lines[2])
    entry["seq"] = True
    lines[2] = json.dumps(entry).encode()
    lines[3] = b"not json"
    found = failures(lines)
    assert found[0] == "line 3 field seq: True is not a whole number"
    assert found[1] == "line 4: the line is not JSON"
