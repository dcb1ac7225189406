"""Costing services: generate and import data sets, cost agreements, explain amounts.

The CLI and the web app call these; they turn paths and names into costing calls and
raise ``InvalidInput`` or ``NotFound`` for a person's mistakes.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

from guildhall.core.errors import InvalidInput
from guildhall.core.problems import Location, Problem
from guildhall.costing import charts
from guildhall.costing.backends import connect
from guildhall.costing.compare import STEPS, Comparison, compare
from guildhall.costing.data.importer import ImportReport, import_data
from guildhall.costing.data.readable import data_set_problems
from guildhall.costing.data.schema import DataSet
from guildhall.costing.data.synth import Progress, SynthSpec, synthesize
from guildhall.costing.engine import open_tables
from guildhall.costing.explain import explain
from guildhall.costing.formulas import KINDS
from guildhall.costing.params import Terms, terms_from_agreement
from guildhall.costing.provenance import provenance
from guildhall.files import output
from guildhall.files.reading import check_file
from guildhall.settings import Settings
from guildhall.terms import load

StepProgress = Callable[[str, int, int], None]
"""Told ``(what, done, total)`` as each stage of a long call starts."""


def synth_data(out: Path, spec: SynthSpec, progress: Progress, *, force: bool = False) -> None:
    """Generate a data set into the folder ``out``; sizes must be positive.

    An ``out`` with anything in it is refused unless ``force``; the set is written to a
    temporary sibling and moved in whole, so a failed run leaves the earlier folder as it was.
    """
    problems = [
        Problem(Location(field=name), f"must be at least 1, not {value}")
        for name, value in (("members", spec.members), ("titles", spec.titles))
        if value < 1
    ]
    if spec.events < 0:
        problems.append(Problem(Location(field="events"), f"must be 0 or more, not {spec.events}"))
    if problems:
        raise InvalidInput(problems)
    with output.output_folder(out, force=force) as partial:
        synthesize(spec, partial, progress)


def import_data_set(
    src: Path, out: Path, quarantine: Path | None, *, force: bool = False
) -> ImportReport:
    """Import ``src`` into ``out``; with problems and no quarantine file, nothing is written.

    ``out`` (a folder) and ``quarantine`` (a file) that exist are refused unless ``force``;
    both are written to temporary siblings and moved in only when the import is complete.
    """
    if not src.is_dir():
        reason = check_file(src)  # a symlink loop or a missing path says so
        what = "is a file, not a folder" if reason is None else reason.what
        what = "no such folder" if what == "no such file" else what
        raise InvalidInput([Problem(Location(file=str(src)), what)])
    output.refuse_existing(out, force=force, folder=True)
    if quarantine is not None:
        output.refuse_existing(quarantine, force=force)
    with contextlib.ExitStack() as stack:
        partial_out = stack.enter_context(output.output_folder(out, force=force))
        partial_quarantine = (
            None
            if quarantine is None
            else stack.enter_context(output.output_file(quarantine, force=force))
        )
        report = import_data(src, partial_out, partial_quarantine)
        # Problems of shape (a missing table or column, a file that is not CSV) write
        # nothing, even with a quarantine file: no row could be checked.
        if report.problems and (quarantine is None or not report.written):
            raise InvalidInput(report.problems)  # nothing is moved into place
    return report


def _memory_limit() -> str | None:
    return Settings.from_env().duckdb_memory_limit


def _data_set(data: Path) -> DataSet:
    if not data.is_dir():
        reason = check_file(data)
        what = "is a file, not a folder" if reason is None else reason.what
        what = "no such folder" if what == "no such file" else what
        raise InvalidInput([Problem(Location(file=str(data)), what)])
    data_set = DataSet(data)
    missing = data_set.missing()
    if missing:
        raise InvalidInput(
            [Problem(Location(file=str(data)), f"the data set has no {t} table") for t in missing]
        )
    unreadable = data_set_problems(data_set)
    if unreadable:
        raise InvalidInput(unreadable)
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
    progress: StepProgress | None = None,
) -> Comparison:
    """Cost each agreement over the data set and compare each with the first.

    ``progress(what, done, total)`` is told as each stage starts (for a progress bar)."""
    total = STEPS + 2
    done = 0

    def step(what: str) -> None:
        nonlocal done
        if progress is not None:
            progress(what, done, total)
        done += 1

    step("reading the agreements")
    data_set = _data_set(data)
    agreements = _terms(agreement_ids, readings or {})
    step(f"opening the data set ({backend})")
    tables = open_tables(connect(backend, memory_limit=_memory_limit()), data_set)
    result = compare(tables, agreements, performer_id, step)
    if progress is not None:
        progress("costed", total, total)
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


def check_chart_target(target: Path, *, force: bool = False) -> None:
    """Refuse a chart path before the costing runs: a wrong suffix, or a file there already."""
    if target.suffix.lower() not in (".png", ".html"):
        raise InvalidInput([Problem(Location(file=str(target)), "a chart is .png or .html")])
    output.refuse_existing(target, force=force)


def write_chart(comparison: Comparison, target: Path, *, force: bool = False) -> None:
    """Write the charts to ``target`` whole; an existing file is replaced only with ``force``."""
    check_chart_target(target, force=force)
    with output.output_file(target, force=force) as partial:
        charts.write_chart(comparison, partial)
