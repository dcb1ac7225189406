"""Compare two agreements term by term: what changes in values and in formulas.

Two parameters are the same term when their unit, status, values (dates and figures) and
readings agree; a new source for the same figure is not a change. An offer diffed
against the agreement it is based on therefore shows only what it overrides.
"""

from __future__ import annotations

from dataclasses import dataclass

from guildhall.terms.formulas import FORMULAS
from guildhall.terms.records import Agreement, DatedValue, Parameter


@dataclass(frozen=True)
class ParameterChange:
    """One term that differs: added, removed or changed, with both versions."""

    name: str
    change: str  # added | removed | changed
    aspects: tuple[str, ...]  # unit, values, status, readings
    read_by: tuple[str, ...]  # formulas (in either agreement) that read it
    before: Parameter | None
    after: Parameter | None


@dataclass(frozen=True)
class AgreementDiff:
    """Everything that differs between agreement ``a`` and agreement ``b``."""

    a: Agreement
    b: Agreement
    identity: tuple[tuple[str, str, str], ...]  # (field, in a, in b)
    formulas_added: tuple[str, ...]
    formulas_removed: tuple[str, ...]
    parameters: tuple[ParameterChange, ...]

    @property
    def is_empty(self) -> bool:
        return not (
            self.identity or self.formulas_added or self.formulas_removed or self.parameters
        )


def _values_key(values: tuple[DatedValue, ...]) -> tuple[tuple[object, ...], ...]:
    return tuple((v.start, v.end, v.value) for v in values)


def _aspects(before: Parameter, after: Parameter) -> tuple[str, ...]:
    aspects = []
    if before.unit != after.unit:
        aspects.append("unit")
    if _values_key(before.current_values()) != _values_key(after.current_values()):
        aspects.append("values")
    if before.status != after.status:
        aspects.append("status")
    readings_before = {n: _values_key(r.values) for n, r in before.readings.items()}
    readings_after = {n: _values_key(r.values) for n, r in after.readings.items()}
    if readings_before != readings_after:
        aspects.append("readings")
    return tuple(aspects)


def _as_text(value: object) -> str:
    if isinstance(value, tuple):
        return ", ".join(str(v) for v in value)
    return str(value) if value else "—"


def _identity(a: Agreement, b: Agreement) -> tuple[tuple[str, str, str], ...]:
    rows = []
    for field in ("kind", "status", "guild", "employers", "term_start", "term_end"):
        left, right = getattr(a, field), getattr(b, field)
        if left != right:
            rows.append((field, _as_text(left), _as_text(right)))
    return tuple(rows)


def diff(a: Agreement, b: Agreement) -> AgreementDiff:
    """What changes from ``a`` to ``b``, term by term, in the order ``b`` lists its terms."""
    formulas = set(a.formulas) | set(b.formulas)
    changes: list[ParameterChange] = []
    names = [*b.parameters, *(n for n in a.parameters if n not in b.parameters)]
    for name in names:
        before, after = a.parameters.get(name), b.parameters.get(name)
        read_by = tuple(f for f in sorted(formulas) if name in FORMULAS[f].reads_parameters)
        if before is None:
            changes.append(ParameterChange(name, "added", (), read_by, None, after))
        elif after is None:
            changes.append(ParameterChange(name, "removed", (), read_by, before, None))
        else:
            aspects = _aspects(before, after)
            if aspects:
                changes.append(ParameterChange(name, "changed", aspects, read_by, before, after))
    return AgreementDiff(
        a=a,
        b=b,
        identity=_identity(a, b),
        formulas_added=tuple(f for f in b.formulas if f not in a.formulas),
        formulas_removed=tuple(f for f in a.formulas if f not in b.formulas),
        parameters=tuple(changes),
    )
