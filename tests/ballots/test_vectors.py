"""The encodings of docs/ballots.md against the published test vectors."""

from __future__ import annotations

import hashlib
import itertools
import json
from pathlib import Path
from typing import Any

import pytest
from secp256k1_reference import GX, GY, P, _ref_add, _ref_decode, _ref_encode, _ref_mul

from guildhall.ballots import credentials
from guildhall.ballots.ballot import Ballot, ballot_problem, signed_bytes
from guildhall.ballots.crypto import elgamal, group, proofs
from guildhall.ballots.crypto.hashing import canonical_json, h256, hash_to_scalar

VECTORS = json.loads(
    (Path(__file__).resolve().parents[1] / "vectors" / "ballots_v2.json").read_text("utf-8")
)


@pytest.mark.parametrize("case", VECTORS["points"])
def test_scalar_multiples_of_the_generator(case: dict[str, Any]) -> None:
    assert group.base_mul(case["scalar"]).hex() == case["point"]
    assert group.point_from_hex(case["point"]).hex() == case["point"]


def test_hash_to_scalar_and_canonical_json() -> None:
    for case in VECTORS["hash_to_scalar"]:
        items = [bytes.fromhex(x) for x in case["items_hex"]]
        assert group.scalar_hex(hash_to_scalar(case["tag"], *items)) == case["scalar"]
    for case in VECTORS["canonical_json"]:
        assert canonical_json(case["value"]).hex() == case["bytes_hex"]
        assert h256(case["value"]) == case["h256"]


def test_the_ballot_vector_verifies_and_is_reproduced() -> None:
    v = VECTORS["ballot"]
    key = bytes.fromhex(v["election_key"])
    assert group.base_mul(v["election_key_secret"]) == key
    ballot = Ballot.from_json(v["ballot"], choices=len(v["values"]))
    assert ballot.tracker == v["tracker"]
    assert ballot_problem(ballot, election_hash=v["election_hash"], key=key,
                          values=v["values"]) is None  # fmt: skip
    seed = credentials.parse_private(v["credential_text"])
    assert seed.hex() == v["credential_seed_hex"]
    counter = itertools.count(1001)

    def nonce() -> int:
        return next(counter) * 7919 % group.L

    ct, r = elgamal.encrypt(key, v["values"][v["choice_index"]], nonce)
    assert group.scalar_hex(r) == v["encryption_nonce"]
    proof = proofs.prove_choice(
        context=bytes.fromhex(v["election_hash"]), key=key, credential=ballot.credential,
        ciphertext=ct, nonce_used=r, values=v["values"], index=v["choice_index"], nonce=nonce,
    )  # fmt: skip
    unsigned = Ballot(v["election_hash"], ballot.credential, ct, proof, b"")
    signature = credentials.sign(seed, signed_bytes(unsigned.unsigned_json()))
    rebuilt = Ballot(v["election_hash"], ballot.credential, ct, proof, signature)
    assert rebuilt.as_json() == v["ballot"]


def test_non_canonical_encodings_are_refused() -> None:
    with pytest.raises(Exception, match="canonical"):
        group.point_from_hex("ff" * 33)
    with pytest.raises(Exception, match="canonical"):
        group.point_from_hex("02" + "ff" * 32)  # x beyond the field
    with pytest.raises(Exception, match="canonical"):
        group.point_from_hex("04" + GX.to_bytes(32, "big").hex())  # no such prefix
    with pytest.raises(Exception, match="canonical"):
        group.point_from_hex(group.GENERATOR.hex().upper())
    with pytest.raises(Exception, match="canonical"):
        group.scalar_from_hex(group.L.to_bytes(32, "big").hex())


def test_the_generator_and_order_are_sec2s() -> None:
    assert group.GENERATOR.hex() == _ref_encode((GX, GY))
    assert (GY * GY - GX**3 - 7) % P == 0
    assert _ref_mul(group.L, (GX, GY)) is None


@pytest.mark.parametrize("case", VECTORS["points"])
def test_point_vectors_match_the_reference(case: dict[str, Any]) -> None:
    assert _ref_encode(_ref_mul(case["scalar"], (GX, GY))) == case["point"]


def test_group_operations_match_the_reference() -> None:
    g = (GX, GY)
    for x, y in [(5, 7), (7, 7), (123456789, 987654321), (group.L - 3, 3), (2**200 + 1, 2**128)]:
        px, py = group.base_mul(x), group.base_mul(y)
        assert group.add(px, py).hex() == _ref_encode(_ref_mul(x + y, g))
        assert group.sub(px, py).hex() == _ref_encode(_ref_mul((x - y) % group.L, g))
        assert group.mul(y, px).hex() == _ref_encode(_ref_mul(x * y % group.L, g))
        assert group.neg(px).hex() == _ref_encode(_ref_mul(group.L - x, g))
        # s·G − c·P and s·P + c·Q in one step, as the proofs check them.
        assert group.lincomb((y, group.GENERATOR), (-x, px)).hex() == _ref_encode(
            _ref_mul((y - x * x) % group.L, g)
        )
        assert group.lincomb((x, px), (y, py), (0, px)).hex() == _ref_encode(
            _ref_mul((x * x + y * y) % group.L, g)
        )
    assert group.lincomb((3, group.base_mul(5)), (-5, group.base_mul(3))) == group.IDENTITY
    assert group.lincomb((0, group.GENERATOR), (4, group.IDENTITY)) == group.IDENTITY


def test_hash_to_scalar_follows_the_documented_construction() -> None:
    for case in VECTORS["hash_to_scalar"]:
        data = b"".join(
            len(item).to_bytes(4, "big") + item
            for item in [case["tag"].encode("ascii"), *map(bytes.fromhex, case["items_hex"])]
        )
        digest = hashlib.sha512(data).digest()
        assert int(case["scalar"], 16) == int.from_bytes(digest, "big") % group.L


def test_the_ballot_proof_checks_out_in_reference_arithmetic() -> None:
    """docs/ballots.md §6, recomputed from the vector's JSON with the reference group."""
    v = VECTORS["ballot"]
    body = v["ballot"]
    g, key = (GX, GY), _ref_decode(v["election_key"])
    a, b = _ref_decode(body["ciphertext"]["a"]), _ref_decode(body["ciphertext"]["b"])
    cs = [int(c, 16) for c in body["proof"]["c"]]
    ss = [int(s, 16) for s in body["proof"]["s"]]
    commitments = []
    for c_j, s_j, value in zip(cs, ss, v["values"], strict=True):
        shifted = _ref_add(b, _ref_mul(group.L - value, g))
        commitments.append(_ref_add(_ref_mul(s_j, g), _ref_mul(group.L - c_j, a)))
        commitments.append(_ref_add(_ref_mul(s_j, key), _ref_mul(group.L - c_j, shifted)))
    items = [
        bytes.fromhex(v["election_hash"]),
        bytes.fromhex(v["election_key"]),
        bytes.fromhex(body["credential"]),
        bytes.fromhex(body["ciphertext"]["a"]),
        bytes.fromhex(body["ciphertext"]["b"]),
        len(v["values"]).to_bytes(8, "big"),
        *(value.to_bytes(32, "big") for value in v["values"]),
        *(bytes.fromhex(_ref_encode(point)) for point in commitments),
    ]
    challenge = hash_to_scalar("guildhall.ballots.v2.choice", *items)
    assert sum(cs) % group.L == challenge
