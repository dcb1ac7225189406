"""What each trustee runs on their own machine, exchanging only files (``docs/ballots.md`` §5).

Each trustee has a long-term Ed25519 signing identity (``guildhall.ballots.identity``),
whose fingerprint the trustees compare in person; every file a trustee hands in is signed
with it, and every file a trustee is handed is checked against the identities it was given.

1. ``deal``: draw the polynomial; the private state stays with the trustee, the public
   dealing (commitments, proof of knowledge, a box key for receiving shares, the identity)
   is signed and handed in.
2. ``seal``: once every trustee's dealing is in and each verifies against a given identity,
   seal each other trustee's share to that trustee's box key (libsodium sealed boxes) and
   sign the whole: whoever relays the files can neither read a share nor swap a box key.
3. ``open_shares``: once every sealed file is in, check each one's signature, open the
   shares addressed to this trustee, check each against its dealer's commitments and add
   them up: the trustee's key.
4. ``decryption_share_of_board``: after the vote closes, the trustee's decryption share of
   the total of the ballots on the exported board, with its proof, signed together with the
   hash of the board's ``closed`` entry: the board is anchored at its close.

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

from guildhall.ballots import identity, shapes
from guildhall.ballots.board import GENESIS, entry_hash
from guildhall.ballots.crypto import group, trustees
from guildhall.ballots.crypto.elgamal import Ciphertext, Nonce
from guildhall.ballots.crypto.group import L, random_scalar
from guildhall.ballots.crypto.hashing import canonical_json, refuse_float
from guildhall.ballots.crypto.proofs import DlogProof
from guildhall.ballots.crypto.trustees import DecryptionShare, PublicTrustees, TrusteeKey
from guildhall.ballots.errors import CryptoError
from guildhall.ballots.identity import TAG_ANCHOR, TAG_DEALING, TAG_SEALED
from guildhall.ballots.manifest import Manifest
from guildhall.ballots.shapes import Malformed


@dataclass(frozen=True)
class TrusteeState:
    """A trustee's private state between the steps: its box key and the shares it dealt."""

    election: str
    trustee: int
    n: int
    k: int
    box_secret: bytes
    shares: Mapping[int, int]
    identity: bytes = b""

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
            "identity": self.identity.hex(),
        }

    @classmethod
    def from_json(cls, data: Any) -> TrusteeState:
        try:
            shares = {int(r): group.scalar_from_hex(s, "share") for r, s in data["shares"].items()}
            state = cls(str(data["election"]), int(data["trustee"]), int(data["n"]),
                        int(data["k"]), bytes.fromhex(data["box_secret"]), shares,
                        bytes.fromhex(data["identity"]))  # fmt: skip
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
    identity: bytes
    signed: bool

    @classmethod
    def from_json(cls, data: Any) -> PublicDealing:
        keys = ("election", "trustee", "n", "k", "box_key", "commitments", "proof", "identity",
                "signature")  # fmt: skip
        try:
            shapes.obj(data, "dealing", keys)
            key = identity.key_from_hex(data["identity"], "identity")
            dealing = cls(
                shapes.text(data["election"], "election"),
                shapes.integer(data["trustee"], "trustee", low=1),
                shapes.integer(data["n"], "n", low=1), shapes.integer(data["k"], "k", low=1),
                shapes.hex_bytes(data["box_key"], "box_key", 32),
                tuple(group.point_from_hex(c, "commitment") for c in data["commitments"]),
                DlogProof.from_json(data["proof"]), key, identity.verify(TAG_DEALING, key, data),
            )  # fmt: skip
        except (Malformed, TypeError) as exc:
            raise CryptoError(f"not a trustee's dealing: {exc}") from exc
        if len(dealing.commitments) != dealing.k:
            raise CryptoError(f"trustee {dealing.trustee}'s dealing is malformed")
        return dealing


def deal(
    election_id: str,
    index: int,
    *,
    n: int,
    k: int,
    identity_seed: bytes,
    nonce: Nonce = random_scalar,
) -> tuple[TrusteeState, dict[str, Any]]:
    """Trustee ``index`` draws its polynomial and box key: (private state, public dealing
    signed with the trustee's identity)."""
    if not 1 <= index <= n:
        raise CryptoError(f"trustee {index} is not one of 1..{n}")
    try:
        dealt = trustees.deal(election_id, index, n=n, k=k, nonce=nonce)
    except ValueError as exc:
        raise CryptoError(str(exc)) from exc
    box = PrivateKey.generate()
    me = identity.public_of(identity_seed)
    state = TrusteeState(election_id, index, n, k, bytes(box), dict(dealt.shares), me)
    public: dict[str, Any] = {
        "election": election_id,
        "trustee": index,
        "n": n,
        "k": k,
        "box_key": bytes(box.public_key).hex(),
        "commitments": [c.hex() for c in dealt.commitments],
        "proof": dealt.proof.as_json(),
        "identity": me.hex(),
    }
    public["signature"] = identity.sign(TAG_DEALING, identity_seed, public)
    return state, public


