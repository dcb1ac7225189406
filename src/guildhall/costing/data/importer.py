"""Import a data set from CSV or Parquet files, checking every row before writing any.

``SRC`` is a folder holding ``productions``, ``credits``, ``members`` and ``events``, each
as ``NAME.csv``, ``NAME.parquet`` or a folder ``NAME/`` of Parquet parts. Every value is
read as text and checked with DuckDB: its type, whether it may be empty, the values it may
take, its bounds, the uniqueness of ids and that credits and events name a production (and
credits a member) that exists. Each bad cell becomes a ``Problem`` with the file, the row
(1-based, data rows after the header), the column and why.

Without a quarantine file an import with any problem writes nothing. With one, the good
rows are written and every bad row goes to the quarantine file (CSV: table, file, row,
column, why, and the row's values as JSON) so nothing is silently dropped; a credit or an
event that names a quarantined production (or a credit naming a quarantined member) is
quarantined too, with that reason.
"""

from __future__ import annotations

import csv
import os
import re
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq

from guildhall.core.problems import Location, Problem
from guildhall.costing.data.schema import ALLOWED, LIMITS, SCHEMAS, TABLES
from guildhall.files.csv_table import check_header
from guildhall.files.reading import check_file, check_utf8_file, head_text

_SQL_TYPES = {
    pa.int64(): "BIGINT",
    pa.int32(): "INTEGER",
    pa.int16(): "SMALLINT",
    pa.string(): "VARCHAR",
    pa.bool_(): "BOOLEAN",
    pa.date32(): "DATE",
}
_KEYS = {"productions": "production_id", "members": "performer_id", "events": "event_id"}
_REFERENCES = {
    ("credits", "production_id"): "productions",
    ("credits", "performer_id"): "members",
    ("events", "production_id"): "productions",
}


@dataclass(frozen=True)
class ImportReport:
    """What an import did: rows written per table and the problems found."""

    written: dict[str, int]
    problems: tuple[Problem, ...]
    quarantined_rows: int


def _source(src: Path, table: str) -> Path | None:
    for candidate in (src / f"{table}.csv", src / f"{table}.parquet", src / table):
        if os.path.lexists(candidate):  # a broken link or a loop is found, then named
            return candidate
    return None


def _quoted(path: Path | str) -> str:
    return "'" + str(path).replace("'", "''") + "'"


def _parquet_source(path: Path) -> tuple[str | None, list[Problem]]:
    """The ``read_parquet`` of a file or a folder of parts, or why it cannot be read."""
    if path.is_dir():
        parts = sorted(path.glob("*.parquet"))
        if not parts:
            return None, [Problem(Location(file=str(path)), "the folder holds no .parquet files")]
        bad = [p for p in map(check_file, parts) if p is not None]
        return (None, bad) if bad else (f"read_parquet({_quoted(path / '*.parquet')})", [])
    problem = check_file(path)
    return (None, [problem]) if problem else (f"read_parquet({_quoted(path)})", [])


def _csv_source(path: Path, fields: list[str]) -> tuple[str | None, list[Problem]]:
    """The ``read_csv`` of a checked CSV file, or its problems (header, encoding, kind)."""
    problem = check_file(path) or check_utf8_file(path)
    if problem is not None:
        return None, [problem]
    try:
        header = next(csv.reader([head_text(path).split("\n", 1)[0].rstrip("\r")]), [])
    except csv.Error as exc:
        return None, [Problem(Location(file=str(path), line=1), f"not valid CSV: {exc}")]
    header = [h.strip() for h in header]
    problems = check_header(header, str(path), required=fields)
    if problems:
        return None, problems
    columns = ", ".join(f"{_quoted(h)}: 'VARCHAR'" for h in header)
    # Strict: a row with more or fewer fields than the header is not read but kept, with
    # its line, in the rejects table, so that it is named instead of padded or cut.
    return (
        f"read_csv({_quoted(path)}, header=true, auto_detect=false, columns={{{columns}}},"
        " quote='\"', escape='\"', strict_mode=true, null_padding=false,"
        " store_rejects=true, rejects_table='rejects', rejects_scan='rejects_scans')"
    ), []


def _rejected_rows(con: duckdb.DuckDBPyConnection, path: Path) -> list[Problem]:
    """Each row the strict CSV reader refused (wrong number of fields, a bad quote)."""
    rows = con.execute(
        "SELECT e.line, e.column_name, e.error_type, e.error_message FROM rejects e"
        " JOIN rejects_scans s USING (scan_id, file_id) WHERE s.file_path = ?"
        " ORDER BY e.line",
        [str(path)],
    ).fetchall()
    problems = []
    for line, column, kind, message in rows:
        why = str(message).strip().splitlines()[0] if message else str(kind)
        counts = re.search(r"Expected Number of Columns: (\d+) Found: (\d+)", why)
        if counts:
            why = (
                f"the row has the wrong number of fields: {counts[2]} where the header"
                f" has {counts[1]}"
            )
        problems.append(
            Problem(Location(file=str(path), line=int(line), field=column or None), why)
        )
    return problems


