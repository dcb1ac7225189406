"""Costing services: generate and import data sets, cost agreements, explain amounts.

The CLI and the web app call these; they turn paths and names into costing calls and
raise ``InvalidInput`` or ``NotFound`` for a person's mistakes.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from guildhall.core.errors import InvalidInput
from guildhall.core.problems import Location, Problem
from guildhall.costing import charts
from guildhall.costing.backends import connect
from guildhall.costing.compare import Comparison, compare
from guildhall.costing.data.importer import ImportReport, import_data
from guildhall.costing.data.schema import DataSet
from guildhall.costing.data.synth import Progress, SynthSpec, synthesize
from guildhall.costing.engine import open_tables
from guildhall.costing.explain import explain
from guildhall.costing.formulas import KINDS
from guildhall.costing.params import Terms, terms_from_agreement
from guildhall.costing.provenance import provenance
from guildhall.files.reading import check_file
from guildhall.settings import Settings
from guildhall.terms import load


def synth_data(out: Path, spec: SynthSpec, progress: Progress) -> None:
    """Generate a data set into ``out``; sizes must be positive."""
    problems = [
        Problem(Location(field=name), f"must be at least 1, not {value}")
        for name, value in (("members", spec.members), ("titles", spec.titles))
        if value < 1
    ]
    if spec.events < 0:
        problems.append(Problem(Location(field="events"), f"must be 0 or more, not {spec.events}"))
    if problems:
        raise InvalidInput(problems)
    synthesize(spec, out, progress)


def import_data_set(src: Path, out: Path, quarantine: Path | None) -> ImportReport:
    """Import ``src`` into ``out``; with problems and no quarantine file, nothing is written."""
    if not src.is_dir():
        reason = check_file(src)  # a symlink loop or a missing path says so
        what = "is a file, not a folder" if reason is None else reason.what
        what = "no such folder" if what == "no such file" else what
        raise InvalidInput([Problem(Location(file=str(src)), what)])
    report = import_data(src, out, quarantine)
    # Problems of shape (a missing table or column, a file that is not CSV) write nothing,
    # even with a quarantine file: no row could be checked.
    if report.problems and (quarantine is None or not report.written):
        raise InvalidInput(report.problems)
    return report


def _memory_limit() -> str | None:
    return Settings.from_env().duckdb_memory_limit


def _data_set(data: Path) -> DataSet:
    data_set = DataSet(data)
    missing = data_set.missing()
    if missing:
        raise InvalidInput(
            [Problem(Location(file=str(data)), f"the data set has no {t} table") for t in missing]
        )
    return data_set


def _terms(agreement_ids: list[str], readings: dict[str, str]) -> list[Terms]:
    if not agreement_ids:
        raise InvalidInput([Problem(Location(field="agreements"), "name at least one agreement")])
    out = []
    for agreement_id in agreement_ids:
        agreement = load(agreement_id)
        chosen = {n: r for n, r in readings.items() if n in agreement.parameters}
        out.append(terms_from_agreement(agreement.with_readings(chosen) if chosen else agreement))
    return out


def cost_agreements(
    agreement_ids: list[str],
    data: Path,
    *,
    backend: str = "duckdb",
    performer_id: int | None = None,
    readings: dict[str, str] | None = None,
) -> Comparison:
    """Cost each agreement over the data set and compare each with the first."""
    data_set = _data_set(data)
    agreements = _terms(agreement_ids, readings or {})
    tables = open_tables(connect(backend, memory_limit=_memory_limit()), data_set)
    result = compare(tables, agreements, performer_id)
    files = {
        t.id: [{"agreement": a, "path": p, "sha256": h} for a, p, h in t.files] for t in agreements
    }
    result.provenance = provenance(files, data_set)
    return result


def explain_amount(
    agreement_id: str, data: Path, production_id: int, period_start: date, kind: str
) -> dict[str, Any]:
    """Why one amount is owed: formula, parameters with sources, input rows."""
    if kind not in KINDS:
        raise InvalidInput(
            [Problem(Location(field="kind"), f"{kind!r} is not one of {', '.join(KINDS)}")]
        )
    terms = _terms([agreement_id], {})[0]
    tables = open_tables(connect("duckdb", memory_limit=_memory_limit()), _data_set(data))
    return explain(tables, terms, production_id, period_start, kind)


def write_chart(comparison: Comparison, target: Path) -> None:
    if target.suffix.lower() not in (".png", ".html"):
        raise InvalidInput([Problem(Location(file=str(target)), "a chart is .png or .html")])
    charts.write_chart(comparison, target)
