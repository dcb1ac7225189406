"""The whole-board test vectors (tests/vectors/ballots_board.*): the board is reproduced
from its seed, verifies with the verdict given, every tampered variant fails with the
field named, and the coefficient proofs, decryption proofs and entry hashes check out in
plain reference arithmetic (docs/ballots.md §4, §5, §8, §9)."""

from __future__ import annotations

import hashlib
import json
import sys
from pathlib import Path
from typing import Any

import pytest
from ballot_boards import edit, rechain, verify
from secp256k1_reference import GX, GY, _ref_add, _ref_decode, _ref_encode, _ref_mul

from guildhall.ballots.crypto.group import L
from guildhall.ballots.crypto.hashing import hash_to_scalar
from guildhall.cli.app import run

VECTORS = Path(__file__).resolve().parents[1] / "vectors"
BOARD = (VECTORS / "ballots_board.jsonl").read_bytes().splitlines()
DOC = json.loads((VECTORS / "ballots_board.json").read_text(encoding="utf-8"))
G = (GX, GY)


def test_the_board_is_reproduced_from_its_seed() -> None:
    sys.path.insert(0, str(VECTORS))
    import make_ballots_board

    assert make_ballots_board.board().lines() == BOARD


def test_the_board_verifies_with_the_verdict_given() -> None:
    report = verify(BOARD, rules=None)
    expected = DOC["verdict"]
    assert report.is_valid is expected["valid"] is True
    assert (report.entries, report.ballots, report.spoiled, report.certified) == (
        expected["entries"], expected["ballots"], expected["spoiled"], expected["certified"],
    )  # fmt: skip
    assert report.result is not None
    assert {k: report.result[k] for k in expected["result"]} == expected["result"]


def _variant(case: dict[str, Any]) -> list[bytes]:
    if "swap" in case:
        i, j = case["swap"]
        lines = list(BOARD)
        lines[i], lines[j] = lines[j], lines[i]
        return rechain(lines)

    def change(body: dict[str, Any]) -> None:
        target = body
        for key in case["path"][:-1]:
            target = target[key]
        target[case["path"][-1]] = case["value"]

    return edit(BOARD, case["entry"], change)


@pytest.mark.parametrize("case", DOC["tampered"], ids=[c["name"] for c in DOC["tampered"]])
def test_each_tampered_variant_fails_with_the_field_named(case: dict[str, Any]) -> None:
    first = verify(_variant(case), rules=None).failures[0]
    expected = case["first_failure"]
    assert (first.line, first.kind, first.field) == (
        expected["line"], expected["kind"], expected["field"],
    )  # fmt: skip
    if "path" in case and case["entry"] > 0:
        # The field named is the one changed (an index of a list is written [i]).
        written = ".".join(str(p) for p in case["path"]).replace(".0", "[0]")
        assert first.field == written or first.field == case["path"][-1]


def test_the_cli_says_where_a_tampered_board_fails(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    good, bad = tmp_path / "board.jsonl", tmp_path / "tampered.jsonl"
    good.write_bytes(b"".join(ln + b"\n" for ln in BOARD))
    assert run(["ballots", "verify", str(good), "--quiet"]) == 0
    case = DOC["tampered"][-2]
    bad.write_bytes(b"".join(ln + b"\n" for ln in _variant(case)))
    capsys.readouterr()
    assert run(["ballots", "verify", str(bad), "--quiet"]) == 1
    f = case["first_failure"]
    assert capsys.readouterr().err.startswith(
        f"FAIL line {f['line']} (seq {f['line'] - 1}, {f['kind']}) field {f['field']}:"
    )
    bad.write_bytes(b"\xff\xfe")
    assert run(["ballots", "verify", str(bad), "--quiet"]) == 2


def _ref_point(text: str) -> Any:
    return _ref_decode(text)


def test_coefficient_proofs_in_reference_arithmetic() -> None:
    """U' = sG − cC, and c = Hq(coefficient tag, election id, u64(i), C, U')."""
    for v in DOC["proofs"]["coefficient"]:
        c, s = int(v["proof"]["c"], 16), int(v["proof"]["s"], 16)
        commitment = _ref_point(v["commitment"])
        u = _ref_add(_ref_mul(s, G), _ref_mul(L - c, commitment))
        items = [v["election_id"].encode(), v["trustee"].to_bytes(8, "big"),
                 bytes.fromhex(v["commitment"]), bytes.fromhex(_ref_encode(u))]  # fmt: skip
        assert hash_to_scalar("guildhall.ballots.v2.coefficient", *items) == c
    assert len(DOC["proofs"]["coefficient"]) == 3


def test_decryption_proofs_in_reference_arithmetic() -> None:
    """U = sG − cX, V = sA − cD, c = Hq(decryption tag, h, u64(l), X, A, D, U, V)."""
    for v in DOC["proofs"]["decryption"]:
        c, s = int(v["proof"]["c"], 16), int(v["proof"]["s"], 16)
        x, a, d = (_ref_point(v[k]) for k in ("verification_key", "a", "share"))
        u = _ref_add(_ref_mul(s, G), _ref_mul(L - c, x))
        w = _ref_add(_ref_mul(s, a), _ref_mul(L - c, d))
        items = [bytes.fromhex(v["election_hash"]), v["trustee"].to_bytes(8, "big"),
                 *(bytes.fromhex(v[k]) for k in ("verification_key", "a", "share")),
                 bytes.fromhex(_ref_encode(u)), bytes.fromhex(_ref_encode(w))]  # fmt: skip
        assert hash_to_scalar("guildhall.ballots.v2.decryption", *items) == c
    assert [v["trustee"] for v in DOC["proofs"]["decryption"]] == [1, 3]


def test_entry_hashes_are_sha256_of_canonical_json() -> None:
    for v in DOC["proofs"]["entry_hash"]:
        framed = {k: v[k] for k in ("seq", "prev", "kind", "body")}
        data = json.dumps(framed, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
        assert hashlib.sha256(data.encode("utf-8")).hexdigest() == v["hash"]