def _load(con: duckdb.DuckDBPyConnection, table: str, path: Path) -> list[Problem]:
    """Load ``path`` as text into ``raw_TABLE`` with a ``_row`` number; problems of shape."""
    fields = SCHEMAS[table].names
    is_csv = path.suffix == ".csv"
    source, problems = _csv_source(path, fields) if is_csv else _parquet_source(path)
    if source is None:
        return problems
    try:
        if not is_csv:
            present = [r[0] for r in con.execute(f"DESCRIBE SELECT * FROM {source}").fetchall()]
            missing = [f for f in fields if f not in present]
            if missing:
                return [
                    Problem(Location(file=str(path), field=f), "the file lacks this column")
                    for f in missing
                ]
        cast = ", ".join(f"CAST({f} AS VARCHAR) AS {f}" for f in fields)
        con.execute(
            f"CREATE TEMP TABLE raw_{table} AS SELECT row_number() OVER () AS _row, {cast}"
            f" FROM {source}"
        )
        if is_csv:
            rejected = _rejected_rows(con, path)
            if rejected:
                return rejected
    except duckdb.Error as exc:
        kind = "CSV" if is_csv else "Parquet"
        reason = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        return [Problem(Location(file=str(path)), f"cannot be read as {kind}: {reason}")]
    return []


def _cell_checks(table: str) -> str:
    """One SELECT per column yielding (_row, column, why) for each bad cell."""
    parts = []
    for field in SCHEMAS[table]:
        name, sql_type = field.name, _SQL_TYPES[field.type]
        value = f"NULLIF(trim({name}), '')"
        whys = []
        if not field.nullable:
            whys.append(f"WHEN {value} IS NULL THEN 'is empty'")
        if sql_type in ("BIGINT", "INTEGER", "SMALLINT"):
            whys.append(
                f"WHEN {value} IS NOT NULL AND NOT regexp_full_match({value}, '-?[0-9]+')"
                f" THEN 'is not a valid {sql_type.lower()} (a whole number): ' || {name}"
            )
        whys.append(
            f"WHEN {value} IS NOT NULL AND TRY_CAST({value} AS {sql_type}) IS NULL"
            f" THEN 'is not a valid {sql_type.lower()}: ' || {name}"
        )
        allowed = ALLOWED.get((table, name))
        if allowed:
            listed = ", ".join(f"'{a}'" for a in allowed)
            whys.append(
                f"WHEN {value} NOT IN ({listed}) THEN 'is ' || {name} || ', not one of "
                + ", ".join(allowed)
                + "'"
            )
        bounds = LIMITS.get((table, name))
        if bounds:
            low, high = bounds
            whys.append(
                f"WHEN TRY_CAST({value} AS HUGEINT) NOT BETWEEN {low} AND {high}"
                f" THEN 'is ' || {name} || ', outside {low}..{high}'"
            )
        parts.append(
            f"SELECT _row, '{name}' AS col, CASE {' '.join(whys)} END AS why FROM raw_{table}"
        )
    key = _KEYS.get(table)
    if key:
        parts.append(
            f"SELECT _row, '{key}', 'repeats ' || {key} || ' (first at row ' || first || ')'"
            f" FROM (SELECT _row, {key}, min(_row) OVER (PARTITION BY {key}) AS first"
            f" FROM raw_{table} WHERE NULLIF(trim({key}), '') IS NOT NULL) WHERE _row > first"
        )
    for (owner, column), target in _REFERENCES.items():
        if owner == table:
            target_key = _KEYS[target]
            parts.append(
                f"SELECT _row, '{column}', 'names {target[:-1]} ' || {column} || ' that is not in"
                f" {target}' FROM raw_{table} WHERE TRY_CAST({column} AS BIGINT) NOT IN"
                f" (SELECT TRY_CAST({target_key} AS BIGINT) FROM raw_{target}"
                f" WHERE TRY_CAST({target_key} AS BIGINT) IS NOT NULL)"
            )
    return " UNION ALL ".join(f"({p})" for p in parts)


def _problems(con: duckdb.DuckDBPyConnection, table: str, path: Path) -> list[tuple[int, Problem]]:
    rows = con.execute(
        f"SELECT _row, col, why FROM ({_cell_checks(table)}) WHERE why IS NOT NULL"
        " ORDER BY _row, col"
    ).fetchall()
    is_csv = path.suffix == ".csv"
    return [
        (
            row,
            Problem(
                Location(file=str(path), line=row + 1 if is_csv else None, row=row, field=col),
                why,
            ),
        )
        for row, col, why in rows
    ]


