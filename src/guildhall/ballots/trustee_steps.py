"""What each trustee runs on their own machine, exchanging only files (``docs/ballots.md`` §5).

1. ``deal``: draw the polynomial; the private state stays with the trustee, the public
   dealing (commitments, proof of knowledge, a box key for receiving shares) is handed in.
2. ``seal``: once every trustee's dealing is in, seal each other trustee's share to that
   trustee's box key (libsodium sealed boxes): whoever relays the files cannot read them.
3. ``open_shares``: once every sealed file is in, open the shares addressed to this
   trustee, check each against its dealer's commitments and add them up: the trustee's key.
4. ``decryption_share_of_board``: after the vote closes, the trustee's decryption share of
   the total of the ballots on the exported board, with its proof.

No step needs another trustee's secret, and none needs the store: the administrator only
relays public dealings, sealed shares and decryption shares.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from nacl.exceptions import CryptoError as BoxError
from nacl.public import PrivateKey, PublicKey, SealedBox

from guildhall.ballots.board import GENESIS, entry_hash
from guildhall.ballots.crypto import group, trustees
from guildhall.ballots.crypto.elgamal import Ciphertext, Nonce
from guildhall.ballots.crypto.group import L, random_scalar
from guildhall.ballots.crypto.hashing import canonical_json, refuse_float
from guildhall.ballots.crypto.proofs import DlogProof
from guildhall.ballots.crypto.trustees import DecryptionShare, PublicTrustees, TrusteeKey
from guildhall.ballots.errors import CryptoError
from guildhall.ballots.manifest import Manifest


@dataclass(frozen=True)
class TrusteeState:
    """A trustee's private state between the steps: its box key and the shares it dealt."""

    election: str
    trustee: int
    n: int
    k: int
    box_secret: bytes
    shares: Mapping[int, int]

    def __repr__(self) -> str:
        return f"TrusteeState(election={self.election!r}, trustee={self.trustee}, <secret>)"

    def as_json(self) -> dict[str, Any]:
        return {
            "election": self.election,
            "trustee": self.trustee,
            "n": self.n,
            "k": self.k,
            "box_secret": self.box_secret.hex(),
            "shares": {str(r): group.scalar_hex(s) for r, s in self.shares.items()},
        }

    @classmethod
    def from_json(cls, data: Any) -> TrusteeState:
        try:
            shares = {int(r): group.scalar_from_hex(s, "share") for r, s in data["shares"].items()}
            state = cls(str(data["election"]), int(data["trustee"]), int(data["n"]),
                        int(data["k"]), bytes.fromhex(data["box_secret"]), shares)  # fmt: skip
        except (KeyError, TypeError, ValueError, AttributeError) as exc:
            raise CryptoError(f"not a trustee's state: {exc}") from exc
        if len(state.box_secret) != 32 or set(shares) != set(range(1, state.n + 1)):
            raise CryptoError("not a trustee's state: a box key and one share per trustee")
        return state


@dataclass(frozen=True)
class PublicDealing:
    election: str
    trustee: int
    n: int
    k: int
    box_key: bytes
    commitments: tuple[bytes, ...]
    proof: DlogProof

    @classmethod
    def from_json(cls, data: Any) -> PublicDealing:
        if not isinstance(data, dict):
            raise CryptoError("a dealing is a JSON object")
        try:
            dealing = cls(
                str(data["election"]), int(data["trustee"]), int(data["n"]), int(data["k"]),
                bytes.fromhex(data["box_key"]),
                tuple(group.point_from_hex(c, "commitment") for c in data["commitments"]),
                DlogProof.from_json(data["proof"]),
            )  # fmt: skip
        except (KeyError, TypeError, ValueError) as exc:
            raise CryptoError(f"not a trustee's dealing: {exc}") from exc
        if len(dealing.box_key) != 32 or len(dealing.commitments) != dealing.k:
            raise CryptoError(f"trustee {dealing.trustee}'s dealing is malformed")
        return dealing


