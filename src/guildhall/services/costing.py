"""Costing services: generate and import data sets, cost agreements, explain amounts.

The CLI and the web app call these; they turn paths and names into costing calls and
raise ``InvalidInput`` or ``NotFound`` for a person's mistakes.
"""

from __future__ import annotations

from pathlib import Path

from guildhall.core.errors import InvalidInput
from guildhall.core.problems import Location, Problem
from guildhall.costing.data.importer import ImportReport, import_data
from guildhall.costing.data.synth import Progress, SynthSpec, synthesize


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
        raise InvalidInput([Problem(Location(file=str(src)), "is not a folder")])
    report = import_data(src, out, quarantine)
    if report.problems and quarantine is None:
        raise InvalidInput(report.problems)
    return report