def _cascade(
    con: duckdb.DuckDBPyConnection,
    found: dict[str, list[tuple[int, Problem]]],
    sources: dict[str, Path],
) -> None:
    """Quarantine the rows that name a quarantined row: a credit or an event naming a
    production (or a credit naming a member) whose only row is bad goes with it."""
    for (owner, column), target in _REFERENCES.items():
        bad = sorted({row for row, _ in found[target]})
        if not bad:
            continue
        key = _KEYS[target]
        con.execute("CREATE OR REPLACE TEMP TABLE cascade_rows (_row BIGINT)")
        con.executemany("INSERT INTO cascade_rows VALUES (?)", [(r,) for r in bad])
        rows = con.execute(
            f"""SELECT o._row, o.{column}, min(t._row) FROM raw_{owner} o
            JOIN raw_{target} t ON TRY_CAST(o.{column} AS BIGINT) = TRY_CAST(t.{key} AS BIGINT)
            WHERE t._row IN (SELECT _row FROM cascade_rows)
              AND TRY_CAST(o.{column} AS BIGINT) NOT IN (
                SELECT TRY_CAST({key} AS BIGINT) FROM raw_{target}
                WHERE _row NOT IN (SELECT _row FROM cascade_rows)
                  AND TRY_CAST({key} AS BIGINT) IS NOT NULL)
            GROUP BY ALL ORDER BY 1"""
        ).fetchall()
        path = sources[owner]
        line = (lambda r: r + 1) if path.suffix == ".csv" else (lambda r: None)
        found[owner].extend(
            (
                row,
                Problem(
                    Location(file=str(path), line=line(row), row=row, field=column),
                    f"names {target[:-1]} {value}, which is quarantined"
                    f" (row {target_row} of {target})",
                ),
            )
            for row, value, target_row in rows
        )
        found[owner].sort(key=lambda item: (item[0], item[1].where.field or ""))


def _write_good(con: duckdb.DuckDBPyConnection, table: str, bad: set[int], out: Path) -> int:
    schema = SCHEMAS[table]
    casts = ", ".join(
        f"CAST(NULLIF(trim({f.name}), '') AS {_SQL_TYPES[f.type]}) AS {f.name}" for f in schema
    )
    con.execute("CREATE OR REPLACE TEMP TABLE bad_rows (_row BIGINT)")
    if bad:
        con.executemany("INSERT INTO bad_rows VALUES (?)", [(r,) for r in sorted(bad)])
    relation = con.sql(
        f"SELECT {casts} FROM raw_{table} WHERE _row NOT IN (SELECT _row FROM bad_rows)"
        " ORDER BY _row"
    )
    arrow = relation.to_arrow_table().cast(schema)
    pq.write_table(arrow, out / f"{table}.parquet", compression="zstd")
    return int(arrow.num_rows)


def _quarantine(
    con: duckdb.DuckDBPyConnection, found: dict[str, list[tuple[int, Problem]]], target: Path
) -> int:
    rows = 0
    with target.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["table", "file", "row", "column", "why", "values"])
        for table, problems in found.items():
            values = (
                dict(
                    con.execute(
                        f"SELECT _row, to_json(raw_{table})::VARCHAR FROM raw_{table}"
                    ).fetchall()
                )
                if problems
                else {}
            )
            for row, problem in problems:
                writer.writerow(
                    [table, problem.where.file, row, problem.where.field, problem.what, values[row]]
                )
            rows += len({row for row, _ in problems})
    return rows


def import_data(src: Path, out: Path, quarantine: Path | None = None) -> ImportReport:
    """Check every row of the data set in ``src`` and write it to ``out`` as Parquet."""
    sources = {t: _source(src, t) for t in TABLES}
    absent = [
        Problem(Location(file=str(src / f"{t}.csv")), f"no {t} table (.csv, .parquet or folder)")
        for t, p in sources.items()
        if p is None
    ]
    if absent:
        return ImportReport({}, tuple(absent), 0)
    con = duckdb.connect()
    shape = [p for t in TABLES for p in _load(con, t, sources[t])]  # type: ignore[arg-type]
    if shape:
        return ImportReport({}, tuple(shape), 0)
    found = {t: _problems(con, t, sources[t]) for t in TABLES}  # type: ignore[arg-type]
    if quarantine is None:
        problems = tuple(p for t in TABLES for _, p in found[t])
        return ImportReport({}, problems, 0) if problems else _write(con, found, out, None)
    _cascade(con, found, sources)  # type: ignore[arg-type]
    return _write(con, found, out, quarantine)


def _write(
    con: duckdb.DuckDBPyConnection,
    found: dict[str, list[tuple[int, Problem]]],
    out: Path,
    quarantine: Path | None,
) -> ImportReport:
    problems = tuple(p for t in TABLES for _, p in found[t])
    out.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".import-", dir=out.parent))
    try:
        written = {t: _write_good(con, t, {r for r, _ in found[t]}, staging) for t in TABLES}
        quarantined = _quarantine(con, found, quarantine) if quarantine is not None else 0
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    if out.exists():
        shutil.rmtree(out)
    staging.rename(out)
    return ImportReport(written, problems, quarantined)
