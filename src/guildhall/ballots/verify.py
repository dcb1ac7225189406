"""The independent verifier: reads only a published board and checks everything.

The checks are those of ``docs/ballots.md`` §10. Ballots are checked in parallel, one
worker process per core; each worker also recomputes the hash of every entry it is given
and sums the ciphertexts of its ballots. The main process then walks the chain, looks for
duplicate credentials and ciphertexts, and checks the tally, the decryption and the result.

Failures are returned, never raised: each names the line, the ``seq``, the kind of the
entry and the field that is wrong, and what is wrong. A board that cannot be read at all
(no file, not UTF-8, no first entry) raises ``Unreadable``.

Given as well: the guild's rules file (its hash and vote settings, ``RulesReference``),
signed checkpoints the server published while the vote was open, and the election file a
member holds; each is checked against the board.
"""

from __future__ import annotations

import json
import multiprocessing
import os
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from guildhall.ballots import credentials, identity, shapes
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
from guildhall.ballots.identity import TAG_CERTIFIED, TAG_CHECKPOINT
from guildhall.ballots.manifest import Manifest
from guildhall.ballots.shapes import Malformed
from guildhall.ballots.tally import outcome
from guildhall.ballots.trustee_steps import share_anchor_problem
from guildhall.ballots.verify_entries import (
    BallotContext,
    Problems,
    ballot_body,
    count_field,
    spoiled_body,
    timed,
)
from guildhall.core.errors import InvalidInput
from guildhall.core.thresholds import Threshold
from guildhall.files.reading import BOARD_LIMIT, require_bytes

CHUNK = 2000
Progress = Callable[[int, int], None]


class Unreadable(Exception):
    """The board cannot be read at all."""


@dataclass(frozen=True)
class Failure:
    line: int | None
    seq: int | None
    kind: str | None
    field: str | None
    what: str

    def __str__(self) -> str:
        if self.line is None:
            where = "board"
        else:
            where = f"line {self.line}"
            if self.seq is not None:
                where += f" (seq {self.seq}, {self.kind})"
        if self.field:
            where += f" field {self.field}"
        return f"{where}: {self.what}"

    def as_json(self) -> dict[str, Any]:
        return {"line": self.line, "seq": self.seq, "kind": self.kind, "field": self.field,
                "what": self.what}  # fmt: skip


@dataclass(frozen=True)
class RulesReference:
    """The guild's rules file as the verifier was given it: its SHA-256 and its vote rules."""

    sha256: str
    votes: Mapping[str, Threshold]


@dataclass
class Report:
    entries: int = 0
    ballots: int = 0
    spoiled: int = 0
    checkpoints: int = 0
    certified: bool = False
    failures: list[Failure] = field(default_factory=list)
    result: dict[str, Any] | None = None
    election: str | None = None

    @property
    def is_valid(self) -> bool:
        return not self.failures and self.result is not None

    def as_json(self) -> dict[str, Any]:
        return {"valid": self.is_valid, "election": self.election, "entries": self.entries,
                "ballots": self.ballots, "spoiled": self.spoiled, "certified": self.certified,
                "checkpoints": self.checkpoints,
                "failures": [f.as_json() for f in self.failures],
                "result": self.result}  # fmt: skip


@dataclass(frozen=True)
class _Seen:
    """What a worker reports about one entry."""

    line: int
    seq: int | None
    prev: str | None
    kind: str | None
    hash: str | None
    hash_ok: bool
    body: Any = None
    credential: str | None = None
    ciphertext: str | None = None
    valid: bool = False


_ENTRY_KEYS = {"seq", "prev", "kind", "body", "hash"}
_context: dict[str, Any] = {}


def _init_worker(manifest_json: dict[str, Any], election_hash: str, creds: Sequence[str]) -> None:
    _context["ctx"] = BallotContext.of(Manifest.from_json(manifest_json), election_hash, creds)
    _context["creds"] = list(creds)


def _entry_shape(entry: Any) -> str | None:
    """What is wrong with the frame of an entry (its five fields), or ``None``."""
    if not isinstance(entry, dict):
        return "the line is not a JSON object"
    if entry.keys() != _ENTRY_KEYS:
        missing = sorted(_ENTRY_KEYS - set(entry))
        return f"{missing[0]}: is missing" if missing else "an entry holds exactly seq, prev, " \
            "kind, body and hash"  # fmt: skip
    seq = entry["seq"]
    if not isinstance(seq, int) or isinstance(seq, bool) or seq < 0:
        return f"seq: {seq!r} is not a whole number"
    for name in ("prev", "hash"):
        try:
            shapes.digest(entry[name], name)
        except Malformed as exc:
            return str(exc)
    if entry["kind"] not in KINDS:
        return f"kind: {entry['kind']!r} is not a kind of entry"
    if not isinstance(entry["body"], dict):
        return "body: is not an object"
    return None