def deal(
    election_id: str, index: int, *, n: int, k: int, nonce: Nonce = random_scalar
) -> tuple[TrusteeState, dict[str, Any]]:
    """Trustee ``index`` draws its polynomial and box key: (private state, public dealing)."""
    if not 1 <= index <= n:
        raise CryptoError(f"trustee {index} is not one of 1..{n}")
    try:
        dealt = trustees.deal(election_id, index, n=n, k=k, nonce=nonce)
    except ValueError as exc:
        raise CryptoError(str(exc)) from exc
    box = PrivateKey.generate()
    state = TrusteeState(election_id, index, n, k, bytes(box), dict(dealt.shares))
    public = {
        "election": election_id,
        "trustee": index,
        "n": n,
        "k": k,
        "box_key": bytes(box.public_key).hex(),
        "commitments": [c.hex() for c in dealt.commitments],
        "proof": dealt.proof.as_json(),
    }
    return state, public


def dealings(election_id: str, items: Sequence[Any]) -> dict[int, PublicDealing]:
    """Every trustee's public dealing, checked: one per trustee 1..n, the same n and k, each
    proof of knowledge valid."""
    parsed = [PublicDealing.from_json(item) for item in items]
    if not parsed:
        raise CryptoError("no dealings")
    n, k = parsed[0].n, parsed[0].k
    by_index: dict[int, PublicDealing] = {}
    for d in parsed:
        if d.election != election_id:
            raise CryptoError(f"trustee {d.trustee}'s dealing is for election {d.election!r}")
        if (d.n, d.k) != (n, k):
            raise CryptoError(f"trustee {d.trustee}'s dealing says {d.k} of {d.n}, not {k} of {n}")
        if not 1 <= d.trustee <= n:
            raise CryptoError(f"a dealing from trustee {d.trustee}, not one of 1..{n}")
        if d.trustee in by_index:
            raise CryptoError(f"two dealings from trustee {d.trustee}")
        if not trustees.dealing_is_valid(election_id, d.trustee, d.commitments, d.proof):
            raise CryptoError(f"trustee {d.trustee}'s proof of knowledge does not verify")
        by_index[d.trustee] = d
    missing = sorted(set(range(1, n + 1)) - set(by_index))
    if missing:
        raise CryptoError(f"dealings missing from trustees {missing}")
    return by_index


def public_trustees(checked: Mapping[int, PublicDealing]) -> PublicTrustees:
    ordered = [checked[i] for i in sorted(checked)]
    return PublicTrustees(
        ordered[0].n,
        ordered[0].k,
        tuple(d.commitments for d in ordered),
        tuple(d.proof for d in ordered),
    )


def _own(state: TrusteeState, checked: Mapping[int, PublicDealing]) -> PublicDealing:
    election = next(iter(checked.values())).election
    if state.election != election:
        raise CryptoError(f"the state is for election {state.election!r}, not {election!r}")
    mine = checked.get(state.trustee)
    if mine is None or (mine.n, mine.k) != (state.n, state.k):
        raise CryptoError(f"no dealing of trustee {state.trustee} matches the state")
    if mine.box_key != bytes(PrivateKey(state.box_secret).public_key) or not all(
        trustees.share_is_consistent(mine.commitments, r, s) for r, s in state.shares.items()
    ):
        raise CryptoError(f"trustee {state.trustee}'s dealing was not made with this state")
    return mine


def seal(state: TrusteeState, checked: Mapping[int, PublicDealing]) -> dict[str, Any]:
    """The shares this trustee dealt, each sealed to its receiver's box key."""
    _own(state, checked)
    sealed = {}
    for receiver, dealing in sorted(checked.items()):
        if receiver == state.trustee:
            continue
        message = canonical_json({
            "election": state.election, "from": state.trustee, "to": receiver,
            "share": group.scalar_hex(state.shares[receiver]),
        })  # fmt: skip
        box = SealedBox(PublicKey(dealing.box_key))
        sealed[str(receiver)] = base64.b64encode(box.encrypt(message)).decode("ascii")
    return {"election": state.election, "from": state.trustee, "shares": sealed}


