"""Reading one event from parsed YAML and checking it against its kind."""

from __future__ import annotations

from collections.abc import Collection, Mapping
from typing import Any

from guildhall.bargaining.documents import read_new_documents
from guildhall.bargaining.kinds import KINDS
from guildhall.bargaining.records import CERTAINTIES, Document, Event
from guildhall.bargaining.sources import read_sources
from guildhall.files.located_yaml import PathKey
from guildhall.files.shape import Shape

COMMON = (
    "id",
    "date",
    "kind",
    "summary",
    "certainty",
    "assumption",
    "sources",
    "parties",
    "by",
    "union",
    "corrects",
    "documents",
)


def read_event(
    shape: Shape,
    value: Any,
    path: PathKey,
    *,
    guild: str,
    actors: Collection[str],
    documents: Mapping[str, Document],
    event_ids: Mapping[str, int],
) -> Event | None:
    """An ``Event`` from a mapping, or ``None`` with the problems added to ``shape``.

    ``documents`` are those already in the record, ``event_ids`` the log positions of the
    events before it that have an id (``corrects:`` may name one of them).
    """
    before = len(shape.problems)
    entry = shape.mapping(
        value, path, required=("date", "kind", "summary", "certainty", "sources"), open_keys=True
    )
    if entry is None:
        return None
    kind_name = shape.choice(entry.get("kind"), (*path, "kind"), sorted(KINDS))
    day = shape.day(entry.get("date"), (*path, "date"))
    summary = shape.text(entry.get("summary"), (*path, "summary"))
    certainty = shape.choice(entry.get("certainty"), (*path, "certainty"), CERTAINTIES)
    assumption = shape.text(entry.get("assumption"), (*path, "assumption"), optional=True)
    if certainty == "inferred" and assumption is None:
        shape.fail(
            (*path, "certainty"),
            "an inferred event must write down its assumption",
            hint="add assumption: with how the date or fact was worked out",
        )
    new_documents = read_new_documents(
        shape, entry.get("documents"), (*path, "documents"), documents
    )
    cited = {**documents, **{d.id: d for d in new_documents}}
    sources = read_sources(shape, entry.get("sources"), (*path, "sources"), cited)
    union = shape.identifier(entry.get("union", guild), (*path, "union"))
    if union is not None and union not in actors:
        shape.fail((*path, "union"), f"{union!r} is not a party of this case")
    corrects = _corrects(shape, entry.get("corrects"), (*path, "corrects"), event_ids)
    event_id = shape.identifier(entry.get("id"), (*path, "id"), optional=True)
    by = shape.identifier(entry.get("by"), (*path, "by"), optional=True)
    if by is not None and by not in actors:
        shape.fail((*path, "by"), f"{by!r} is not a party or body of this case")
    parties: list[str] = []
    for i, party in enumerate(shape.sequence(entry.get("parties"), (*path, "parties"))):
        name = shape.identifier(party, (*path, "parties", i))
        if name is not None and name not in actors:
            shape.fail((*path, "parties", i), f"{name!r} is not a party or body of this case")
        elif name is not None:
            parties.append(name)
    details = _details(shape, entry, path, kind_name)
    if len(shape.problems) > before or kind_name is None or day is None:
        return None
    assert summary is not None and certainty is not None and union is not None
    return Event(
        date=day,
        kind=kind_name,
        summary=summary,
        certainty=certainty,  # type: ignore[arg-type]
        sources=sources,
        union=union,
        id=event_id,
        assumption=assumption,
        parties=tuple(parties),
        by=by,
        details=details,
        corrects=corrects,
        documents=new_documents,
    )


def _corrects(shape: Shape, value: Any, path: PathKey, event_ids: Mapping[str, int]) -> int | None:
    """The log position an event's ``corrects:`` names: a number (``12`` or ``"#12"``) or the
    id of an earlier event."""
    if value is None:
        return None
    if isinstance(value, int) and not isinstance(value, bool) and value > 0:
        return value
    if isinstance(value, str) and value.strip().lstrip("#").isdigit():
        return int(value.strip().lstrip("#"))
    if isinstance(value, str) and value.strip() in event_ids:
        return event_ids[value.strip()]
    shape.fail(
        path,
        f"no event {value!r} before this one to correct",
        hint="name an earlier event by its id or its log number (#12)",
    )
    return None


def _details(
    shape: Shape, entry: Mapping[str, Any], path: PathKey, kind_name: str | None
) -> dict[str, Any]:
    if kind_name is None:
        return {}
    spec = KINDS[kind_name].fields
    details: dict[str, Any] = {}
    for key, raw in entry.items():
        if key in COMMON:
            continue
        if key not in spec:
            allowed = ", ".join(sorted((*COMMON, *spec)))
            shape.fail(
                (*path, key),
                f"unknown key {key!r} for a {kind_name} event",
                hint=f"allowed: {allowed}",
                key=True,
            )
            continue
        value = _field(shape, raw, (*path, key), spec[key].rstrip("?"))
        if value is not None:
            details[key] = value
    for key, kind in spec.items():
        if not kind.endswith("?") and key not in entry:
            shape.fail(path, f"a {kind_name} event needs {key!r}")
    return details


def _field(shape: Shape, raw: Any, path: PathKey, kind: str) -> Any:
    if kind == "str":
        return shape.text(raw, path)
    if kind == "int":
        return shape.count(raw, path)
    if kind == "date":
        day = shape.day(raw, path)
        return day.isoformat() if day else None
    if kind == "bool":
        return shape.flag(raw, path)
    return shape.choice(raw, path, kind.split("|"))
