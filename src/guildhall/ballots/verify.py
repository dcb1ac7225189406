"""The independent verifier: reads only a published board and checks everything.

The checks are those of ``docs/ballots.md`` §10. Ballots are checked in parallel, one
worker process per core; each worker also recomputes the hash of every entry it is given
and sums the ciphertexts of its ballots. The main process then walks the chain, looks for
duplicate credentials and ciphertexts, and checks the tally, the decryption and the result.

Failures are returned, never raised: each names the line, the ``seq`` and the kind of the
entry, and what is wrong.
"""

from __future__ import annotations

import json
import multiprocessing
import os
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from guildhall.ballots import credentials
from guildhall.ballots.ballot import Ballot, ballot_problem
from guildhall.ballots.board import GENESIS, KINDS, entry_hash
from guildhall.ballots.crypto import group
from guildhall.ballots.crypto.elgamal import Ciphertext
from guildhall.ballots.crypto.hashing import h256, refuse_float
from guildhall.ballots.crypto.proofs import DlogProof
from guildhall.ballots.crypto.trustees import (
    DecryptionShare,
    combine,
    dealing_is_valid,
    share_is_valid,
)
from guildhall.ballots.errors import CryptoError
from guildhall.ballots.manifest import Manifest
from guildhall.ballots.tally import outcome
from guildhall.files.reading import BOARD_LIMIT, require_bytes

CHUNK = 2000


@dataclass(frozen=True)
class Failure:
    line: int
    seq: int | None
    kind: str | None
    what: str

    def __str__(self) -> str:
        where = f"line {self.line}"
        if self.seq is not None:
            where += f" (seq {self.seq}, {self.kind})"
        return f"{where}: {self.what}"


@dataclass
class Report:
    entries: int = 0
    ballots: int = 0
    failures: list[Failure] = field(default_factory=list)
    result: dict[str, Any] | None = None
    election: str | None = None

    @property
    def is_valid(self) -> bool:
        return not self.failures and self.result is not None


@dataclass(frozen=True)
class _Seen:
    """What a worker reports about one entry."""

    line: int
    seq: Any
    prev: Any
    kind: Any
    hash: Any
    hash_ok: bool
    body: Any = None
    credential: str | None = None
    ciphertext: str | None = None


# The worker's view of the election, set once per process.
_context: dict[str, Any] = {}


def _init_worker(manifest_json: dict[str, Any], election_hash: str, creds: Sequence[str]) -> None:
    manifest = Manifest.from_json(manifest_json)
    _context.update(
        hash=election_hash, key=manifest.public_key, values=manifest.values,
        shifts=[group.base_mul(v) for v in manifest.values], credentials=frozenset(creds),
    )  # fmt: skip


def _check_chunk(
    chunk: tuple[int, list[bytes]],
) -> tuple[list[_Seen], list[Failure], tuple[bytes, bytes], int]:
    first_line, lines = chunk
    seen: list[_Seen] = []
    failures: list[Failure] = []
    a_sum, b_sum, count = group.IDENTITY, group.IDENTITY, 0
    for offset, raw in enumerate(lines):
        line = first_line + offset
        try:
            entry = json.loads(raw, parse_float=refuse_float)
        except ValueError:
            failures.append(Failure(line, None, None, "not a JSON object"))
            seen.append(_Seen(line, None, None, None, None, False))
            continue
        if not isinstance(entry, dict) or set(entry) != {"seq", "prev", "kind", "body", "hash"}:
            failures.append(Failure(line, None, None, "not a board entry"))
            seen.append(_Seen(line, None, None, None, None, False))
            continue
        seq, kind, body = entry["seq"], entry["kind"], entry["body"]
        ok = entry["hash"] == entry_hash(seq, entry["prev"], kind, body, checked=True)
        if kind != "ballot":
            seen.append(_Seen(line, seq, entry["prev"], kind, entry["hash"], ok, body))
            continue
        what, cred, ct_key = _check_ballot(body)
        if what is not None:
            failures.append(Failure(line, seq, kind, what))
        elif cred is not None and ct_key is not None:
            a_sum = group.add(a_sum, bytes.fromhex(ct_key[: 2 * group.POINT_BYTES]))
            b_sum = group.add(b_sum, bytes.fromhex(ct_key[2 * group.POINT_BYTES :]))
            count += 1
        seen.append(_Seen(line, seq, entry["prev"], kind, entry["hash"], ok, None, cred, ct_key))
    return seen, failures, (a_sum, b_sum), count


