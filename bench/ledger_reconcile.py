"""Ledger benchmark: a year of obligations from the events, reconciled against a
generated remittance file; Guildhall's reconciliation (Ibis → DuckDB) and hand-written
DuckDB SQL side by side, and Spark on a smaller set, the same result to the cent.

    .venv/bin/python bench/ledger_reconcile.py --events 100000000 --repeats 3 --spark-events 1000000

Steps, each a fresh child process (peak memory is its ``VmHWM``):

1. ``obligations``: wga-2008 costed over the data set (``guildhall data synth``, under
   ``bench/out/``), the amounts of the four quarters from July 1, 2008 per production,
   period and kind, with employer and due date, written to Parquet;
2. ``remittances``: a remittance file generated from them, each (production, period,
   kind) falling by a hash of its key into one of the stated proportions (``PLAN``);
   the plan's expected findings are written beside it;
3. ``engine`` / ``sql``: reconciliation as of 120 days after the last due date (after every
   late payment planted), every
   finding written to Parquet; both are checked against the plan and against each other;
4. ``spark``: the engine's same expressions on Spark (local mode) over the smaller set,
   compared row by row with DuckDB's.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import time
from datetime import date, timedelta
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
OUT = HERE / "out"
AGREEMENT = "wga-2008"
YEAR = (date(2008, 7, 1), date(2009, 4, 1))

PLAN = (
    ("paid", 700, "paid in full on time"),
    ("late", 100, "paid in full 8 to 97 days after the due date"),
    ("short", 80, "paid four fifths, on time"),
    ("unpaid", 70, "not paid at all"),
    ("over", 30, "paid a twentieth too much, on time"),
    ("split", 20, "paid half on time, the rest 30 days late"),
)
"""Per mille of (production, period, kind) keys; and 5 per mille also get a remittance
for a period a year earlier, which matches no obligation."""

FINDINGS = ("shortfalls", "late", "overpayments", "unmatched")


def _peak_rss_bytes() -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) * 1024
    raise RuntimeError("no VmHWM")


def _bounds() -> str:
    out, low = [], 0
    for name, share, _ in PLAN:
        out.append(f"WHEN b < {low + share} THEN '{name}'")
        low += share
    return "CASE " + " ".join(out) + " END"


def _obligations(data: Path, target: Path) -> dict[str, object]:
    from guildhall.costing.backends import connect
    from guildhall.costing.data.schema import DataSet
    from guildhall.costing.engine import open_tables, production_amounts
    from guildhall.costing.params import terms_from_agreement
    from guildhall.ledger.obligations import obligations_table
    from guildhall.ledger.terms import ledger_terms
    from guildhall.terms import load

    agreement = load(AGREEMENT)
    terms, problems = ledger_terms(agreement, agreement.term_start or YEAR[0])
    assert terms is not None, problems
    con = connect("duckdb")
    tables = open_tables(con, DataSet(data))
    amounts = production_amounts(tables, [terms_from_agreement(agreement)])
    amounts = amounts.filter(amounts.period_start.between(*YEAR))
    periods = [date(2008, 7, 1), date(2008, 10, 1), date(2009, 1, 1), date(2009, 4, 1)]
    table = obligations_table(amounts, tables.productions, terms, periods)
    con.to_parquet(table, target)
    return {}


def _remittances(obligations: Path, target: Path, truth: Path) -> dict[str, object]:
    import duckdb

    con = duckdb.connect()
    con.execute(
        f"""CREATE TABLE o AS SELECT *, hash(production_id, period_start, kind) % 1000 AS b
        FROM read_parquet('{obligations}')"""
    )
    con.execute(f"CREATE TABLE planned AS SELECT *, {_bounds()} AS fate FROM o")
    ref = "'R-' || production_id || '-' || period_start || '-' || kind"
    con.execute(
        f"""COPY (
        SELECT employer, production_id, NULL::BIGINT AS performer_id, period_start, kind,
               amount_cents, paid_on, reference FROM (
          SELECT *, amount_cents FROM (
            SELECT employer, production_id, period_start, kind,
              CASE fate WHEN 'short' THEN amount_cents * 4 // 5
                        WHEN 'over' THEN amount_cents + amount_cents // 20 + 1
                        WHEN 'split' THEN amount_cents // 2
                        ELSE amount_cents END AS amount_cents,
              CASE fate WHEN 'late' THEN due_on + grace_days + 1 + (b % 90)::INT
                        ELSE due_on - 10 END AS paid_on,
              {ref} || '-1' AS reference
            FROM planned WHERE fate <> 'unpaid'
            UNION ALL
            SELECT employer, production_id, period_start, kind,
              amount_cents - amount_cents // 2, due_on + 30, {ref} || '-2'
            FROM planned WHERE fate = 'split'
            UNION ALL
            SELECT employer, production_id, period_start - INTERVAL 1 YEAR, kind,
              amount_cents, due_on - 10, {ref} || '-x'
            FROM planned WHERE b < 5
          ) WHERE amount_cents > 0
        ) ORDER BY employer, reference
        ) TO '{target}' (FORMAT parquet)"""
    )
    expected = con.execute(
        """SELECT
          count(*) FILTER (WHERE fate IN ('short', 'unpaid')),
          sum(CASE fate WHEN 'short' THEN amount_cents - amount_cents * 4 // 5
                        WHEN 'unpaid' THEN amount_cents ELSE 0 END),
          count(*) FILTER (WHERE fate IN ('late', 'split')),
          count(*) FILTER (WHERE fate = 'over'),
          sum(CASE WHEN fate = 'over' THEN amount_cents // 20 + 1 ELSE 0 END),
          count(*) FILTER (WHERE b < 5),
          count(*), max(due_on),
          count(DISTINCT employer)
        FROM planned"""
    ).fetchone()
    assert expected is not None
    keys = ("shortfalls", "unpaid_cents", "late", "overpayments", "overpaid_cents",
            "unmatched", "obligations", "last_due", "employers")  # fmt: skip
    plan = dict(zip(keys, expected, strict=True))
    plan["last_due"] = str(plan["last_due"])
    plan["shares"] = {n: s for n, s, _ in PLAN}
    truth.write_text(json.dumps(plan, indent=2, default=int))
    return {}


SQL = """
WITH keys AS (
  SELECT employer, production_id, period_start, kind, max(agreement) AS agreement,
         sum(amount_cents)::BIGINT AS owed, min(due_on) AS due_on,
         max(rate_ppm) AS rate, max(grace_days) AS grace
  FROM read_parquet('{o}') GROUP BY ALL),
paid AS (SELECT * FROM read_parquet('{r}') WHERE paid_on <= DATE '{as_of}'),
matched AS (SELECT p.*, k.owed, k.due_on, k.rate, k.grace FROM paid p
  JOIN keys k USING (employer, production_id, period_start, kind)),
applied AS (
  SELECT *, least(amount_cents, greatest(owed - (sum(amount_cents) OVER w - amount_cents), 0))
            AS applied,
         greatest(date_diff('day', due_on, paid_on) - grace, 0) AS days
  FROM matched
  WINDOW w AS (PARTITION BY employer, production_id, period_start, kind
               ORDER BY paid_on, reference ROWS UNBOUNDED PRECEDING)),
per AS (
  SELECT employer, production_id, period_start, kind, sum(amount_cents)::BIGINT AS paid,
         sum(applied)::BIGINT AS applied,
         sum(CASE WHEN days > 0 THEN applied ELSE 0 END)::BIGINT AS late_cents,
         sum(applied * days)::BIGINT AS cent_days
  FROM applied GROUP BY ALL),
whole AS (
  SELECT k.*, coalesce(p.paid, 0) AS paid, coalesce(p.applied, 0) AS applied,
         coalesce(p.late_cents, 0) AS late_cents, coalesce(p.cent_days, 0) AS cent_days,
         greatest(date_diff('day', k.due_on, DATE '{as_of}') - k.grace, 0) AS unpaid_days
  FROM keys k LEFT JOIN per p USING (employer, production_id, period_start, kind))
"""
INTEREST = "((2 * ({n})::HUGEINT * rate * 12 + 365000000) // 730000000)::BIGINT"
SQL_FINDINGS = {
    "shortfalls": "SELECT employer, production_id, period_start, kind, owed AS owed_cents, "
    "paid AS paid_cents, (owed - applied) AS unpaid_cents, "
    + INTEREST.format(n="(owed - applied) * unpaid_days")
    + " AS interest_cents FROM whole WHERE due_on <= DATE '{as_of}' AND owed > applied",
    "late": "SELECT employer, production_id, period_start, kind, late_cents, "
    + INTEREST.format(n="cent_days")
    + " AS interest_cents FROM whole WHERE late_cents > 0",
    "overpayments": "SELECT employer, production_id, period_start, kind, "
    "(paid - owed) AS overpaid_cents FROM whole WHERE paid > owed",
    "unmatched": "SELECT p.employer, p.production_id, p.period_start, p.kind, p.amount_cents, "
    "p.reference FROM paid p ANTI JOIN keys k USING (employer, production_id, period_start, kind)",
}
COLUMNS = {
    "shortfalls": ["owed_cents", "paid_cents", "unpaid_cents", "interest_cents"],
    "late": ["late_cents", "interest_cents"],
    "overpayments": ["overpaid_cents"],
    "unmatched": ["amount_cents"],
}


def _summary(rows_of: dict[str, object]) -> dict[str, object]:
    return rows_of


def _engine(backend: str, o: Path, r: Path, as_of: date, out: Path) -> dict[str, object]:
    import ibis

    from guildhall.costing.backends import connect
    from guildhall.ledger.reconcile import reconcile

    con = connect(backend)
    started = time.perf_counter()
    result = reconcile(con.read_parquet(str(o)), con.read_parquet(str(r)), as_of)
    sums: dict[str, object] = {}
    for name in FINDINGS:
        table = getattr(result, name)
        path = out / f"{backend}-{name}.parquet"
        if backend == "duckdb":
            con.to_parquet(table, path)
            stats = ibis.duckdb.connect().read_parquet(str(path))
        else:
            stats = table.cache()
        agg = (
            stats.aggregate(rows=stats.count(), **{c: stats[c].sum() for c in COLUMNS[name]})
            .to_pyarrow()
            .to_pylist()[0]
        )
        sums[name] = {k: int(v or 0) for k, v in agg.items()}
        if backend != "duckdb":
            cols = ["employer", "production_id", "period_start", "kind", *COLUMNS[name]]
            if name == "unmatched":
                cols.append("reference")
            stats.select(*cols).to_pyarrow()  # materialised for the row-by-row check below
            import pyarrow.parquet as pq

            pq.write_table(stats.select(*cols).to_pyarrow(), path)
    return {"wall": time.perf_counter() - started, "sums": sums}


def _sql(o: Path, r: Path, as_of: date, out: Path) -> dict[str, object]:
    import duckdb

    from guildhall.costing.backends import duckdb_settings

    con = duckdb.connect(config=duckdb_settings())
    started = time.perf_counter()
    base = SQL.format(o=o, r=r, as_of=as_of)
    sums: dict[str, object] = {}
    for name, query in SQL_FINDINGS.items():
        path = out / f"sql-{name}.parquet"
        con.execute(f"COPY ({base} {query.format(as_of=as_of)}) TO '{path}' (FORMAT parquet)")
        cols = ", ".join(f"sum({c})::BIGINT AS {c}" for c in COLUMNS[name])
        row = con.execute(f"SELECT count(*) AS rows, {cols} FROM '{path}'").fetchone()
        assert row is not None
        sums[name] = dict(zip(["rows", *COLUMNS[name]], [int(v or 0) for v in row], strict=True))
    return {"wall": time.perf_counter() - started, "sums": sums}


def _child(args: argparse.Namespace) -> None:
    started = time.perf_counter()
    folder = Path(args.folder)
    o, r, truth = (
        folder / "obligations.parquet",
        folder / "remittances.parquet",
        folder / "plan.json",
    )
    if args.child == "obligations":
        result = _obligations(Path(args.data), o)
    elif args.child == "remittances":
        result = _remittances(o, r, truth)
    else:
        as_of = date.fromisoformat(args.as_of)
        if args.child == "sql":
            result = _sql(o, r, as_of, folder)
        else:
            result = _engine(args.child, o, r, as_of, folder)
    result.setdefault("wall", time.perf_counter() - started)
    result["peak_rss"] = _peak_rss_bytes()
    print(json.dumps(result, default=str))


def _run(step: str, folder: Path, **options: str) -> dict[str, object]:
    argv = [sys.executable, __file__, "--child", step, "--folder", str(folder)]
    for key, value in options.items():
        argv += [f"--{key.replace('_', '-')}", value]
    done = subprocess.run(argv, check=True, capture_output=True, text=True, cwd=ROOT)
    return json.loads(done.stdout.strip().splitlines()[-1])


def _data(size: int) -> Path:
    label = f"{size // 1_000_000}m" if size >= 1_000_000 else f"{size // 1000}k"
    path = OUT / f"costing-{label}"
    if not (path / "events").is_dir():
        titles = max(1_000, size // 250)
        members = max(10_000, size // 50)
        subprocess.run(
            [str(ROOT / ".venv/bin/guildhall"), "data", "synth", str(path),
             "--members", str(members), "--titles", str(titles), "--events", str(size),
             "--seed", "1"],
            check=True,
        )  # fmt: skip
    return path


def _prepare(size: int) -> tuple[Path, dict[str, object], dict[str, float]]:
    data = _data(size)
    folder = OUT / f"ledger-{data.name.removeprefix('costing-')}"
    folder.mkdir(parents=True, exist_ok=True)
    times = {}
    for step in ("obligations", "remittances"):
        got = _run(step, folder, data=str(data))
        times[step] = float(got["wall"])  # type: ignore[arg-type]
        times[f"{step}_peak"] = int(got["peak_rss"]) / 2**30  # type: ignore[call-overload]
    plan = json.loads((folder / "plan.json").read_text())
    return folder, plan, times


def _check(plan: dict[str, object], sums: dict[str, dict[str, int]]) -> list[str]:
    wrong = []
    expect = {
        ("shortfalls", "rows"): plan["shortfalls"],
        ("shortfalls", "unpaid_cents"): plan["unpaid_cents"],
        ("late", "rows"): plan["late"],
        ("overpayments", "rows"): plan["overpayments"],
        ("overpayments", "overpaid_cents"): plan["overpaid_cents"],
        ("unmatched", "rows"): plan["unmatched"],
    }
    for (name, column), value in expect.items():
        if sums[name][column] != value:
            wrong.append(f"{name}.{column}: {sums[name][column]} found, {value} planted")
    return wrong


def _same_rows(folder: Path, left: str, right: str) -> list[str]:
    import duckdb

    wrong = []
    for name in FINDINGS:
        cols = ["employer", "production_id", "period_start", "kind", *COLUMNS[name]]
        select = ", ".join(cols)
        a, b = folder / f"{left}-{name}.parquet", folder / f"{right}-{name}.parquet"
        one = f"SELECT {select} FROM '{a}' EXCEPT ALL SELECT {select} FROM '{b}'"
        other = f"SELECT {select} FROM '{b}' EXCEPT ALL SELECT {select} FROM '{a}'"
        differ = duckdb.sql(f"SELECT count(*) FROM (({one}) UNION ALL ({other}))").fetchall()
        if differ[0][0]:
            wrong.append(f"{name}: {differ[0][0]} rows differ between {left} and {right}")
    return wrong


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=1_000_000)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--spark-events", type=int, default=0, help="0: no Spark run")
    parser.add_argument("--child")
    parser.add_argument("--folder")
    parser.add_argument("--data")
    parser.add_argument("--as-of")
    args = parser.parse_args()
    if args.child:
        _child(args)
        return
    folder, plan, times = _prepare(args.events)
    as_of = date.fromisoformat(str(plan["last_due"])) + timedelta(days=120)
    print(
        f"{args.events:,} events: {plan['obligations']:,} obligations (wga-2008, "
        f"{YEAR[0]}..{YEAR[1]}, per production, period and kind) of {plan['employers']} "
        f"employers; as of {as_of}"
    )
    print(
        f"  costing the obligations {times['obligations']:.2f} s "
        f"(peak {times['obligations_peak']:.2f} GiB); generating remittances "
        f"{times['remittances']:.2f} s; plan: "
        + ", ".join(f"{n} {s / 10:g}%" for n, s, _ in PLAN)
        + ", unmatched 0.5%"
    )
    runs: dict[str, list[dict[str, object]]] = {"engine": [], "sql": []}
    for _ in range(args.repeats):  # the two take turns, sampling the same load
        runs["engine"].append(_run("duckdb", folder, as_of=str(as_of)))
        runs["sql"].append(_run("sql", folder, as_of=str(as_of)))
    medians = {}
    for variant, results in runs.items():
        walls = [float(r["wall"]) for r in results]  # type: ignore[arg-type]
        medians[variant] = statistics.median(walls)
        peak = max(int(r["peak_rss"]) for r in results) / 2**30  # type: ignore[call-overload]
        each = ", ".join(f"{w:.2f}" for w in walls)
        print(
            f"  {variant:<7} reconcile median {medians[variant]:.2f} s ({each});"
            f" peak {peak:.2f} GiB"
        )
    sums = runs["engine"][-1]["sums"]
    print("  found: " + json.dumps(sums))
    problems = _check(plan, sums)  # type: ignore[arg-type]
    problems += _same_rows(folder, "duckdb", "sql")
    total = times["obligations"] + medians["engine"]
    print(
        f"  engine / hand-written SQL: {medians['engine'] / medians['sql']:.2f}x; "
        f"costing + reconciling: {total:.2f} s"
    )
    if args.spark_events:
        small, small_plan, _ = _prepare(args.spark_events)
        small_as_of = date.fromisoformat(str(small_plan["last_due"])) + timedelta(days=120)
        duck = _run("duckdb", small, as_of=str(small_as_of))
        spark = _run("pyspark", small, as_of=str(small_as_of))
        same = duck["sums"] == spark["sums"]
        problems += _same_rows(small, "duckdb", "pyspark")
        problems += _check(small_plan, spark["sums"])  # type: ignore[arg-type]
        print(
            f"  Spark on {args.spark_events:,} events ({small_plan['obligations']:,} obligations):"
            f" {float(spark['wall']):.2f} s against DuckDB's {float(duck['wall']):.2f} s;"  # type: ignore[arg-type]
            f" sums {'equal' if same else 'DIFFER'}: {json.dumps(spark['sums'])}"
        )
    if problems:
        print("MISMATCH:\n  " + "\n  ".join(problems))
        sys.exit(1)
    print("  every finding is what the plan put there, and the variants agree row by row")


if __name__ == "__main__":
    main()
