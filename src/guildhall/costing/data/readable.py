"""Whether a data set on disk can be costed: every table's Parquet files are regular files
whose footers read and which hold the table's columns. Each failure is a ``Problem`` naming
the file, so a broken data set is a clear error before any query runs."""

from __future__ import annotations

from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from guildhall.core.problems import Location, Problem
from guildhall.costing.data.schema import SCHEMAS, TABLES, DataSet
from guildhall.files.reading import check_file


def _files(path: Path) -> list[Path]:
    return sorted(path.glob("*.parquet")) if path.is_dir() else [path]


def data_set_problems(data_set: DataSet) -> list[Problem]:
    """What keeps ``data_set`` from being read; empty when every table is readable."""
    problems: list[Problem] = []
    for table in TABLES:
        path = data_set.path(table)
        files = _files(path)
        if not files:
            problems.append(Problem(Location(file=str(path)), "the folder holds no .parquet files"))
        for file in files:
            reason = check_file(file)
            if reason is not None:
                problems.append(reason)
                continue
            try:
                names = set(pq.read_schema(file).names)
            except (pa.ArrowException, OSError) as exc:
                reason_text = str(exc).strip().splitlines()[0] if str(exc).strip() else "unknown"
                problems.append(
                    Problem(Location(file=str(file)), f"cannot be read as Parquet: {reason_text}")
                )
                continue
            problems += [
                Problem(
                    Location(file=str(file), field=name), f"the {table} table lacks this column"
                )
                for name in SCHEMAS[table].names
                if name not in names
            ]
    return problems
