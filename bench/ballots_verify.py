"""Ballots benchmark: encrypt-and-prove and verify per core, a 160,000-ballot board verified
end to end, and ElectionGuard 1.4 on the same yes/no task.

Usage: .venv/bin/python bench/ballots_verify.py [--ballots 160000] [--repeats 5]
ElectionGuard runs in bench/ballots_env (Python 3.10, electionguard==1.4.0), created with
``/root/.pyenv/versions/3.10.13/bin/python -m venv bench/ballots_env`` and
``bench/ballots_env/bin/pip install electionguard==1.4.0``.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import multiprocessing
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

from guildhall.ballots import credentials, identity
from guildhall.ballots.ballot import ballot_problem, encrypt_ballot
from guildhall.ballots.board import MemoryBoard
from guildhall.ballots.crypto import group, trustees
from guildhall.ballots.crypto.elgamal import Ciphertext
from guildhall.ballots.manifest import Manifest
from guildhall.ballots.tally import decrypt
from guildhall.ballots.trustee_steps import signed_share
from guildhall.ballots.verify import verify_board
from guildhall.services.ballots.verifying import rules_reference

HERE = Path(__file__).parent
_state: dict[str, object] = {}


RULES = rules_reference(HERE.parent / "rules" / "sag.yaml")
AUTHORITY, BOARD_KEY = (
    hashlib.sha256(b"bench-authority").digest(),
    hashlib.sha256(b"bench-board").digest(),
)


def _manifest(eligible: int) -> tuple[Manifest, list[trustees.TrusteeKey]]:
    public, keys = trustees.ceremony("bench", n=5, k=3)
    manifest = Manifest(
        "bench", None, "strike_authorization", "Authorize a strike?", ("yes", "no"), False,
        eligible, RULES.votes["strike_authorization"], datetime(2025, 1, 1, tzinfo=UTC),
        datetime(2025, 2, 1, tzinfo=UTC), public, public.public_key(),
        record_date=datetime(2024, 12, 31).date(), rules_sha256=RULES.sha256,
        authority=identity.public_of(AUTHORITY), board_key=identity.public_of(BOARD_KEY),
    )  # fmt: skip
    return manifest, keys


def _seed(i: int) -> bytes:
    return hashlib.sha256(b"bench-credential-%d" % i).digest()


def _make(span: tuple[int, int]) -> tuple[list[tuple[bytes, str]], bytes, bytes]:
    manifest: Manifest = _state["manifest"]  # type: ignore[assignment]
    h: str = _state["hash"]  # type: ignore[assignment]
    out = []
    a, b = group.IDENTITY, group.IDENTITY
    for i in range(*span):
        ballot = encrypt_ballot(manifest, h, _seed(i), "yes" if i % 5 else "no")
        out.append((ballot.credential, json.dumps({"ballot": ballot.as_json(),
                                                   "tracker": ballot.tracker})))  # fmt: skip
        a, b = group.add(a, ballot.ciphertext.a), group.add(b, ballot.ciphertext.b)
    return out, a, b


def per_core(manifest: Manifest, h: str, count: int = 400) -> tuple[float, float]:
    enc, ver = [], []
    ballots = []
    for i in range(count):
        t = time.perf_counter()
        ballots.append(encrypt_ballot(manifest, h, _seed(i), "yes"))
        enc.append(time.perf_counter() - t)
    shifts = [group.base_mul(v) for v in manifest.values]
    for ballot in ballots:
        t = time.perf_counter()
        assert ballot_problem(ballot, election_hash=h, key=manifest.public_key,
                              values=manifest.values, shifts=shifts) is None  # fmt: skip
        ver.append(time.perf_counter() - t)
    return statistics.median(enc), statistics.median(ver)


def floor(manifest: Manifest, h: str, count: int = 2000) -> float:
    """The libraries' own cost of one yes/no ballot's check: exactly the calls into
    libsecp256k1 (2 point decodings, 2 fixed-base and 6 variable-base multiplications, 4
    combinations, 1 subtraction of each shift, 4 encodings) and libsodium (one Ed25519
    verification), plus the SHA-512 of the statement, with no Guildhall code in between.
    Median seconds per ballot."""
    from coincurve import PublicKey
    from nacl.signing import VerifyKey

    from guildhall.ballots.ballot import signed_bytes

    key = PublicKey(manifest.public_key)
    neg_shifts = [PublicKey(group.neg(group.base_mul(v))) for v in manifest.values]
    ballots = [encrypt_ballot(manifest, h, _seed(i), "yes") for i in range(count)]
    times = []
    for ballot in ballots:
        message = signed_bytes(ballot.unsigned_json())
        cs = [c.to_bytes(32, "big") for c in ballot.proof.challenges]
        neg_cs = [((-c) % group.L).to_bytes(32, "big") for c in ballot.proof.challenges]
        ss = [s.to_bytes(32, "big") for s in ballot.proof.responses]
        started = time.perf_counter()
        a, b = PublicKey(ballot.ciphertext.a), PublicKey(ballot.ciphertext.b)
        parts = [h.encode(), manifest.public_key, ballot.credential, ballot.ciphertext.a,
                 ballot.ciphertext.b]  # fmt: skip
        for j in range(len(cs)):
            shifted = PublicKey.combine_keys([b, neg_shifts[j]])
            first = PublicKey.combine_keys([PublicKey.from_valid_secret(ss[j]),
                                            a.multiply(neg_cs[j])])  # fmt: skip
            second = PublicKey.combine_keys([key.multiply(ss[j]), shifted.multiply(neg_cs[j])])
            parts += [first.format(), second.format()]
        hashlib.sha512(b"".join(parts)).digest()
        VerifyKey(ballot.credential).verify(message, ballot.signature)
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def build_board(path: Path, count: int) -> float:
    manifest, keys = _manifest(count)
    h = manifest.election_hash
    _state.update(manifest=manifest, hash=h)
    started = time.perf_counter()
    spans = [(s, min(s + 2000, count)) for s in range(0, count, 2000)]
    with multiprocessing.get_context("fork").Pool(os.cpu_count()) as pool:
        parts = pool.map(_make, spans)
    publics = sorted(credentials.public_of(_seed(i)) for i in range(count))
    board = MemoryBoard()
    board.append("election", manifest.as_json())
    board.append("credentials", credentials.signed_list(h, publics, AUTHORITY))
    board.append("opened", {"election": h, "opened_at": "2025-01-01T00:00:00+00:00"})
    a, b = group.IDENTITY, group.IDENTITY
    for items, pa, pb in parts:
        for _, body in items:
            board.append("ballot", json.loads(body))
        a, b = group.add(a, pa), group.add(b, pb)
    tally = Ciphertext(a, b)
    closed = board.append("closed", {"election": h, "closed_at": "2025-02-01T00:00:00+00:00",
                                     "ballots": count})  # fmt: skip
    board.append("tally", {"election": h, "ballots": count, "ciphertext": tally.as_json()})
    shares = [trustees.decryption_share(k, context=bytes.fromhex(h), a=a) for k in keys[:3]]
    for key, share in zip(keys, shares, strict=False):
        assert key.identity_seed is not None
        board.append("decryption", signed_share(share, h, closed.hash, key.identity_seed,
                                                manifest))  # fmt: skip
    result = board.append("result", decrypt(manifest, h, tally, shares, count).as_body(h))
    certified = {"election": h, "certified_at": "2025-02-02T00:00:00+00:00", "result": result.hash}
    board.append("certified", {**certified, "signature": identity.sign(
        identity.TAG_CERTIFIED, BOARD_KEY, certified)})  # fmt: skip
    path.write_text("".join(line + "\n" for line in board.lines()))
    return time.perf_counter() - started


def electionguard(count: int) -> dict[str, float] | None:
    python = HERE / "ballots_env" / "bin" / "python"
    if not python.exists():
        return None
    out = subprocess.run([str(python), str(HERE / "ballots_eg.py"), str(count)],
                         capture_output=True, text=True, check=True)  # fmt: skip
    return json.loads(out.stdout.strip().splitlines()[-1])  # type: ignore[no-any-return]


def _per_core_child(count: int) -> tuple[float, float, float]:
    """``per_core`` and ``floor`` in a fresh process: each process is placed on the shared
    machine anew."""
    out = subprocess.run([sys.executable, __file__, "--per-core-child", str(count)],
                         capture_output=True, text=True, check=True)  # fmt: skip
    enc, ver, low = json.loads(out.stdout.strip().splitlines()[-1])
    return float(enc), float(ver), float(low)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--ballots", type=int, default=160_000)
    parser.add_argument("--eg-ballots", type=int, default=100)
    parser.add_argument("--repeats", type=int, default=5,
                        help="per-ballot measurements of each side, taking turns")  # fmt: skip
    parser.add_argument(
        "--per-core-ballots",
        type=int,
        default=3000,
        help="ballots a per-core run encrypts and verifies (about as long "
        "as ElectionGuard's run of 100: both sample the machine alike)",
    )
    parser.add_argument("--per-core-child", type=int)
    parser.add_argument("--board-only", action="store_true",
                        help="only build and verify the whole board")  # fmt: skip
    args = parser.parse_args()
    if args.per_core_child:
        manifest, _ = _manifest(args.per_core_child)
        enc, ver = per_core(manifest, manifest.election_hash, args.per_core_child)
        low = floor(manifest, manifest.election_hash, args.per_core_child)
        print(json.dumps([enc, ver, low]))
        return
    print(f"cores: {os.cpu_count()}")
    # Guildhall and ElectionGuard take turns, each run in a fresh process: on a shared
    # machine a process can land on a slower core for its whole life, so one short
    # measurement of either side is not to be trusted alone. Medians are quoted.
    ours: list[tuple[float, float, float]] = []
    theirs: list[dict[str, float]] = []
    for _ in range(0 if args.board_only else args.repeats):
        ours.append(_per_core_child(args.per_core_ballots))
        eg = electionguard(args.eg_ballots)
        if eg:
            theirs.append(eg)
    if ours:
        _print_per_ballot(ours, theirs, args.eg_ballots)
    _whole_board(args.ballots)


def _print_per_ballot(
    ours: list[tuple[float, float, float]], theirs: list[dict[str, float]], eg_ballots: int
) -> None:
    enc = statistics.median(e for e, _, _ in ours)
    ver = statistics.median(v for _, v, _ in ours)
    low = statistics.median(f for _, _, f in ours)
    each = ", ".join(f"{v * 1e3:.3f}" for _, v, _ in ours)
    print(f"per core: encrypt+prove+sign {enc * 1e3:.3f} ms ({1 / enc:.0f}/s), "
          f"verify {ver * 1e3:.3f} ms ({1 / ver:.0f}/s) per ballot (median of "
          f"{len(ours)} runs: verify {each} ms)")  # fmt: skip
    ratios = ", ".join(f"{v / f:.2f}" for _, v, f in ours)
    print(f"group-operation floor (the libraries' calls alone): {low * 1e3:.3f} ms per ballot; "
          f"verify is {ver / low:.2f}x the floor (per run: {ratios})")  # fmt: skip
    if theirs:
        eg_enc = statistics.median(t["encrypt_prove_median_s"] for t in theirs)
        eg_ver = statistics.median(t["verify_median_s"] for t in theirs)
        pairs = [t["verify_median_s"] / v for (_, v, _), t in zip(ours, theirs, strict=True)]
        print(f"ElectionGuard 1.4 ({eg_ballots} ballots a run, {len(theirs)} runs): "
              f"encrypt+prove {eg_enc * 1e3:.2f} ms, verify {eg_ver * 1e3:.2f} ms per ballot "
              f"(medians); ratio encrypt {eg_enc / enc:.0f}x, verify {eg_ver / ver:.0f}x "
              f"(per pair: {', '.join(f'{r:.0f}x' for r in pairs)})")  # fmt: skip


def _cpu() -> float:
    own, children = (
        resource.getrusage(resource.RUSAGE_SELF),
        resource.getrusage(resource.RUSAGE_CHILDREN),
    )
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def _whole_board(count: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "board.jsonl"
        built = build_board(path, count)
        print(f"board of {count} ballots built in {built:.1f} s "
              f"({path.stat().st_size / 1e6:.0f} MB)")  # fmt: skip
        load = os.getloadavg()[0]
        cpu, started = _cpu(), time.perf_counter()
        report = verify_board(path, rules=RULES)
        took, cpu = time.perf_counter() - started, _cpu() - cpu
        print(f"full verification of {report.ballots} ballots: {took:.1f} s on "
              f"{os.cpu_count()} processes ({cpu:.1f} CPU-seconds; load average "
              f"{load:.1f} before, {os.getloadavg()[0]:.1f} after); "
              f"valid={report.is_valid}")  # fmt: skip
        if not report.is_valid:
            print("\n".join(str(f) for f in report.failures[:10]))
            sys.exit(1)


if __name__ == "__main__":
    main()
