"""Writes the whole-board test vectors of docs/ballots.md §12 (run by hand after a change to
the protocol; tests/ballots/test_board_vectors.py checks the files are reproduced).

    .venv/bin/python tests/vectors/make_ballots_board.py

``ballots_board.jsonl``: a ratification of five eligible members (blank allowed), three
trustees of whom any two decrypt, a ballot audited and spoiled, four ballots cast, the
decryption by trustees 1 and 3, the result and its certification. Every random draw is
derived from a fixed seed. ``ballots_board.json``: the verdict expected for it, tampered
variants with the failure each must give, and vectors for the coefficient proofs, the
decryption proofs and the entry hashes.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "ballots"))

from ballot_boards import Run, edit, rechain, run_election, verify  # noqa: E402

SEED = 2008

# name, entry index, path in the body, new value, expected (line, kind, field) of the first
# failure. Each variant is re-chained from the changed entry, as a rewriting operator would.
TAMPERED: list[tuple[str, int, list[Any], Any, tuple[int | None, str | None, str]]] = [
    ("ratification by three quarters", 0, ["threshold", "ratio"], "3/4",
     (1, "election", "threshold")),
    ("election key is the identity", 0, ["public_key"], "00" * 33, (1, "election", "public_key")),
    ("quorum above the trustees", 0, ["trustees", "k"], 4, (1, "election", "trustees.k")),
    ("junk credential", 1, ["credentials", 0], "ff" * 32,
     (2, "credentials", "credentials[0]")),
    ("opened yesterday", 2, ["opened_at"], "yesterday", (3, "opened", "opened_at")),
    ("spoiled randomness", 3, ["randomness"], "00" * 31 + "01", (4, "spoiled", "randomness")),
    ("ballot tracker", 4, ["tracker"], "00" * 32, (5, "ballot", "tracker")),
    ("ballot signature", 5, ["ballot", "signature"], "00" * 64, (6, "ballot", "ballot.signature")),
    ("closed count", 8, ["ballots"], 3, (9, "closed", "ballots")),
    ("closed count as text", 8, ["ballots"], "4", (9, "closed", "ballots")),
    ("decryption by trustee true", 10, ["trustee"], True, (11, "decryption", "trustee")),
    ("result yes", 12, ["counts", "yes"], 3, (13, "result", "counts.yes")),
    ("result passed as 1", 12, ["passed"], 1, (13, "result", "passed")),
    ("certified result zeros", 13, ["result"], "0" * 64, (14, "certified", "result")),
]  # fmt: skip


def board() -> Run:
    return run_election(["yes", "no", "yes", "blank"], eligible=5, allow_blank=True,
                        question="ratification", spoil=1, deciding=(1, 3), seed=SEED)  # fmt: skip


def _set(body: dict[str, Any], path: list[Any], value: Any) -> None:
    target = body
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = value


def tampered(lines: list[bytes]) -> list[dict[str, Any]]:
    out = []
    for name, index, path, value, expected in TAMPERED:
        changed = edit(lines, index, lambda b, p=path, v=value: _set(b, p, v))
        first = verify(changed, rules=None).failures[0]
        got = (first.line, first.kind, first.field)
        assert got == expected, (name, got, str(first))
        out.append({"name": name, "entry": index, "path": path, "value": value,
                    "first_failure": {"line": first.line, "kind": first.kind,
                                      "field": first.field, "what": first.what}})  # fmt: skip
    swapped = list(lines)
    swapped[4], swapped[5] = swapped[5], swapped[4]
    first = verify(rechain(swapped), rules=None).failures[0]
    assert (first.line, first.kind, first.field) == (11, "decryption", "head"), str(first)
    out.append({"name": "two ballots swapped and the board re-chained", "swap": [4, 5],
                "first_failure": first.as_json()})  # fmt: skip
    return out


def proof_vectors(run: Run, lines: list[bytes]) -> dict[str, Any]:
    entries = [json.loads(ln) for ln in lines]
    manifest = run.manifest
    decryptions = [e["body"] for e in entries if e["kind"] == "decryption"]
    tally = next(e["body"] for e in entries if e["kind"] == "tally")
    return {
        "coefficient": [
            {"election_id": manifest.id, "trustee": i, "commitment": row[0].hex(),
             "proof": proof.as_json()}
            for i, (row, proof) in enumerate(zip(manifest.trustees.commitments,
                                                 manifest.trustees.proofs, strict=True), 1)
        ],
        "decryption": [
            {"election_hash": run.election_hash, "trustee": d["trustee"],
             "verification_key": manifest.trustees.verification_key(d["trustee"]).hex(),
             "a": tally["ciphertext"]["a"], "share": d["share"], "proof": d["proof"]}
            for d in decryptions
        ],
        "entry_hash": [
            {"seq": e["seq"], "prev": e["prev"], "kind": e["kind"], "body": e["body"],
             "hash": e["hash"]} for e in entries[2:5]
        ],
    }  # fmt: skip


def main() -> None:
    run = board()
    lines = run.lines()
    report = verify(lines, rules=None)
    assert report.is_valid, report.failures
    (HERE / "ballots_board.jsonl").write_bytes(b"".join(ln + b"\n" for ln in lines))
    doc = {
        "description": "A whole Guildhall board (docs/ballots.md): ratification, 5 eligible, "
        "3 trustees (any 2), 1 spoiled ballot, 4 cast (yes, no, yes, blank), decrypted by "
        "trustees 1 and 3, certified. Random draws derived from a fixed seed.",
        "verdict": {"valid": True, "entries": report.entries, "ballots": report.ballots,
                    "spoiled": report.spoiled, "certified": report.certified,
                    "result": {k: report.result[k] for k in ("counts", "blank", "cast",
                               "eligible", "total", "passed")} if report.result else None},
        "tampered": tampered(lines),
        "proofs": proof_vectors(run, lines),
    }  # fmt: skip
    (HERE / "ballots_board.json").write_text(json.dumps(doc, indent=1, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main()