def _check_ballot(body: Any) -> tuple[str | None, str | None, str | None]:
    if not isinstance(body, dict) or set(body) != {"ballot", "tracker"}:
        return "a ballot entry holds exactly a ballot and its tracker", None, None
    try:
        ballot = Ballot.from_json(body["ballot"], choices=len(_context["values"]))
    except CryptoError as exc:
        return f"malformed ballot: {exc}", None, None
    cred = ballot.credential.hex()
    ct_key = ballot.ciphertext.a.hex() + ballot.ciphertext.b.hex()
    if body["tracker"] != h256(body["ballot"], checked=True):
        return "the tracker is not the hash of the ballot", cred, ct_key
    if cred not in _context["credentials"]:
        return "signed with a credential that is not on the published list", cred, ct_key
    problem = ballot_problem(
        ballot, election_hash=_context["hash"], key=_context["key"], values=_context["values"],
        shifts=_context["shifts"],
    )  # fmt: skip
    return problem, cred, ct_key


def _chunks(lines: list[bytes], size: int) -> Iterator[tuple[int, list[bytes]]]:
    for start in range(0, len(lines), size):
        yield start + 1, lines[start : start + size]


def verify_board(path: Path | str, *, workers: int | None = None) -> Report:
    """Check the board file at ``path``; ``workers`` defaults to every core."""
    data = require_bytes(Path(path), limit=BOARD_LIMIT)  # a folder or a loop: InvalidInput
    lines = [ln for ln in data.split(b"\n") if ln.strip()]
    return verify_lines(lines, workers=workers)


def verify_lines(lines: list[bytes], *, workers: int | None = None) -> Report:
    report = Report(entries=len(lines))
    if len(lines) < 2:
        report.failures.append(
            Failure(1, None, None, "a board starts with election and credentials")
        )
        return report
    head = _read_head(lines, report)
    if head is None:
        return report
    manifest, election_hash, creds = head
    args = (manifest.as_json(), election_hash, creds)
    processes = workers or os.cpu_count() or 1
    chunks = list(_chunks(lines, CHUNK))
    if processes > 1 and len(chunks) > 1:
        ctx = multiprocessing.get_context("fork" if os.name == "posix" else "spawn")
        with ctx.Pool(processes, initializer=_init_worker, initargs=args) as pool:
            results = pool.map(_check_chunk, chunks, chunksize=1)
    else:
        _init_worker(*args)
        results = [_check_chunk(c) for c in chunks]
    _Combine(manifest, election_hash, report).run(results)
    return report


def _read_head(lines: list[bytes], report: Report) -> tuple[Manifest, str, list[str]] | None:
    try:
        first, second = json.loads(lines[0]), json.loads(lines[1])
        if first.get("kind") != "election":
            raise ValueError("the first entry is not the election")
        manifest = Manifest.from_json(first.get("body"))
    except (ValueError, CryptoError, AttributeError, KeyError, TypeError) as exc:
        report.failures.append(Failure(1, 0, "election", f"unreadable manifest: {exc}"))
        return None
    election_hash = h256(first["body"])
    report.election = election_hash
    body = second.get("body") if isinstance(second, dict) else None
    creds = body.get("credentials") if isinstance(body, dict) else None
    if (
        not isinstance(second, dict)
        or second.get("kind") != "credentials"
        or not isinstance(creds, list)
    ):
        report.failures.append(Failure(2, 1, "credentials", "the second entry is not the list"))
        return None
    problems = _credential_problems(creds, manifest.eligible)
    report.failures.extend(Failure(2, 1, "credentials", p) for p in problems)
    for i, (row, proof) in enumerate(
        zip(manifest.trustees.commitments, manifest.trustees.proofs, strict=True), start=1
    ):
        if not dealing_is_valid(manifest.id, i, row, proof):
            report.failures.append(
                Failure(1, 0, "election", f"trustee {i}'s proof of knowledge does not verify")
            )
    if manifest.trustees.public_key() != manifest.public_key:
        report.failures.append(
            Failure(1, 0, "election", "the public key is not the trustees' joint key")
        )
    return manifest, election_hash, [c for c in creds if isinstance(c, str)]