Chunk = tuple[list[_Seen], list[Failure], tuple[bytes, bytes], int]


def _check_chunk(chunk: tuple[int, list[bytes], int, int]) -> Chunk:
    """Check the entries of one chunk of lines, and the credentials ``start:stop`` of the
    published list as points."""
    first_line, lines, start, stop = chunk
    ctx: BallotContext = _context["ctx"]
    failures = [Failure(2, 1, "credentials", f, w)
                for f, w in credentials.point_problems(_context["creds"], start, stop)]  # fmt: skip
    seen: list[_Seen] = []
    a_sum, b_sum, count = group.IDENTITY, group.IDENTITY, 0
    for offset, raw in enumerate(lines):
        line = first_line + offset
        try:
            entry = json.loads(raw, parse_float=refuse_float)
        except (ValueError, UnicodeDecodeError):
            entry = None
        problem = _entry_shape(entry) if entry is not None else "the line is not JSON"
        if problem is not None:
            name, _, what = problem.partition(": ") if ": " in problem[:8] else ("", "", problem)
            failures.append(Failure(line, None, None, name or None, what))
            seen.append(_Seen(line, None, None, None, None, False))
            continue
        assert entry is not None
        seq, kind, body = entry["seq"], entry["kind"], entry["body"]
        ok = entry["hash"] == entry_hash(seq, entry["prev"], kind, body, checked=True)
        cred = ct_key = None
        valid = False
        if kind == "ballot":
            problems, cred, ct_key = ballot_body(body, ctx)
            valid = not problems
            if valid and ct_key is not None:
                a_sum = group.add(a_sum, bytes.fromhex(ct_key[: 2 * group.POINT_BYTES]))
                b_sum = group.add(b_sum, bytes.fromhex(ct_key[2 * group.POINT_BYTES :]))
                count += 1
            body = None
        elif kind == "spoiled":
            problems, ct_key = spoiled_body(body, ctx)
        else:
            problems = []
        failures.extend(Failure(line, seq, kind, f, w) for f, w in problems)
        seen.append(_Seen(line, seq, entry["prev"], kind, entry["hash"], ok, body, cred, ct_key,
                          valid))  # fmt: skip
    return seen, failures, (a_sum, b_sum), count