def dealings(
    election_id: str,
    items: Sequence[Any],
    *,
    identities: Sequence[bytes] | None = None,
    names: Sequence[str] | None = None,
) -> dict[int, PublicDealing]:
    """Every trustee's public dealing, checked: one per trustee 1..n, the same n and k, each
    signed by its trustee's identity, each proof of knowledge valid.

    ``identities``: the trustees' public identities as this trustee was given them (and
    compared by fingerprint); a dealing not signed by one of them is refused, naming it."""
    labels = list(names) if names is not None else [f"dealing {i + 1}" for i in range(len(items))]
    parsed = []
    for label, item in zip(labels, items, strict=True):
        try:
            parsed.append(PublicDealing.from_json(item))
        except CryptoError as exc:
            raise CryptoError(f"{label}: {exc}") from exc
    if not parsed:
        raise CryptoError("no dealings")
    n, k = parsed[0].n, parsed[0].k
    by_index: dict[int, PublicDealing] = {}
    by_identity: dict[bytes, int] = {}
    given = set(identities) if identities is not None else None
    for label, d in zip(labels, parsed, strict=True):
        if not d.signed:
            raise CryptoError(f"{label}: trustee {d.trustee}'s dealing is not signed by the "
                              f"identity it names ({identity.fingerprint(d.identity)}): it was "
                              "changed after it was signed")  # fmt: skip
        if given is not None and d.identity not in given:
            raise CryptoError(f"{label}: trustee {d.trustee}'s dealing is signed by "
                              f"{identity.fingerprint(d.identity)}, which is none of the "
                              "identities you were given: do not go on")  # fmt: skip
        if d.identity in by_identity:
            raise CryptoError(f"{label}: trustees {by_identity[d.identity]} and {d.trustee} "
                              "have the same identity")  # fmt: skip
        by_identity[d.identity] = d.trustee
        if d.election != election_id:
            raise CryptoError(
                f"{label}: trustee {d.trustee}'s dealing is for election {d.election!r}"
            )
        if (d.n, d.k) != (n, k):
            raise CryptoError(
                f"{label}: trustee {d.trustee}'s dealing says {d.k} of {d.n}, not {k} of {n}"
            )
        if not 1 <= d.trustee <= n:
            raise CryptoError(f"{label}: a dealing from trustee {d.trustee}, not one of 1..{n}")
        if d.trustee in by_index:
            raise CryptoError(f"{label}: two dealings from trustee {d.trustee}")
        if not trustees.dealing_is_valid(election_id, d.trustee, d.commitments, d.proof):
            raise CryptoError(f"{label}: trustee {d.trustee}'s proof of knowledge does not verify")
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
        tuple(d.identity for d in ordered),
    )


def _own(state: TrusteeState, checked: Mapping[int, PublicDealing]) -> PublicDealing:
    election = next(iter(checked.values())).election
    if state.election != election:
        raise CryptoError(f"the state is for election {state.election!r}, not {election!r}")
    mine = checked.get(state.trustee)
    if mine is None or (mine.n, mine.k) != (state.n, state.k):
        raise CryptoError(f"no dealing of trustee {state.trustee} matches the state")
    if mine.identity != state.identity:
        raise CryptoError(f"trustee {state.trustee}'s dealing names another identity")
    if mine.box_key != bytes(PrivateKey(state.box_secret).public_key) or not all(
        trustees.share_is_consistent(mine.commitments, r, s) for r, s in state.shares.items()
    ):
        raise CryptoError(f"trustee {state.trustee}'s dealing was not made with this state")
    return mine


def seal(
    state: TrusteeState, checked: Mapping[int, PublicDealing], identity_seed: bytes
) -> dict[str, Any]:
    """The shares this trustee dealt, each sealed to its receiver's box key, signed."""
    _own(state, checked)
    if identity.public_of(identity_seed) != state.identity:
        raise CryptoError("the identity key is not the one this trustee dealt with")
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
    out: dict[str, Any] = {"election": state.election, "from": state.trustee, "shares": sealed}
    out["signature"] = identity.sign(TAG_SEALED, identity_seed, out)
    return out


def open_shares(
    state: TrusteeState,
    checked: Mapping[int, PublicDealing],
    sealed_items: Sequence[Any],
    names: Sequence[str] | None = None,
) -> TrusteeKey:
    """This trustee's key: its own share plus every other trustee's, each opened and checked
    against its dealer's commitments. A share that does not match names its dealer."""
    _own(state, checked)
    me = state.trustee
    box = SealedBox(PrivateKey(state.box_secret))
    received: dict[int, int] = {me: state.shares[me]}
    labels = (
        list(names)
        if names is not None
        else [f"sealed file {i + 1}" for i in range(len(sealed_items))]
    )
    for label, item in zip(labels, sealed_items, strict=True):
        try:
            received_one(state, checked, item, box, received)
        except CryptoError as exc:
            raise CryptoError(f"{label}: {exc}") from exc
    missing = sorted(set(checked) - set(received))
    if missing:
        raise CryptoError(f"no sealed shares yet from trustees {missing}")
    return TrusteeKey(state.election, me, sum(received.values()) % L)


