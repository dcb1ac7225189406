"""Terms as the CLI and the web app show them: plain data built from ``guildhall.terms``.

Every function returns dictionaries and lists of plain values (dates, ``Decimal``,
strings), ready for JSON or for a text rendering.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from guildhall.core.problems import Problem
from guildhall.settings import Settings
from guildhall.terms import (
    FORMULAS,
    Agreement,
    DatedValue,
    NoValue,
    Parameter,
    ParameterChange,
    check,
    default_directory,
    diff,
    list_agreements,
    load,
)
from guildhall.terms.units import format_value


def agreements_directory() -> Path:
    """Where agreements live: ``$GUILDHALL_AGREEMENTS`` if set, else the repository's folder."""
    return Settings.from_env().agreements_dir or default_directory()


def load_agreement(id_or_path: str, readings: Mapping[str, str] | None = None) -> Agreement:
    """An agreement by id or path, with any readings chosen."""
    agreement = load(id_or_path, agreements_directory())
    return agreement.with_readings(readings) if readings else agreement


def _summary(agreement: Agreement) -> dict[str, Any]:
    return {
        "id": agreement.id,
        "name": agreement.name,
        "guild": agreement.guild,
        "employers": list(agreement.employers),
        "kind": agreement.kind,
        "status": agreement.status,
        "term": {"from": agreement.term_start, "to": agreement.term_end},
        "based_on": agreement.based_on,
    }


def list_terms() -> list[dict[str, Any]]:
    """Every agreement, in file-name order, as a one-line summary."""
    return [_summary(a) for a in list_agreements(agreements_directory())]


def _dated(value: DatedValue, unit: str) -> dict[str, Any]:
    source = value.source
    out: dict[str, Any] = {
        "from": value.start,
        "to": value.end,
        "value": value.value,
        "shown": format_value(unit, value.value),
        "source": {
            "document": source.document,
            "section": source.section,
            "url": source.url,
            "quote": source.quote,
        },
    }
    if value.derived:
        out["derived"] = value.derived
    return out


def parameter_data(parameter: Parameter, on: dt.date | None = None) -> dict[str, Any]:
    """One parameter: unit, status, its values (or the one in force ``on``), readings, file."""
    values = parameter.current_values()
    if on is not None:
        try:
            values = (parameter.dated(on),)
        except NoValue:
            values = ()
    out: dict[str, Any] = {
        "name": parameter.name,
        "unit": parameter.unit,
        "description": parameter.description,
        "status": parameter.status,
        "defined_in": parameter.defined_in,
        "file": str(parameter.where),
        "values": [_dated(v, parameter.unit) for v in values],
    }
    if parameter.missing:
        out["missing"] = parameter.missing
    if parameter.readings:
        out["readings"] = {
            name: {
                "description": r.description,
                "values": [_dated(v, parameter.unit) for v in r.values],
            }
            for name, r in parameter.readings.items()
        }
    if parameter.reading:
        out["reading"] = parameter.reading
    return out


def show_terms(
    id_or_path: str, on: dt.date | None = None, readings: Mapping[str, str] | None = None
) -> dict[str, Any]:
    """An agreement in full: identity, files with hashes, formulas, and every parameter."""
    agreement = load_agreement(id_or_path, readings)
    out = _summary(agreement)
    out.update(
        {
            "description": agreement.description,
            "missing": agreement.missing,
            "on": on,
            "files": [
                {"id": f.agreement_id, "path": f.path, "sha256": f.sha256} for f in agreement.files
            ],
            "formulas": list(agreement.formulas),
            "parameters": [parameter_data(p, on) for p in agreement.parameters.values()],
        }
    )
    return out


def _change_data(change: ParameterChange) -> dict[str, Any]:
    parameter = change.after or change.before
    assert parameter is not None
    return {
        "name": change.name,
        "change": change.change,
        "aspects": list(change.aspects),
        "unit": parameter.unit,
        "description": parameter.description,
        "read_by": list(change.read_by),
        "before": parameter_data(change.before) if change.before else None,
        "after": parameter_data(change.after) if change.after else None,
    }


def diff_terms(a: str, b: str) -> dict[str, Any]:
    """What changes from agreement ``a`` to agreement ``b``, term by term, with sources."""
    result = diff(load_agreement(a), load_agreement(b))
    return {
        "a": result.a.id,
        "b": result.b.id,
        "b_is_based_on_a": result.b.based_on == result.a.id,
        "identity": [{"field": f, "a": x, "b": y} for f, x, y in result.identity],
        "formulas": {
            "added": list(result.formulas_added),
            "removed": list(result.formulas_removed),
        },
        "parameters": [_change_data(c) for c in result.parameters],
    }


def check_terms(path: Path | None = None) -> tuple[list[str], list[Problem]]:
    """Check a file or folder (the agreements folder by default): ids that pass, and problems."""
    agreements, problems = check(path or agreements_directory())
    return [a.id for a in agreements], problems


def formula_catalogue() -> list[dict[str, Any]]:
    """The formulas, with what each reads and returns."""
    return [
        {
            "name": f.name,
            "summary": f.summary,
            "returns": f.returns,
            "reads_parameters": list(f.reads_parameters),
            "reads_inputs": list(f.reads_inputs),
        }
        for f in FORMULAS.values()
    ]