def open_shares(
    state: TrusteeState, checked: Mapping[int, PublicDealing], sealed_items: Sequence[Any]
) -> TrusteeKey:
    """This trustee's key: its own share plus every other trustee's, each opened and checked
    against its dealer's commitments. A share that does not match names its dealer."""
    _own(state, checked)
    me = state.trustee
    box = SealedBox(PrivateKey(state.box_secret))
    received: dict[int, int] = {me: state.shares[me]}
    for item in sealed_items:
        if not isinstance(item, dict) or item.get("election") != state.election:
            raise CryptoError("a sealed-shares file for another election, or not one at all")
        dealer = item.get("from")
        if not isinstance(dealer, int) or dealer not in checked or dealer == me:
            raise CryptoError(f"sealed shares from {dealer!r}, not another trustee")
        if dealer in received:
            raise CryptoError(f"two sealed-shares files from trustee {dealer}")
        try:
            raw = box.decrypt(base64.b64decode(item["shares"][str(me)], validate=True))
            opened = json.loads(raw, parse_float=refuse_float)
            share = group.scalar_from_hex(opened["share"], "share")
        except (KeyError, TypeError, ValueError, BoxError, CryptoError) as exc:
            raise CryptoError(
                f"trustee {dealer}'s share for trustee {me} cannot be opened"
            ) from exc
        if (opened.get("election"), opened.get("from"), opened.get("to")) != (
            state.election,
            dealer,
            me,
        ):
            raise CryptoError(f"trustee {dealer}'s sealed share is not addressed to trustee {me}")
        if not trustees.share_is_consistent(checked[dealer].commitments, me, share):
            raise CryptoError(
                f"trustee {dealer}'s share for trustee {me} does not match its commitments: "
                "the ceremony must start again"
            )
        received[dealer] = share
    missing = sorted(set(checked) - set(received))
    if missing:
        raise CryptoError(f"no sealed shares yet from trustees {missing}")
    return TrusteeKey(state.election, me, sum(received.values()) % L)


def closed_board_total(lines: Sequence[str]) -> tuple[Manifest, str, Ciphertext]:
    """The manifest, election hash and encrypted total of a board whose vote is closed.

    The chain is checked (each entry's hash and link), so the total is that of the board as
    published; a board without its ``closed`` entry is refused, so no trustee ever helps
    decrypt a partial count."""
    prev, manifest, closed = GENESIS, None, False
    total = Ciphertext(group.IDENTITY, group.IDENTITY)
    for number, line in enumerate(lines, start=1):
        try:
            entry = json.loads(line, parse_float=refuse_float)
            seq, kind, body = entry["seq"], entry["kind"], entry["body"]
            ok = entry["prev"] == prev and entry["hash"] == entry_hash(
                seq, entry["prev"], kind, body, checked=True
            )
        except (ValueError, KeyError, TypeError) as exc:
            raise CryptoError(f"board line {number} is not a board entry") from exc
        if not ok:
            raise CryptoError(f"board line {number}: the hash chain is broken")
        prev = entry["hash"]
        try:
            if kind == "election":
                manifest = Manifest.from_json(body)
            elif kind == "ballot":
                total = total + Ciphertext.from_json(body["ballot"]["ciphertext"])
        except (KeyError, TypeError, ValueError) as exc:
            raise CryptoError(f"board line {number}: not a well-formed {kind} entry") from exc
        closed = closed or kind == "closed"
    if manifest is None:
        raise CryptoError("the board has no election entry")
    if not closed:
        raise CryptoError("the vote on this board is not closed: no partial count is decrypted")
    return manifest, manifest.election_hash, total


def decryption_share_of_board(key: TrusteeKey, lines: Sequence[str]) -> dict[str, Any]:
    """This trustee's decryption share of the closed board's total, with its proof."""
    manifest, election_hash, total = closed_board_total(lines)
    if manifest.id != key.election_id:
        raise CryptoError(f"the key is for election {key.election_id!r}, the board {manifest.id!r}")
    share = trustees.decryption_share(key, context=bytes.fromhex(election_hash), a=total.a)
    return {"election": election_hash, "a": total.a.hex(), **share.as_json()}


def decryption_share_from_json(data: Any, *, election_hash: str, a: bytes) -> DecryptionShare:
    """A trustee's decryption share as handed in, for the total ``a`` of this election."""
    if not isinstance(data, dict) or data.get("election") != election_hash:
        raise CryptoError("a decryption share for another election, or not one at all")
    if data.get("a") != a.hex():
        raise CryptoError(
            f"trustee {data.get('trustee')}'s share was made for another total of the ballots"
        )
    try:
        return DecryptionShare(
            int(data["trustee"]),
            group.point_from_hex(data["share"], "share"),
            DlogProof.from_json(data["proof"]),
        )
    except (KeyError, TypeError, ValueError) as exc:
        raise CryptoError(f"not a decryption share: {exc}") from exc