def received_one(
    state: TrusteeState,
    checked: Mapping[int, PublicDealing],
    item: Any,
    box: SealedBox[PrivateKey],
    received: dict[int, int],
) -> None:
    """Check one sealed-shares file and add the share it holds for this trustee."""
    me = state.trustee
    if not isinstance(item, dict) or item.get("election") != state.election:
        raise CryptoError("a sealed-shares file for another election, or not one at all")
    dealer = item.get("from")
    if not isinstance(dealer, int) or dealer not in checked or dealer == me:
        raise CryptoError(f"sealed shares from {dealer!r}, not another trustee")
    if dealer in received:
        raise CryptoError(f"two sealed-shares files from trustee {dealer}")
    if set(item) != {"election", "from", "shares", "signature"} or not identity.verify(
        TAG_SEALED, checked[dealer].identity, item
    ):
        raise CryptoError(
            f"trustee {dealer}'s sealed shares are not signed by trustee {dealer}'s identity "
            f"({identity.fingerprint(checked[dealer].identity)}): they were changed or "
            "made by someone else"
        )
    try:
        raw = box.decrypt(base64.b64decode(item["shares"][str(me)], validate=True))
        opened = json.loads(raw, parse_float=refuse_float)
        share = group.scalar_from_hex(opened["share"], "share")
    except (KeyError, TypeError, ValueError, BoxError, CryptoError) as exc:
        raise CryptoError(f"trustee {dealer}'s share for trustee {me} cannot be opened") from exc
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


def closed_board_total(lines: Sequence[str]) -> tuple[Manifest, str, Ciphertext, str]:
    """The manifest, election hash, encrypted total and ``closed`` entry's hash (the head
    the trustees sign) of a board whose vote is closed.

    The chain is checked (each entry's hash and link), so the total is that of the board as
    published; a board without its ``closed`` entry is refused, so no trustee ever helps
    decrypt a partial count."""
    prev, manifest, closed = GENESIS, None, ""
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
        if closed:
            raise CryptoError(f"board line {number}: an entry after the close; give the board "
                              "as exported when the vote closed")  # fmt: skip
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
        if kind == "closed":
            closed = entry["hash"]
    if manifest is None:
        raise CryptoError("the board has no election entry")
    if not closed:
        raise CryptoError("the vote on this board is not closed: no partial count is decrypted")
    return manifest, manifest.election_hash, total, closed


def decryption_share_of_board(
    key: TrusteeKey, lines: Sequence[str], identity_seed: bytes
) -> dict[str, Any]:
    """This trustee's decryption share of the closed board's total, with its proof, signed
    with the trustee's identity together with the head of the closed board."""
    manifest, election_hash, total, head = closed_board_total(lines)
    if manifest.id != key.election_id:
        raise CryptoError(f"the key is for election {key.election_id!r}, the board {manifest.id!r}")
    share = trustees.decryption_share(key, context=bytes.fromhex(election_hash), a=total.a)
    return {"a": total.a.hex(), **signed_share(share, election_hash, head, identity_seed,
                                                manifest)}  # fmt: skip


def signed_share(
    share: DecryptionShare, election_hash: str, head: str, identity_seed: bytes,
    manifest: Manifest,
) -> dict[str, Any]:  # fmt: skip
    """The board body of a decryption share: the share, its proof, the head of the closed
    board, and the trustee's signature over them."""
    mine = manifest.trustees.identities[share.trustee - 1]
    if identity.public_of(identity_seed) != mine:
        raise CryptoError(f"the identity key is not trustee {share.trustee}'s in the manifest "
                          f"({identity.fingerprint(mine)})")  # fmt: skip
    body: dict[str, Any] = {"election": election_hash, "head": head, **share.as_json()}
    body["signature"] = identity.sign(TAG_ANCHOR, identity_seed, body)
    return body


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


def share_anchor_problem(body: Mapping[str, Any], manifest: Manifest, head: str) -> str | None:
    """What is wrong with a decryption entry's anchor: its head or its signature."""
    if body.get("head") != head:
        return "head: not the hash of this board's closed entry (the board was rewritten)"
    trustee = body.get("trustee")
    if not isinstance(trustee, int) or isinstance(trustee, bool):
        return "trustee: not a whole number"
    if not 1 <= trustee <= manifest.trustees.n:
        return f"trustee: {trustee} is not one of 1..{manifest.trustees.n}"
    key = manifest.trustees.identities[trustee - 1]
    if not identity.verify(TAG_ANCHOR, key, body):
        return f"signature: not trustee {trustee}'s signature ({identity.fingerprint(key)})"
    return None
