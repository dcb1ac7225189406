"""Costing on local Spark beside DuckDB: the same comparison, the same cents.

    .venv/bin/pip install -e '.[dev,spark]'
    .venv/bin/python bench/costing_spark.py --events 3000000

A data set is generated once under ``bench/out/`` (``guildhall data synth``, the sizes
``bench/costing_bench.py`` uses: a title per 250 events, a member per 50). Each run costs
the three agreements down to per-performer changes, deciles and bands with Guildhall's
engine, once on DuckDB and once on Spark in local mode (``local[2]``), each in a fresh
process. Spark's time is given with and without starting its session (the JVM). The
totals must be equal to the cent and the decile rows the same, or the script fails.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
OUT = HERE / "out"
AGREEMENTS = ["sag-2005", "amptp-2008-final-offer", "sag-2008-threshold-proposals"]


def _child(backend: str, data: Path) -> None:
    import pandas  # noqa: F401  (Ibis imports it on its first query)

    from guildhall.costing.backends import connect
    from guildhall.costing.compare import compare
    from guildhall.costing.data.schema import DataSet
    from guildhall.costing.engine import open_tables
    from guildhall.services.costing import _terms

    agreements = _terms(AGREEMENTS, {})
    began = time.perf_counter()
    con = connect(backend)
    started = time.perf_counter()
    result = compare(open_tables(con, DataSet(data)), agreements)
    wall = time.perf_counter() - started
    digest = [
        [[r.get("decile", 0), r["members"], r["baseline_cents"], r["mean_change_cents"],
          r["median_change_cents"], *r["bands"].values()] for r in [*d["deciles"], d["all"]]]
        for d in result.distribution
    ]  # fmt: skip
    print(
        json.dumps(
            {
                "wall": wall,
                "with_session": time.perf_counter() - began,
                "totals": {a["id"]: a["total_cents"] for a in result.agreements},
                "by_kind": result.by_kind,
                "digest": digest,
            }
        )
    )


def _measure(backend: str, data: Path) -> dict[str, object]:
    done = subprocess.run(
        [sys.executable, __file__, "--child", backend, "--data", str(data)],
        check=True,
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


def _data(size: int) -> Path:
    path = OUT / f"costing-spark-{size}"
    if not (path / "events").is_dir():
        subprocess.run(
            [
                str(ROOT / ".venv/bin/guildhall"),
                "data",
                "synth",
                str(path),
                "--members",
                str(max(10_000, size // 50)),
                "--titles",
                str(max(1_000, size // 250)),
                "--events",
                str(size),
                "--seed",
                "1",
            ],
            check=True,
            capture_output=True,
        )
    return path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=3_000_000)
    parser.add_argument("--repeats", type=int, default=1)
    parser.add_argument("--child")
    parser.add_argument("--data", type=Path)
    args = parser.parse_args()
    if args.child:
        _child(args.child, args.data)
        return
    data = _data(args.events)
    print(f"{args.events:,} events; agreements: {', '.join(AGREEMENTS)}")
    runs: dict[str, list[dict[str, object]]] = {"duckdb": [], "pyspark": []}
    for _ in range(args.repeats):
        for backend in runs:
            runs[backend].append(_measure(backend, data))
    medians = {}
    for backend, results in runs.items():
        walls = [float(r["wall"]) for r in results]  # type: ignore[arg-type]
        medians[backend] = statistics.median(walls)
        session = statistics.median(float(r["with_session"]) for r in results)  # type: ignore[arg-type]
        print(
            f"  {backend:<8} median {medians[backend]:7.2f} s of {len(walls)}"
            f" ({', '.join(f'{w:.2f}' for w in walls)}); with connecting or starting the"
            f" session {session:.2f} s"
        )
    duck, spark = runs["duckdb"][0], runs["pyspark"][0]
    same_totals = duck["totals"] == spark["totals"] and duck["by_kind"] == spark["by_kind"]
    same_deciles = duck["digest"] == spark["digest"]
    print(f"  totals (and by kind) equal to the cent: {same_totals} {duck['totals']}")
    print(f"  deciles equal (members, baseline, mean and median change, bands): {same_deciles}")
    print(f"  Spark / DuckDB: {medians['pyspark'] / medians['duckdb']:.1f}x")
    if not (same_totals and same_deciles):
        raise SystemExit("Spark and DuckDB disagree")


if __name__ == "__main__":
    main()