def _credential_problems(creds: list[Any], eligible: int) -> list[str]:
    problems = []
    if len(creds) != eligible:
        problems.append(f"{len(creds)} credentials published for {eligible} eligible members")
    if creds != sorted(creds):
        problems.append("the credentials are not sorted")
    if len(set(map(str, creds))) != len(creds):
        problems.append("a credential is published twice")
    for c in creds:
        try:
            raw = bytes.fromhex(c)
        except (ValueError, TypeError):
            problems.append(f"credential {c!r} is not hex")
            continue
        if raw.hex() != c or not credentials.public_key_is_valid(raw):
            problems.append(f"credential {c} is not an Ed25519 public key")
    return problems


_ORDER = {"election": 0, "credentials": 1, "opened": 2, "ballot": 3, "closed": 4, "tally": 5,
          "decryption": 6, "result": 7, "certified": 8}  # fmt: skip


class _Combine:
    """The checks that need the whole board: chain, order, duplicates, tally, result."""

    def __init__(self, manifest: Manifest, election_hash: str, report: Report) -> None:
        self.manifest = manifest
        self.election_hash = election_hash
        self.report = report
        self.bodies: dict[str, list[tuple[_Seen, Any]]] = {k: [] for k in KINDS}

    def fail(self, seen: _Seen, what: str) -> None:
        kind = seen.kind if isinstance(seen.kind, str) else None
        seq = seen.seq if isinstance(seen.seq, int) else None
        self.report.failures.append(Failure(seen.line, seq, kind, what))

    def run(
        self, results: list[tuple[list[_Seen], list[Failure], tuple[bytes, bytes], int]]
    ) -> None:
        seen: list[_Seen] = []
        a_sum, b_sum, valid = group.IDENTITY, group.IDENTITY, 0
        for chunk_seen, failures, (a, b), count in results:
            seen.extend(chunk_seen)
            self.report.failures.extend(failures)
            a_sum, b_sum, valid = group.add(a_sum, a), group.add(b_sum, b), valid + count
        self.chain(seen)
        self.order_and_duplicates(seen)
        self.report.ballots = len(self.bodies["ballot"])
        self.close(Ciphertext(a_sum, b_sum), valid)
        self.report.failures.sort(key=lambda f: f.line)

    def chain(self, seen: list[_Seen]) -> None:
        prev = GENESIS
        for index, s in enumerate(seen):
            if s.seq is None:
                prev = ""
                continue
            if s.seq != index:
                self.fail(s, f"out of sequence: expected seq {index}")
            if s.prev != prev:
                self.fail(s, "does not link to the entry before it "
                             "(an entry was removed, inserted or reordered)")  # fmt: skip
            if not s.hash_ok:
                self.fail(s, "its hash does not match its content (the entry was changed)")
            prev = s.hash if isinstance(s.hash, str) else ""

    def order_and_duplicates(self, seen: list[_Seen]) -> None:
        stage = -1
        by_credential: dict[str, int] = {}
        by_ciphertext: dict[str, int] = {}
        for s in seen:
            if s.kind is None:
                continue
            if s.kind not in _ORDER:
                self.fail(s, f"unknown entry kind {s.kind!r}")
                continue
            rank = _ORDER[s.kind]
            repeatable = s.kind in ("ballot", "decryption")
            if rank < stage or (rank == stage and not repeatable):
                self.fail(s, f"a {s.kind} entry cannot come here")
            stage = max(stage, rank)
            self.bodies[s.kind].append((s, s.body))
            if s.kind != "ballot":
                if s.kind != "election" and (
                    not isinstance(s.body, dict) or s.body.get("election") != self.election_hash
                ):
                    self.fail(s, "does not name this election")
                continue
            if s.credential is not None:
                if s.credential in by_credential:
                    self.fail(s, "double vote: this credential already cast the ballot on "
                                 f"line {by_credential[s.credential]}")  # fmt: skip
                else:
                    by_credential[s.credential] = s.line
            if s.ciphertext is not None:
                if s.ciphertext in by_ciphertext:
                    self.fail(s, "replayed ballot: the same ciphertext is on line "
                                 f"{by_ciphertext[s.ciphertext]}")  # fmt: skip
                else:
                    by_ciphertext[s.ciphertext] = s.line
        if not self.bodies["opened"]:
            self.report.failures.append(Failure(3, 2, "opened", "the election was never opened"))

    def close(self, sum_of_ballots: Ciphertext, valid: int) -> None:
        count = len(self.bodies["ballot"])
        closed = self._one("closed")
        if closed is None:
            return
        seen, body = closed
        if body.get("ballots") != count:
            self.fail(seen, f"says {body.get('ballots')} ballots; the board holds {count}")
        tally_entry = self._one("tally")
        if tally_entry is None:
            return
        seen, body = tally_entry
        try:
            tally = Ciphertext.from_json(body.get("ciphertext"))
        except CryptoError as exc:
            self.fail(seen, f"malformed tally: {exc}")
            return
        if body.get("ballots") != count:
            self.fail(seen, f"counts {body.get('ballots')} ballots; the board holds {count}")
        if tally != sum_of_ballots or valid != count:
            self.fail(seen, "the encrypted tally is not the sum of the valid ballots")
        shares = self.shares(tally)
        result = self._one("result")
        if result is None or shares is None:
            return
        self.result(result, tally, shares, count)

    def shares(self, tally: Ciphertext) -> list[DecryptionShare] | None:
        shares: list[DecryptionShare] = []
        context = bytes.fromhex(self.election_hash)
        for seen, body in self.bodies["decryption"]:
            try:
                share = DecryptionShare(
                    int(body["trustee"]), group.point_from_hex(body.get("share"), "share"),
                    DlogProof.from_json(body.get("proof")),
                )  # fmt: skip
            except (CryptoError, KeyError, TypeError, ValueError) as exc:
                self.fail(seen, f"malformed decryption share: {exc}")
                continue
            if share.trustee in {s.trustee for s in shares}:
                self.fail(seen, f"trustee {share.trustee} decrypted twice")
            elif not share_is_valid(
                share, trustees=self.manifest.trustees, context=context, a=tally.a
            ):
                self.fail(seen, f"trustee {share.trustee}'s decryption proof does not verify")
            else:
                shares.append(share)
        if len(shares) < self.manifest.trustees.k:
            k = self.manifest.trustees.k
            what = f"{len(shares)} valid decryption shares; {k} are needed"
            self.report.failures.append(Failure(0, None, None, what))
            return None
        return shares

    def result(
        self,
        entry: tuple[_Seen, Any],
        tally: Ciphertext,
        shares: list[DecryptionShare],
        count: int,
    ) -> None:
        seen, body = entry
        total = body.get("total")
        if not isinstance(total, int) or total < 0:
            self.fail(seen, "the total is not a whole number")
            return
        if combine(shares, tally.b) != group.base_mul(total):
            self.fail(seen, "the decrypted tally is not the published total")
            return
        try:
            expected = outcome(self.manifest, total, count).as_body(self.election_hash)
        except ValueError as exc:
            self.fail(seen, str(exc))
            return
        for name, value in expected.items():
            if body.get(name) != value:
                self.fail(seen, f"{name} is {body.get(name)!r}; the decryption gives {value!r}")
        if set(body) != set(expected):
            self.fail(seen, "the result holds fields this format does not have")
        self.report.result = {
            **expected, "threshold": self.manifest.as_json()["threshold"],
            "question": self.manifest.question, "id": self.manifest.id,
        }  # fmt: skip

    def _one(self, kind: str) -> tuple[_Seen, Any] | None:
        entries = self.bodies[kind]
        if not entries:
            self.report.failures.append(Failure(0, None, None, f"the board has no {kind} entry"))
            return None
        seen, body = entries[0]
        if not isinstance(body, dict):
            self.fail(seen, "the body is not an object")
            return None
        return seen, body
