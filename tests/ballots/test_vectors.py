"""The encodings of docs/ballots.md against the published test vectors."""

from __future__ import annotations

import itertools
import json
from pathlib import Path
from typing import Any

import pytest

from guildhall.ballots import credentials
from guildhall.ballots.ballot import Ballot, ballot_problem, signed_bytes
from guildhall.ballots.crypto import elgamal, group, proofs
from guildhall.ballots.crypto.hashing import canonical_json, h256, hash_to_scalar

VECTORS = json.loads(
    (Path(__file__).resolve().parents[1] / "vectors" / "ballots_v1.json").read_text("utf-8")
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
        group.point_from_hex("ff" * 32)
    with pytest.raises(Exception, match="canonical"):
        group.scalar_from_hex(group.L.to_bytes(32, "little").hex())
