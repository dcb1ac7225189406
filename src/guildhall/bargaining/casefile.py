"""Reading a case file: a YAML record of a bargaining case, checked field by field.

Documents with a ``file`` are read (relative to the case file) so that every quote can be
checked against the text it claims to come from.
"""

from __future__ import annotations

import os
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import Any

from guildhall.bargaining.checks import check_against_log
from guildhall.bargaining.documents import check_address
from guildhall.bargaining.eventfile import read_event
from guildhall.bargaining.records import (
    AgreementInPlay,
    Body,
    Case,
    Conflict,
    Document,
    Event,
    Fact,
    Party,
    Person,
    Reading,
)
from guildhall.bargaining.sources import read_sources
from guildhall.core.problems import Problem
from guildhall.files.located_yaml import PathKey, YamlDocument, read_yaml
from guildhall.files.reading import DOCUMENT_LIMIT, read_text
from guildhall.files.shape import Shape

TOP = (
    "id",
    "title",
    "guild",
    "rules",
    "settings",
    "description",
    "documents",
    "parties",
    "bodies",
    "people",
    "agreements",
    "facts",
    "events",
    "conflicts",
)


def read_case_file(path: Path, *, today: date | None = None) -> tuple[Case | None, list[Problem]]:
    """Parse and check a case file; the case comes back only when there are no problems."""
    doc, problems = read_yaml(path)
    if problems:
        return None, problems
    return read_case(doc, path.parent, today=today)


def read_case(
    doc: YamlDocument, folder: Path, *, today: date | None = None
) -> tuple[Case | None, list[Problem]]:
    """Check a parsed case file; documents named by ``file`` are read from ``folder``.

    Every event is checked as an event added later would be (``bargaining.checks``);
    ``today``, from the caller's clock, bounds the dates.
    """
    shape = Shape(doc)
    top = shape.mapping(
        doc.data, (), required=("id", "title", "guild", "rules", "parties", "events"), optional=TOP
    )
    if top is None:
        return None, shape.problems
    reader = _CaseReader(shape, folder, today)
    case = reader.read(top)
    return (case if not shape.problems else None), shape.problems


