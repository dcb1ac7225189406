"""Costing benchmark: Guildhall's engine, hand-written DuckDB SQL and OpenFisca, side by side.

    .venv/bin/pip install -e '.[bench]'
    .venv/bin/python bench/costing_bench.py --sizes 10000000,100000000 --repeats 3,1

For each size a data set is generated once under ``bench/out/`` (``guildhall data synth``;
credits are about 60 per title: 24 million at the large size). Every measured run is a
fresh child process, so its peak resident memory (``VmHWM`` from ``/proc``, which counts
DuckDB's memory as well as Python's) and wall time are its own. Each run costs the three
agreements down to per-performer changes, deciles and bands. The engine's totals must
equal the hand-written SQL's to the cent. OpenFisca runs the per-event formulas on the
first N events of the smaller set (its largest size that fits comfortably here) and is
compared per event.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
OUT = HERE / "out"
AGREEMENTS = ["sag-2005", "amptp-2008-final-offer", "sag-2008-threshold-proposals"]
MEMORY_LIMIT = "GUILDHALL_DUCKDB_MEMORY_LIMIT"
"""Guildhall's setting for DuckDB's memory limit; each child process reads it."""


def _peak_rss_bytes() -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) * 1024
    raise RuntimeError("no VmHWM in /proc/self/status")


def _child(variant: str, data: Path, events: int) -> None:
    """One measured run, in its own process; prints a JSON line. Every variant imports
    what it uses before its clock starts (Ibis loads pandas on its first query, so the
    engine's run imports it here too): the clock measures work on the data."""
    sys.path.insert(0, str(HERE))
    import duckdb
    import pandas  # noqa: F401
    from costing_sql import cost

    from guildhall.costing.backends import connect, duckdb_settings
    from guildhall.costing.compare import compare
    from guildhall.costing.data.schema import DataSet
    from guildhall.costing.engine import open_tables
    from guildhall.services.costing import _terms

    if variant == "openfisca":
        import costing_openfisca as of
    agreements = _terms(AGREEMENTS, {})
    data_set = DataSet(data)
    limit = os.environ.get(MEMORY_LIMIT)
    extra: dict[str, float] = {}
    started = time.perf_counter()
    if variant == "engine":
        result = compare(open_tables(connect("duckdb", memory_limit=limit), data_set), agreements)
        totals = {a["id"]: a["total_cents"] for a in result.agreements}
        digest = [
            [[r.get("decile", 0), r["members"], r["baseline_cents"], *r["bands"].values()]
             for r in [*d["deciles"], d["all"]]]
            for d in result.distribution
        ]  # fmt: skip
    elif variant == "sql":
        found = cost(duckdb.connect(config=duckdb_settings(limit)), data_set, agreements)
        totals = {k: int(v) for k, v in found["totals"].items()}
        digest = [
            [[r[0] or 0, r[1], int(r[4] or 0), *r[5:]] for r in rows]
            for rows in found["distribution"]
        ]
    else:
        inputs = of.load_inputs(data_set, agreements, events)
        loaded = time.perf_counter()
        tbs = of.system(agreements)
        sums = of.run(tbs, inputs, len(agreements))
        totals = {t.id: round(s) for t, s in zip(agreements, sums, strict=True)}
        digest = []
        extra["with_load"] = time.perf_counter() - started
        started = loaded
    wall = time.perf_counter() - started
    print(
        json.dumps(
            {
                "wall": wall,
                "peak_rss": _peak_rss_bytes(),
                "totals": totals,
                "digest": digest,
                **extra,
            }
        )
    )


def _measure(variant: str, data: Path, events: int) -> dict[str, object]:
    done = subprocess.run(
        [
            sys.executable,
            __file__,
            "--child",
            variant,
            "--data",
            str(data),
            "--events",
            str(events),
        ],
        check=True,
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


def _data(size: int) -> Path:
    label = f"{size // 1_000_000}m"
    path = OUT / f"costing-{label}"
    if not (path / "events").is_dir():
        titles = max(1_000, size // 250)
        members = max(10_000, size // 50)
        subprocess.run(
            [
                str(ROOT / ".venv/bin/guildhall"),
                "data",
                "synth",
                str(path),
                "--members",
                str(members),
                "--titles",
                str(titles),
                "--events",
                str(size),
                "--seed",
                "1",
            ],
            check=True,
        )
    return path


def _rows(data: Path, table: str) -> int:
    import duckdb

    return int(duckdb.sql(f"SELECT count(*) FROM '{data / table}/*.parquet'").fetchall()[0][0])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10000000,100000000")
    parser.add_argument("--repeats", default="3,1", help="runs per size (medians reported)")
    parser.add_argument("--openfisca-events", type=int, default=2_000_000)
    parser.add_argument("--child")
    parser.add_argument("--data", type=Path)
    parser.add_argument("--events", type=int, default=0)
    parser.add_argument(
        "--memory-limit",
        help=f"DuckDB memory limit for the engine and the hand-written SQL alike ({MEMORY_LIMIT})",
    )
    args = parser.parse_args()
    if args.memory_limit:
        os.environ[MEMORY_LIMIT] = args.memory_limit
    if args.child:
        _child(args.child, args.data, args.events)
        return
    sizes = [int(s) for s in args.sizes.split(",")]
    repeats = [int(r) for r in args.repeats.split(",")]
    cores = os.cpu_count() or 1
    limit = os.environ.get(MEMORY_LIMIT, "DuckDB's default")
    print(f"machine: {cores} cores; agreements: {', '.join(AGREEMENTS)}; memory limit: {limit}")
    engine_rate = None
    for size, runs in zip(sizes, repeats, strict=True):
        data = _data(size)
        credits = _rows(data, "credits")
        print(f"\n{size:,} events, {credits:,} credits")
        medians = {}
        # The variants take turns (engine, SQL, engine, SQL, ...) so that both sample the
        # same stretches of a shared machine's load; the ratio of the medians is quoted,
        # and the ratio within each pair as a check on it.
        runs_of: dict[str, list[dict[str, object]]] = {"engine": [], "sql": []}
        for _ in range(runs):
            for variant in runs_of:
                runs_of[variant].append(_measure(variant, data, 0))
        for variant, results in runs_of.items():
            walls = [float(r["wall"]) for r in results]
            wall = statistics.median(walls)
            peak = max(int(r["peak_rss"]) for r in results)
            medians[variant] = wall
            rate = size / wall / cores
            each = ", ".join(f"{w:.2f}" for w in walls)
            print(
                f"  {variant:<7} median {wall:6.2f} s of {runs} ({each})"
                f"  peak {peak / 2**30:5.2f} GiB  {rate:12,.0f} events/s/core"
            )
            if variant == "engine":
                engine_totals = results[0]["totals"]
                engine_digest = results[0]["digest"]
                engine_rate = size / wall
            else:
                same = results[0]["totals"] == engine_totals
                print(f"  totals equal to the cent: {same} {engine_totals}")
                same = results[0]["digest"] == engine_digest
                print(f"  deciles equal (members, baseline cents, the five bands): {same}")
        pairs = [
            float(e["wall"]) / float(q["wall"])  # type: ignore[arg-type]
            for e, q in zip(runs_of["engine"], runs_of["sql"], strict=True)
        ]
        print(
            f"  engine / hand-written SQL: {medians['engine'] / medians['sql']:.2f}x"
            f" (per pair: {', '.join(f'{r:.2f}' for r in pairs)};"
            f" median {statistics.median(pairs):.2f}x)"
        )
    if args.openfisca_events:
        data = _data(sizes[0])
        n = args.openfisca_events
        result = _measure("openfisca", data, n)
        wall, with_load = float(result["wall"]), float(result["with_load"])
        print(
            f"\nOpenFisca, first {n:,} events of the {sizes[0]:,} set:"
            f" formulas {wall:.2f} s ({n / wall / cores:,.0f} events/s/core);"
            f" with its inputs prepared by DuckDB from the Parquet files (facts, flags,"
            f" downloads before each event) {with_load:.2f} s"
            f" ({n / with_load / cores:,.0f} events/s/core);"
            f" peak {int(result['peak_rss']) / 2**30:.2f} GiB (float32 totals {result['totals']})"
        )
        if engine_rate:
            print(
                f"  engine per event (largest size) is {engine_rate / (n / wall):.1f}x"
                f" OpenFisca's formulas alone, {engine_rate / (n / with_load):.1f}x with its"
                " input preparation"
            )


if __name__ == "__main__":
    main()