def _chunks(
    lines: list[bytes], size: int, credential_count: int
) -> Iterator[tuple[int, list[bytes], int, int]]:
    count = -(-len(lines) // size)
    share = -(-credential_count // count)
    for n, start in enumerate(range(0, len(lines), size)):
        yield start + 1, lines[start : start + size], n * share, (n + 1) * share


def read_board(path: Path | str) -> list[bytes]:
    """The board file's non-empty lines; ``Unreadable`` if it cannot be read."""
    try:
        data = require_bytes(Path(path), limit=BOARD_LIMIT)
    except InvalidInput as exc:
        raise Unreadable("; ".join(p.what for p in exc.problems)) from None
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise Unreadable(f"not UTF-8 text (byte {exc.start})") from None
    lines = [ln for ln in data.split(b"\n") if ln.strip()]
    if not lines:
        raise Unreadable("empty, not a board")
    return lines


def verify_board(path: Path | str, **options: Any) -> Report:
    """Check the board file at ``path`` (``verify_lines`` says which options it takes)."""
    return verify_lines(read_board(path), **options)


def verify_lines(
    lines: list[bytes],
    *,
    workers: int | None = None,
    rules: RulesReference | None = None,
    checkpoints: Sequence[tuple[str, Any]] = (),
    election_file: Any = None,
    progress: Progress | None = None,
) -> Report:
    """Check a board given as its lines. ``checkpoints``: (name, signed checkpoint) pairs;
    ``election_file``: the manifest as a member holds it; ``progress(done, total)`` is
    called as the ballots are checked."""
    try:
        first = json.loads(lines[0], parse_float=refuse_float)
    except (ValueError, UnicodeDecodeError, IndexError):
        raise Unreadable("line 1 is not a JSON board entry") from None
    report = Report(entries=len(lines))
    head = _read_head(first, lines, report, rules, election_file)
    if head is None:
        return report
    manifest, election_hash, creds = head
    args = (manifest.as_json(), election_hash, creds)
    processes = workers or os.cpu_count() or 1
    chunks = list(_chunks(lines, CHUNK, len(creds)))
    results: list[Chunk] = []
    if processes > 1 and len(chunks) > 1:
        ctx = multiprocessing.get_context("fork" if os.name == "posix" else "spawn")
        with ctx.Pool(processes, initializer=_init_worker, initargs=args) as pool:
            for result in pool.imap(_check_chunk, chunks):
                results.append(result)
                if progress:
                    progress(min(len(results) * CHUNK, len(lines)), len(lines))
    else:
        _init_worker(*args)
        for c in chunks:
            results.append(_check_chunk(c))
            if progress:
                progress(min(len(results) * CHUNK, len(lines)), len(lines))
    combined = _Combine(manifest, election_hash, report)
    combined.run(results)
    combined.checkpoints(checkpoints)
    report.failures.sort(key=_order)
    return report


def _order(f: Failure) -> tuple[bool, int, int]:
    """Failures by line; on one line, one naming a part of a field (``credentials[3]``,
    ``counts.yes``) before one about the whole (``credentials``), so the first names what
    was changed."""
    specific = f.field is not None and ("[" in f.field or "." in f.field)
    return f.line is None, f.line or 0, 0 if specific else 1


def _head_failure(report: Report, line: int, kind: str, field: str | None, what: str) -> None:
    report.failures.append(Failure(line, line - 1, kind, field, what))


def _read_head(
    first: Any, lines: list[bytes], report: Report, rules: RulesReference | None,
    election_file: Any,
) -> tuple[Manifest, str, list[str]] | None:  # fmt: skip
    body = first.get("body") if isinstance(first, dict) else None
    if not isinstance(first, dict) or first.get("kind") != "election":
        _head_failure(report, 1, "election", "kind", "the first entry is not the election")
        return None
    if election_file is not None:
        _compare_election_file(body, election_file, report)
    try:
        manifest = Manifest.from_json(body)
    except Malformed as exc:
        _head_failure(report, 1, "election", exc.field, exc.what)
        return None
    election_hash = h256(body)
    report.election = election_hash
    _manifest_checks(manifest, report, rules)
    if len(lines) < 2:
        report.failures.append(
            Failure(None, None, None, None, "the board has no credentials entry")
        )
        return None
    try:
        second = json.loads(lines[1], parse_float=refuse_float)
    except (ValueError, UnicodeDecodeError):
        second = None
    if not isinstance(second, dict) or second.get("kind") != "credentials":
        _head_failure(
            report, 2, "credentials", "kind", "the second entry is not the credential list"
        )
        return None
    problems = credentials.list_problems(second.get("body"), election_hash=election_hash,
                                         eligible=manifest.eligible,
                                         authority=manifest.authority, points=False)  # fmt: skip
    for name, what in problems:
        _head_failure(report, 2, "credentials", name, what)
    creds = (
        second.get("body", {}).get("credentials") if isinstance(second.get("body"), dict) else []
    )
    return manifest, election_hash, [c for c in (creds or []) if isinstance(c, str)]


def _compare_election_file(body: Any, held: Any, report: Report) -> None:
    if not isinstance(body, dict) or not isinstance(held, dict):
        return
    for name in sorted(set(body) | set(held)):
        if body.get(name) != held.get(name):
            _head_failure(
                report,
                1,
                "election",
                name,
                "differs from the election file given: the manifest was changed",
            )


def _manifest_checks(manifest: Manifest, report: Report, rules: RulesReference | None) -> None:
    t = manifest.trustees
    for i, (row, proof) in enumerate(zip(t.commitments, t.proofs, strict=True), start=1):
        if not dealing_is_valid(manifest.id, i, row, proof):
            _head_failure(
                report,
                1,
                "election",
                f"trustees.proofs[{i - 1}]",
                f"trustee {i}'s proof of knowledge does not verify",
            )
    if t.public_key() != manifest.public_key:
        _head_failure(report, 1, "election", "public_key", "is not the trustees' joint key")
    if manifest.question == "strike_authorization" and rules is None:
        _head_failure(
            report,
            1,
            "election",
            "threshold",
            "a strike authorization's rule is checked against the guild's rules "
            "file: give it (--rules)",
        )
        return
    if rules is None or manifest.rules_sha256 is None:
        return
    if manifest.rules_sha256 != rules.sha256:
        _head_failure(
            report,
            1,
            "election",
            "threshold.rules_sha256",
            f"is not the SHA-256 of the rules file given ({rules.sha256})",
        )
    expected = rules.votes.get(manifest.question)
    if expected is not None and expected != manifest.threshold:
        ratio = f"{expected.ratio.numerator}/{expected.ratio.denominator}"
        _head_failure(
            report,
            1,
            "election",
            "threshold",
            f"the rules file decides a {manifest.question} by {ratio} "
            f"{expected.comparison}, not by the manifest's rule",
        )


_ORDER = {"election": 0, "credentials": 1, "opened": 2, "ballot": 3, "spoiled": 3, "closed": 4,
          "tally": 5, "decryption": 6, "result": 7, "certified": 8}  # fmt: skip
_REPEATABLE = {"ballot", "spoiled", "decryption"}


class _Combine:
    """The checks that need the whole board: chain, order, duplicates, tally, result."""

    def __init__(self, manifest: Manifest, election_hash: str, report: Report) -> None:
        self.manifest = manifest
        self.election_hash = election_hash
        self.report = report
        self.by_kind: dict[str, list[_Seen]] = {k: [] for k in KINDS}
        self.seen: list[_Seen] = []

    def fail(self, seen: _Seen, field: str | None, what: str) -> None:
        self.report.failures.append(Failure(seen.line, seen.seq, seen.kind, field, what))

    def run(self, results: list[Chunk]) -> None:
        a_sum, b_sum, valid = group.IDENTITY, group.IDENTITY, 0
        for chunk_seen, failures, (a, b), count in results:
            self.seen.extend(chunk_seen)
            self.report.failures.extend(failures)
            a_sum, b_sum, valid = group.add(a_sum, a), group.add(b_sum, b), valid + count
        self.chain()
        self.order_and_duplicates()
        self.report.ballots = len(self.by_kind["ballot"])
        self.report.spoiled = len(self.by_kind["spoiled"])
        times = self.times()
        self.close(Ciphertext(a_sum, b_sum), valid, times)

    def chain(self) -> None:
        prev: str | None = GENESIS
        for index, s in enumerate(self.seen):
            if s.seq is None:
                prev = None
                continue
            if s.seq != index:
                self.fail(s, "seq", f"out of sequence: expected seq {index}")
            if prev is not None and s.prev != prev:
                self.fail(s, "prev", "does not link to the entry before it "
                                     "(an entry was removed, inserted or reordered)")  # fmt: skip
            if not s.hash_ok:
                self.fail(s, "hash", "does not match the entry's content (the entry was changed)")
            prev = s.hash

    def order_and_duplicates(self) -> None:
        stage = -1
        by_credential: dict[str, int] = {}
        by_ciphertext: dict[str, int] = {}
        spoiled: dict[str, int] = {}
        other_election = 0
        for s in self.seen:
            if s.kind is None:
                continue
            rank = _ORDER[s.kind]
            if rank < stage or (rank == stage and s.kind not in _REPEATABLE):
                self.fail(s, "kind", f"a {s.kind} entry cannot come here")
            stage = max(stage, rank)
            self.by_kind[s.kind].append(s)
            if (
                s.kind not in ("ballot", "election")
                and s.body.get("election") != self.election_hash
            ):
                other_election += 1
                self.fail(s, "election", "does not name this election")
            if s.kind == "spoiled" and s.ciphertext is not None:
                if s.ciphertext in by_ciphertext:
                    self.fail(
                        s,
                        "ballot",
                        "this ballot was cast (line "
                        f"{by_ciphertext[s.ciphertext]}); a cast ballot is never opened",
                    )
                spoiled.setdefault(s.ciphertext, s.line)
            if s.kind != "ballot":
                continue
            if s.credential is not None:
                if s.credential in by_credential:
                    self.fail(
                        s,
                        "ballot.credential",
                        "double vote: this credential already "
                        f"cast the ballot on line {by_credential[s.credential]}",
                    )
                else:
                    by_credential[s.credential] = s.line
            if s.ciphertext is not None:
                if s.ciphertext in spoiled:
                    self.fail(
                        s,
                        "ballot",
                        "a spoiled ballot was counted: it was opened on line "
                        f"{spoiled[s.ciphertext]}",
                    )
                if s.ciphertext in by_ciphertext:
                    self.fail(
                        s,
                        "ballot.ciphertext",
                        "replayed ballot: the same ciphertext is "
                        f"on line {by_ciphertext[s.ciphertext]}",
                    )
                else:
                    by_ciphertext[s.ciphertext] = s.line
        if other_election and other_election == sum(
            len(v) for k, v in self.by_kind.items() if k not in ("ballot", "election")
        ):
            self.report.failures.append(Failure(1, 0, "election", "manifest",
                "no entry after it names its hash: the manifest was changed (give the "
                "election file you hold, --election, to name the field)"))  # fmt: skip
        for kind in ("opened", "closed", "tally", "result"):
            if not self.by_kind[kind]:
                self.report.failures.append(
                    Failure(None, None, None, kind, f"the board has no {kind} entry")
                )

    def times(self) -> dict[str, datetime]:
        """The opened, closed and certified times, each checked for form and order."""
        m = self.manifest
        out: dict[str, datetime] = {}
        specs = (("opened", ("election", "opened_at"), "opened_at"),
                 ("closed", ("election", "closed_at", "ballots"), "closed_at"),
                 ("certified", ("election", "certified_at", "result", "signature"),
                  "certified_at"))  # fmt: skip
        for kind, keys, at in specs:
            for s in self.by_kind[kind][:1]:
                try:
                    out[kind] = timed(s.body, keys, at)
                except Malformed as exc:
                    self.fail(s, exc.field, exc.what)
        opened, closed, certified = out.get("opened"), out.get("closed"), out.get("certified")
        if opened is not None and not m.opens_at <= opened < m.closes_at:
            self.fail(
                self.by_kind["opened"][0],
                "opened_at",
                f"is outside the voting window {m.opens_at.isoformat()} to "
                f"{m.closes_at.isoformat()}",
            )
        if closed is not None and closed < m.closes_at:
            self.fail(
                self.by_kind["closed"][0],
                "closed_at",
                f"is before the closing time {m.closes_at.isoformat()}",
            )
        if certified is not None and closed is not None and certified < closed:
            self.fail(self.by_kind["certified"][0], "certified_at", "is before closed_at")
        return out

    def close(self, sum_of_ballots: Ciphertext, valid: int, times: dict[str, datetime]) -> None:
        count = len(self.by_kind["ballot"])
        if not self.by_kind["closed"] or "closed" not in times:
            return
        closed = self.by_kind["closed"][0]
        for f, w in count_field(closed.body, "ballots", count, "ballots"):
            self.fail(closed, f, w)
        if not self.by_kind["tally"]:
            return
        entry = self.by_kind["tally"][0]
        try:
            shapes.obj(entry.body, "", ("election", "ballots", "ciphertext"))
            tally = Ciphertext.from_json(shapes.obj(entry.body["ciphertext"], "ciphertext",
                                                    ("a", "b")))  # fmt: skip
        except Malformed as exc:
            self.fail(entry, exc.field, exc.what)
            return
        except CryptoError as exc:
            self.fail(entry, "ciphertext", str(exc))
            return
        for f, w in count_field(entry.body, "ballots", count, "ballots"):
            self.fail(entry, f, w)
        if tally != sum_of_ballots and valid == count:
            self.fail(entry, "ciphertext", "is not the sum of the ballots on the board")
        elif valid != count:
            self.fail(entry, "ciphertext", f"{count - valid} ballots on the board do not "
                      "verify (see their lines): no tally of them can be checked")  # fmt: skip
            return
        shares = self.shares(tally, closed.hash or "")
        if shares is None or not self.by_kind["result"]:
            return
        self.result(self.by_kind["result"][0], tally, shares, count)

    def shares(self, tally: Ciphertext, head: str) -> list[DecryptionShare] | None:
        shares: list[DecryptionShare] = []
        context = bytes.fromhex(self.election_hash)
        keys = ("election", "head", "trustee", "share", "proof", "signature")
        for s in self.by_kind["decryption"]:
            body = s.body
            try:
                shapes.obj(body, "", keys)
                trustee = shapes.integer(body["trustee"], "trustee", low=1,
                                         high=self.manifest.trustees.n)  # fmt: skip
                share = DecryptionShare(trustee, group.point_from_hex(body["share"], "share"),
                                        DlogProof.from_json(body["proof"]))  # fmt: skip
            except Malformed as exc:
                self.fail(s, exc.field, exc.what)
                continue
            except CryptoError as exc:
                self.fail(s, "share" if str(exc).startswith("share") else "proof", str(exc))
                continue
            anchor = share_anchor_problem(body, self.manifest, head)
            if anchor is not None:
                name, _, what = anchor.partition(": ")
                self.fail(s, name, what)
                continue
            if share.trustee in {x.trustee for x in shares}:
                self.fail(s, "trustee", f"trustee {share.trustee} decrypted twice")
            elif not share_is_valid(share, trustees=self.manifest.trustees, context=context,
                                    a=tally.a):  # fmt: skip
                self.fail(s, "proof", f"trustee {share.trustee}'s decryption proof does not verify")
            else:
                shares.append(share)
        k = self.manifest.trustees.k
        if len(shares) < k:
            self.report.failures.append(Failure(None, None, None, "decryption",
                f"{len(shares)} valid decryption shares; {k} are needed"))  # fmt: skip
            return None
        return shares

    def result(
        self, s: _Seen, tally: Ciphertext, shares: list[DecryptionShare], count: int
    ) -> None:
        body = s.body
        keys = ("election", "total", "counts", "blank", "cast", "eligible", "passed")
        try:
            shapes.obj(body, "", keys)
            total = shapes.integer(body["total"], "total")
            shapes.obj(body["counts"], "counts", self.manifest.options)
            for name in self.manifest.options:
                shapes.integer(body["counts"][name], f"counts.{name}")
            for name in ("blank", "cast", "eligible"):
                shapes.integer(body[name], name)
            shapes.boolean(body["passed"], "passed")
        except Malformed as exc:
            self.fail(s, exc.field, exc.what)
            return
        bound = count * self.manifest.radix ** (len(self.manifest.options) - 1)
        if total > bound:
            self.fail(s, "total", f"{total} is above {bound}, the most {count} ballots can sum to")
            return
        if combine(shares, tally.b) != group.base_mul(total):
            self.fail(s, "total", "is not the decryption of the tally")
            return
        try:
            expected = outcome(self.manifest, total, count).as_body(self.election_hash)
        except ValueError as exc:
            self.fail(s, "total", str(exc))
            return
        for name, value in expected.items():
            if name == "counts":
                for option, n in value.items():
                    if body["counts"][option] != n:
                        self.fail(
                            s,
                            f"counts.{option}",
                            f"is {body['counts'][option]}; the decryption gives {n}",
                        )
            elif body[name] != value:
                self.fail(s, name, f"is {body[name]!r}; the decryption gives {value!r}")
        self.report.result = {
            **expected, "threshold": self.manifest.as_json()["threshold"],
            "question": self.manifest.question, "id": self.manifest.id,
            "motion": self.manifest.motion,
        }  # fmt: skip
        for c in self.by_kind["certified"][:1]:
            if c.body.get("result") != s.hash:
                self.fail(c, "result", "is not the hash of the result entry")
            elif not identity.verify(TAG_CERTIFIED, self.manifest.board_key, c.body):
                self.fail(c, "signature", "not signed by the board's key in the manifest")
            else:
                self.report.certified = True

    def checkpoints(self, given: Sequence[tuple[str, Any]]) -> None:
        for name, data in given:
            problem = self._checkpoint_problem(data)
            if problem is None:
                self.report.checkpoints += 1
            else:
                field, what = problem
                self.report.failures.append(Failure(None, None, "checkpoint", field,
                                                    f"{name}: {what}"))  # fmt: skip

    def _checkpoint_problem(self, data: Any) -> tuple[str, str] | None:
        try:
            shapes.obj(data, "", ("election", "seq", "head", "at", "signature"))
            seq = shapes.integer(data["seq"], "seq")
            shapes.digest(data["head"], "head")
            shapes.when(data["at"], "at")
        except Malformed as exc:
            return exc.field, exc.what
        if data["election"] != self.election_hash:
            return "election", "a checkpoint of another election"
        if not identity.verify(TAG_CHECKPOINT, self.manifest.board_key, data):
            return "signature", "not signed by the board's key in the manifest"
        if seq >= len(self.seen):
            return "seq", f"the board has no entry {seq}: entries were removed after it was signed"
        if self.seen[seq].hash != data["head"]:
            return "head", (
                f"entry {seq} is not the one the server signed at {data['at']}: "
                "the board was rewritten after this checkpoint"
            )
        return None


__all__ = [
    "Failure",
    "Problems",
    "Report",
    "RulesReference",
    "Unreadable",
    "read_board",
    "verify_board",
    "verify_lines",
]