class _CaseReader:
    def __init__(self, shape: Shape, folder: Path, today: date | None) -> None:
        self.shape = shape
        self.folder = folder
        self.today = today
        self.documents: dict[str, Document] = {}

    def read(self, top: dict[str, Any]) -> Case | None:
        s = self.shape
        case_id = s.identifier(top.get("id"), ("id",))
        title = s.text(top.get("title"), ("title",))
        guild = s.identifier(top.get("guild"), ("guild",))
        rules = s.identifier(top.get("rules"), ("rules",))
        settings = top.get("settings") or {}
        if not isinstance(settings, dict):
            s.fail(("settings",), "expected a mapping of rule settings")
            settings = {}
        for doc_entry in self._items(top, "documents"):
            self._document(*doc_entry)
        parties = tuple(p for p in (self._party(v, w) for v, w in self._items(top, "parties")) if p)
        bodies = tuple(b for b in (self._body(v, w) for v, w in self._items(top, "bodies")) if b)
        people = tuple(p for p in (self._person(v, w) for v, w in self._items(top, "people")) if p)
        agreements = tuple(
            a for a in (self._agreement(v, w) for v, w in self._items(top, "agreements")) if a
        )
        facts = tuple(f for f in (self._fact(v, w) for v, w in self._items(top, "facts")) if f)
        actors = {p.id for p in parties} | {b.id for b in bodies}
        self._unique([p.id for p in parties] + [b.id for b in bodies], ("parties",), "actor")
        events: list[Event] = []
        cited = dict(self.documents)
        for value, where in self._items(top, "events"):
            ids = {e.id: e.seq for e in events if e.id and e.seq is not None}
            event = read_event(
                s, value, where, guild=guild or "", actors=actors, documents=cited, event_ids=ids
            )
            if event is not None:
                event = replace(event, seq=len(events) + 1)
                check_against_log(s, where, event, events, today=self.today)
                events.append(event)
                cited.update((d.id, d) for d in event.documents)
        conflicts = tuple(
            c for c in (self._conflict(v, w) for v, w in self._items(top, "conflicts")) if c
        )
        if s.problems or None in (case_id, title, guild, rules):
            return None
        assert case_id and title and guild and rules
        return Case(
            id=case_id,
            title=title,
            guild=guild,
            rules=rules,
            settings=settings,
            parties=parties,
            bodies=bodies,
            people=people,
            agreements=agreements,
            facts=facts,
            documents=tuple(self.documents.values()),
            events=tuple(events),
            conflicts=conflicts,
            description=s.text(top.get("description"), ("description",), optional=True),
        )

    def _items(self, top: dict[str, Any], key: str) -> list[tuple[Any, PathKey]]:
        values = self.shape.sequence(top.get(key), (key,))
        return [(v, (key, i)) for i, v in enumerate(values)]

    def _unique(self, ids: list[str], path: PathKey, what: str) -> None:
        seen: set[str] = set()
        for item in ids:
            if item in seen:
                self.shape.fail(path, f"{what} {item!r} is defined twice")
            seen.add(item)

    def _document(self, value: Any, where: PathKey) -> None:
        s = self.shape
        entry = s.mapping(
            value,
            where,
            required=("id", "title"),
            optional=("publisher", "published_on", "published_note", "url", "file"),
        )
        if entry is None:
            return
        doc_id = s.text(entry.get("id"), (*where, "id"))
        title = s.text(entry.get("title"), (*where, "title"))
        text = None
        file_name = s.text(entry.get("file"), (*where, "file"), optional=True)
        if file_name is not None and not _inside(file_name):
            s.fail((*where, "file"), f"{file_name} is outside the case's folder")
        elif file_name is not None:
            text, unreadable = read_text(self.folder / file_name, limit=DOCUMENT_LIMIT)
            for problem in unreadable:
                s.fail((*where, "file"), f"cannot read {file_name}: {problem.what}",
                       hint=str(problem.where))  # fmt: skip
        if doc_id is None or title is None:
            return
        if doc_id in self.documents:
            s.fail((*where, "id"), f"document {doc_id!r} is listed twice")
        self.documents[doc_id] = Document(
            id=doc_id,
            title=title,
            publisher=s.text(entry.get("publisher"), (*where, "publisher"), optional=True),
            published_on=s.day(entry.get("published_on"), (*where, "published_on"), optional=True),
            published_note=s.text(
                entry.get("published_note"), (*where, "published_note"), optional=True
            ),
            url=check_address(
                s, s.text(entry.get("url"), (*where, "url"), optional=True), (*where, "url")
            ),
            text=text,
        )

    def _sources(self, entry: dict[str, Any], where: PathKey, *, required: bool = True) -> Any:
        return read_sources(
            self.shape, entry.get("sources"), (*where, "sources"), self.documents, required=required
        )

    def _party(self, value: Any, where: PathKey) -> Party | None:
        s = self.shape
        e = s.mapping(value, where, required=("id", "name", "role"), optional=("sources",))
        if e is None:
            return None
        pid, name, role = (
            s.identifier(e.get("id"), (*where, "id")),
            s.text(e.get("name"), (*where, "name")),
            s.identifier(e.get("role"), (*where, "role")),
        )
        sources = self._sources(e, where, required=False)
        return Party(pid, name, role, sources) if pid and name and role else None

    def _body(self, value: Any, where: PathKey) -> Body | None:
        s = self.shape
        e = s.mapping(
            value, where, required=("id", "party", "name"), optional=("powers", "size", "sources")
        )
        if e is None:
            return None
        bid = s.identifier(e.get("id"), (*where, "id"))
        party = s.identifier(e.get("party"), (*where, "party"))
        name = s.text(e.get("name"), (*where, "name"))
        powers = s.text(e.get("powers"), (*where, "powers"), optional=True)
        size = s.count(e.get("size"), (*where, "size"), optional=True)
        sources = self._sources(e, where, required=False)
        if not (bid and party and name):
            return None
        return Body(bid, party, name, powers, size, sources)

    def _person(self, value: Any, where: PathKey) -> Person | None:
        s = self.shape
        e = s.mapping(value, where, required=("id", "name", "party", "roles", "sources"))
        if e is None:
            return None
        pid = s.identifier(e.get("id"), (*where, "id"))
        name = s.text(e.get("name"), (*where, "name"))
        party = s.identifier(e.get("party"), (*where, "party"))
        roles = tuple(
            r
            for i, v in enumerate(s.sequence(e.get("roles"), (*where, "roles"), empty_ok=False))
            if (r := s.text(v, (*where, "roles", i)))
        )
        sources = self._sources(e, where)
        return Person(pid, name, party, roles, sources) if pid and name and party else None

    def _agreement(self, value: Any, where: PathKey) -> AgreementInPlay | None:
        s = self.shape
        e = s.mapping(value, where, required=("id", "role", "summary"), optional=("sources",))
        if e is None:
            return None
        aid = s.identifier(e.get("id"), (*where, "id"))
        role = s.identifier(e.get("role"), (*where, "role"))
        summary = s.text(e.get("summary"), (*where, "summary"))
        sources = self._sources(e, where, required=False)
        return AgreementInPlay(aid, role, summary, sources) if aid and role and summary else None

    def _fact(self, value: Any, where: PathKey) -> Fact | None:
        s = self.shape
        e = s.mapping(
            value, where, required=("id", "topic", "value", "sources"), optional=("unit",)
        )
        if e is None:
            return None
        fid = s.identifier(e.get("id"), (*where, "id"))
        topic = s.text(e.get("topic"), (*where, "topic"))
        raw = e.get("value")
        text = str(raw) if raw is not None and not isinstance(raw, dict | list) else None
        if text is None:
            s.fail((*where, "value"), "expected a single value")
        unit = s.text(e.get("unit"), (*where, "unit"), optional=True)
        sources = self._sources(e, where)
        return Fact(fid, topic, text, sources, unit) if fid and topic and text else None

    def _conflict(self, value: Any, where: PathKey) -> Conflict | None:
        s = self.shape
        e = s.mapping(
            value, where, required=("id", "topic", "readings"), optional=("note", "setting")
        )
        if e is None:
            return None
        readings: list[Reading] = []
        items = s.sequence(e.get("readings"), (*where, "readings"), empty_ok=False)
        for i, item in enumerate(items):
            at = (*where, "readings", i)
            r = s.mapping(item, at, required=("value", "sources"), optional=("note",))
            if r is None:
                continue
            text = s.text(
                str(r.get("value")) if r.get("value") is not None else None, (*at, "value")
            )
            note = s.text(r.get("note"), (*at, "note"), optional=True)
            sources = self._sources(r, at)
            if text:
                readings.append(Reading(text, sources, note))
        if len(items) < 2:
            s.fail((*where, "readings"), "a conflict needs at least two readings")
        cid = s.identifier(e.get("id"), (*where, "id"))
        topic = s.text(e.get("topic"), (*where, "topic"))
        note = s.text(e.get("note"), (*where, "note"), optional=True)
        setting = s.text(e.get("setting"), (*where, "setting"), optional=True)
        return Conflict(cid, topic, tuple(readings), note, setting) if cid and topic else None


def _inside(name: str) -> bool:
    """Whether ``name`` (a document's ``file``) is written as a path inside the case's folder:
    relative and never climbing out with ``..`` (a link the case's owner made is followed)."""
    normal = os.path.normpath(name)
    return not os.path.isabs(normal) and normal != ".." and not normal.startswith("../")
