"""What differs between two versions of a case record, in words a person can check."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

from guildhall.bargaining.records import Case, Event
from guildhall.bargaining.serialise import event_to_data, record_to_data

SECTIONS = ("parties", "bodies", "people", "agreements", "facts", "documents", "conflicts")
_SHORT = 60


@dataclass(frozen=True)
class Difference:
    """One change: ``+`` only in the new version, ``-`` only in the old, ``~`` in both but
    changed (``fields`` says which, with old and new values where they are short)."""

    section: str
    change: str
    name: str
    fields: tuple[str, ...] = ()

    def __str__(self) -> str:
        text = f"{self.section}: {self.change} {self.name}"
        return text + (f" ({'; '.join(self.fields)})" if self.fields else "")

    def as_dict(self) -> dict[str, Any]:
        return asdict(self) | {"fields": list(self.fields)}


def case_differences(
    old: Case, new: Case, *, old_rules: str = "", new_rules: str = ""
) -> list[Difference]:
    """Everything in which ``new`` differs from ``old``: the case's own fields, its rules,
    each list of the record by id, and the events (by id, or by date, kind and summary)."""
    out: list[Difference] = []
    for name in ("title", "description", "guild", "rules", "settings"):
        a, b = getattr(old, name), getattr(new, name)
        if a != b:
            out.append(Difference("case", "~", name, (_change(name, a, b),)))
    if old_rules != new_rules:
        out.append(Difference("rules", "~", f"rules/{new.rules}.yaml", ("the text changed",)))
    a_record, b_record = record_to_data(old), record_to_data(new)
    for section in SECTIONS:
        out += _by_key(section, a_record[section], b_record[section], lambda d: str(d["id"]))
    out += _by_key("events", _events(old.events), _events(new.events), _event_key)
    return out


def _events(events: tuple[Event, ...]) -> list[dict[str, Any]]:
    """Events as data to compare: without their log numbers and who logged them, and with
    ``corrects`` naming the corrected event as the comparison does."""
    keys: dict[int | None, str] = {}
    out = []
    for event in events:
        data = event_to_data(event)
        for key in ("seq", "recorded_by", "recorded_at"):
            data.pop(key)
        if data["corrects"] is not None:
            data["corrects"] = keys.get(data["corrects"], data["corrects"])
        keys[event.seq] = _event_key(data)
        out.append(data)
    return out


def _event_key(data: dict[str, Any]) -> str:
    if data["id"]:
        return str(data["id"])
    return f"{data['date']} {data['kind']}: {_short(str(data['summary']))}"


def _by_key(
    section: str, old: list[dict[str, Any]], new: list[dict[str, Any]], key: Any
) -> list[Difference]:
    a = {key(d): d for d in old}
    b = {key(d): d for d in new}
    out = [Difference(section, "-", k) for k in a if k not in b]
    for k, item in b.items():
        if k not in a:
            out.append(Difference(section, "+", k))
        elif a[k] != item:
            changed = [f for f in item if a[k].get(f) != item.get(f)]
            out.append(
                Difference(
                    section, "~", k, tuple(_change(f, a[k].get(f), item[f]) for f in changed)
                )
            )
    return out


def _change(field: str, old: Any, new: Any) -> str:
    if _printable(old) and _printable(new):
        return f"{field}: {old!r} → {new!r}"
    return f"{field} changed"


def _printable(value: Any) -> bool:
    return value is None or (
        isinstance(value, str | int | float | bool) and len(str(value)) <= _SHORT
    )


def _short(text: str) -> str:
    return text if len(text) <= _SHORT else text[: _SHORT - 1] + "…"
