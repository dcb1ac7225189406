"""Start-up benchmark: ``guildhall --help`` and ``guildhall case list`` against ``python -c pass``.

    .venv/bin/python bench/startup.py --rounds 21 [--before REV]

Each measured run is a fresh process started the way a person starts it (the console script
``.venv/bin/guildhall``), and the variants take turns within each round (pass, --help, case
list, ...), so all of them sample the same load on the machine. ``case list`` runs against
a SQLite store made (and migrated) before the clock starts. With ``--before REV`` the same
commands also run from the source of an earlier commit (``git archive REV src``, put first
on ``PYTHONPATH``), side by side. Prints the median wall time of each variant and its
ratio to ``python -c pass``.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tarfile
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent


def _timed(argv: list[str], env: dict[str, str]) -> float:
    start = time.perf_counter()
    done = subprocess.run(argv, env=env, capture_output=True, check=False)
    elapsed = time.perf_counter() - start
    if done.returncode != 0:
        raise RuntimeError(f"{' '.join(argv)} failed: {done.stderr.decode()[-500:]}")
    return elapsed


def _earlier_source(rev: str, into: Path) -> Path:
    archive = into / "src.tar"
    with archive.open("wb") as f:
        subprocess.run(["git", "-C", str(ROOT), "archive", rev, "src"], stdout=f, check=True)
    with tarfile.open(archive) as tar:
        tar.extractall(into, filter="data")
    return into / "src"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=21)
    parser.add_argument("--before", help="also run the commands from this earlier commit")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="guildhall-startup-") as folder:
        store = f"sqlite:///{Path(folder) / 'guildhall.db'}"
        env = {**os.environ, "GUILDHALL_DATABASE_URL": store}
        python, guildhall = str(BIN / "python"), str(BIN / "guildhall")
        variants: dict[str, tuple[list[str], dict[str, str]]] = {
            "python -c pass": ([python, "-c", "pass"], env),
            "guildhall --help": ([guildhall, "--help"], env),
            "guildhall case list": ([guildhall, "case", "list"], env),
        }
        if args.before:
            old = {**env, "PYTHONPATH": str(_earlier_source(args.before, Path(folder)))}
            variants[f"guildhall --help ({args.before})"] = ([guildhall, "--help"], old)
            variants[f"guildhall case list ({args.before})"] = ([guildhall, "case", "list"], old)
        for argv, variant_env in variants.values():  # warm the file cache; make the store
            _timed(argv, variant_env)
        times: dict[str, list[float]] = {name: [] for name in variants}
        for _ in range(args.rounds):
            for name, (argv, variant_env) in variants.items():
                times[name].append(_timed(argv, variant_env))

    base = statistics.median(times["python -c pass"])
    print(f"{args.rounds} rounds, variants interleaved; {os.cpu_count()} cores")
    print(f"{'variant':<40} {'median':>9} {'min':>9} {'max':>9} {'vs python -c pass':>18}")
    for name, found in times.items():
        median = statistics.median(found)
        print(
            f"{name:<40} {median:>8.3f}s {min(found):>8.3f}s {max(found):>8.3f}s"
            f" {median / base:>17.2f}x"
        )


if __name__ == "__main__":
    main()
