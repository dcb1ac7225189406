"""What checking input costs: the chunked UTF-8 check of a large data file against a plain
read of the same bytes, and the YAML alias bomb's refusal (the located reader stops after
10,000 repeated values) against PyYAML's own ``safe_load`` of it (which shares one object
per alias instead of expanding it, and so keeps no positions).

    .venv/bin/python bench/input_checks.py [--megabytes 200] [--repeats 5]

Each pair takes turns in one process; medians and their ratio are printed.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

import yaml

from guildhall.files.located_yaml import parse_yaml
from guildhall.files.reading import check_utf8_file

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.files.test_yaml_bounds import BOMB  # noqa: E402

LINES = {
    "ASCII": "1234567,Some title,network_tv,2008-01-01,1200000\n",
    "non-ASCII": "1234567,Some title é,network_tv,2008-01-01,1200000\n",
}


def _plain_read(path: Path) -> None:
    with path.open("rb") as handle:
        while handle.read(4 << 20):
            pass


def _timed(work: object) -> float:
    assert callable(work)
    started = time.perf_counter()
    work()
    return time.perf_counter() - started


def _pair(name: str, ours: object, peer: object, repeats: int) -> None:
    mine, theirs = [], []
    for _ in range(repeats):
        mine.append(_timed(ours))
        theirs.append(_timed(peer))
    a, b = statistics.median(mine), statistics.median(theirs)
    print(f"{name}: {a:.3f} s against {b:.3f} s (median of {repeats}); ratio {a / b:.1f}x")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--megabytes", type=int, default=200)
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "events.csv"
        for label, line in LINES.items():
            raw = line.encode()
            path.write_bytes(raw * (args.megabytes * 1_000_000 // len(raw)))
            _pair(
                f"UTF-8 check of {args.megabytes} MB of {label} CSV vs a plain read",
                lambda: check_utf8_file(path),
                lambda: _plain_read(path),
                args.repeats,
            )
    _pair(
        "refusing the 342-byte alias bomb vs PyYAML safe_load of it",
        lambda: parse_yaml(BOMB, "bomb.yaml"),
        lambda: yaml.safe_load(BOMB),
        args.repeats,
    )


if __name__ == "__main__":
    main()
