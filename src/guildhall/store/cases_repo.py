"""Saving and reading cases. Events are only ever appended; a case loaded again from a
changed file becomes a new version, and the earlier one stays readable."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from guildhall.bargaining.records import Case, Document, Event
from guildhall.bargaining.serialise import record_from_data, record_to_data, sources_from_data
from guildhall.core.errors import Conflict, NotFound
from guildhall.store.case_tables import (
    CaseRow,
    CaseVersionRow,
    EventDocumentRow,
    EventRow,
    EventSourceRow,
)


@dataclass(frozen=True)
class Loaded:
    """Who loaded a version of a case, when, and from which file."""

    version: int
    loaded_at: datetime
    loaded_by: str | None
    source_file: str | None
    source_sha256: str | None
    events: int
    in_force: bool


def case_exists(session: Session, case_id: str) -> bool:
    return session.get(CaseRow, case_id) is not None


def save_case(
    session: Session,
    case: Case,
    *,
    rules_text: str,
    source_file: str | None,
    source_sha256: str | None,
    at: datetime,
    by: str,
    replace: bool = False,
) -> int:
    """Store ``case`` as a new case (version 1) or, with ``replace``, as the next version of
    the case already stored, whose earlier versions stay as they were. Returns the version.

    The file's events are logged afresh for the new version, numbered on from the last
    event of the case, so that a log number names one logged event for good.
    """
    row = session.get(CaseRow, case.id, with_for_update=True)
    if row is not None and not replace:
        raise Conflict(f"case {case.id!r} is already in the store")
    if row is None and replace:
        raise NotFound(f"no case {case.id!r} in the store to replace")
    record = record_to_data(case)
    record["rules_text"] = rules_text
    meta = {
        "title": case.title,
        "guild": case.guild,
        "rules": case.rules,
        "description": case.description,
        "settings": dict(case.settings),
        "record": record,
        "source_file": source_file,
        "source_sha256": source_sha256,
        "loaded_at": at,
        "loaded_by": by,
    }
    if row is None:
        version = 1
        row = CaseRow(id=case.id, version=version, **meta)
        session.add(row)
    else:
        version = row.version + 1
        for key, value in {**meta, "version": version}.items():
            setattr(row, key, value)
    session.flush()
    session.add(CaseVersionRow(case_id=case.id, version=version, **meta))
    offset = _last_seq(session, case.id)
    for event in case.events:
        assert event.seq is not None
        moved = event.corrects + offset if event.corrects is not None else None
        _insert(session, case.id, event, seq=event.seq + offset, corrects=moved, at=at, by=by,
                version=version)  # fmt: skip
    return version


def _last_seq(session: Session, case_id: str) -> int:
    last = session.scalar(select(func.max(EventRow.seq)).where(EventRow.case_id == case_id))
    return int(last or 0)


def append_event(session: Session, case_id: str, event: Event, *, at: datetime, by: str) -> int:
    """Append one event at the end of the case's log (in force); returns its position."""
    row = _row(session, case_id)
    seq = _last_seq(session, case_id) + 1
    _insert(session, case_id, event, seq=seq, corrects=event.corrects, at=at, by=by,
            version=row.version)  # fmt: skip
    return seq


def next_seq(session: Session, case_id: str) -> int:
    return _last_seq(session, case_id) + 1


def _insert(
    session: Session,
    case_id: str,
    event: Event,
    *,
    seq: int,
    corrects: int | None,
    at: datetime,
    by: str,
    version: int,
) -> None:
    row = EventRow(
        case_id=case_id,
        seq=seq,
        event_id=event.id,
        date=event.date,
        kind=event.kind,
        union=event.union,
        summary=event.summary,
        certainty=event.certainty,
        assumption=event.assumption,
        by=event.by,
        parties=list(event.parties),
        details=dict(event.details),
        recorded_at=at,
        recorded_by=by,
        corrects_seq=corrects,
        version=version,
    )
    session.add(row)
    session.flush()
    for position, source in enumerate(event.sources):
        session.add(
            EventSourceRow(
                event_pk=row.pk,
                position=position,
                document=source.document,
                quote=source.quote,
                url=source.url,
            )
        )
    for position, d in enumerate(event.documents):
        session.add(
            EventDocumentRow(
                event_pk=row.pk,
                position=position,
                document_id=d.id,
                title=d.title,
                publisher=d.publisher,
                published_on=d.published_on,
                published_note=d.published_note,
                url=d.url,
                text=d.text or "",
            )
        )
    session.flush()


def list_cases(session: Session) -> list[tuple[str, str, int]]:
    """Each case's id, title and number of events in force (its current version's log)."""
    counts = (
        select(CaseRow.id, CaseRow.title, func.count(EventRow.pk))
        .outerjoin(
            EventRow, (EventRow.case_id == CaseRow.id) & (EventRow.version == CaseRow.version)
        )
        .group_by(CaseRow.id, CaseRow.title)
        .order_by(CaseRow.id)
    )
    return [(i, t, int(n)) for i, t, n in session.execute(counts)]


def load_case(session: Session, case_id: str, version: int | None = None) -> tuple[Case, str]:
    """The case (its version in force, or the one asked for) with its full log, and the text
    of its rules file as it was loaded."""
    row = _row(session, case_id)
    wanted = row.version if version is None else version
    v = session.scalar(
        select(CaseVersionRow).where(
            CaseVersionRow.case_id == case_id, CaseVersionRow.version == wanted
        )
    )
    if v is None:
        raise NotFound(f"case {case_id!r} has no version {wanted} (versions 1 to {row.version})")
    case = Case(
        id=row.id,
        title=v.title,
        guild=v.guild,
        rules=v.rules,
        settings=v.settings,
        description=v.description,
        events=_events(session, case_id, wanted),
        **record_from_data(v.record),
    )
    return case, str(v.record["rules_text"])


def versions(session: Session, case_id: str) -> list[Loaded]:
    """Every version of a case, oldest first."""
    row = _row(session, case_id)
    counts: dict[int, int] = {
        int(v): int(n)
        for v, n in session.execute(
            select(EventRow.version, func.count(EventRow.pk))
            .where(EventRow.case_id == case_id)
            .group_by(EventRow.version)
        )
    }
    rows = session.scalars(
        select(CaseVersionRow)
        .where(CaseVersionRow.case_id == case_id)
        .order_by(CaseVersionRow.version)
    )
    return [
        Loaded(
            v.version,
            v.loaded_at,
            v.loaded_by,
            v.source_file,
            v.source_sha256,
            int(counts.get(v.version, 0)),
            v.version == row.version,
        )
        for v in rows
    ]


def _events(session: Session, case_id: str, version: int) -> tuple[Event, ...]:
    rows = session.scalars(
        select(EventRow)
        .where(EventRow.case_id == case_id, EventRow.version == version)
        .order_by(EventRow.seq)
    ).all()
    sources: dict[int, list[dict[str, str | None]]] = {r.pk: [] for r in rows}
    documents: dict[int, list[Document]] = {r.pk: [] for r in rows}
    if rows:
        of_case = (EventRow.case_id == case_id) & (EventRow.version == version)
        query = (
            select(EventSourceRow)
            .join(EventRow, EventRow.pk == EventSourceRow.event_pk)
            .where(of_case)
            .order_by(EventSourceRow.event_pk, EventSourceRow.position)
        )
        for s in session.scalars(query):
            sources[s.event_pk].append({"document": s.document, "quote": s.quote, "url": s.url})
        docs = (
            select(EventDocumentRow)
            .join(EventRow, EventRow.pk == EventDocumentRow.event_pk)
            .where(of_case)
            .order_by(EventDocumentRow.event_pk, EventDocumentRow.position)
        )
        for d in session.scalars(docs):
            documents[d.event_pk].append(
                Document(
                    d.document_id,
                    d.title,
                    d.publisher,
                    d.published_on,
                    d.published_note,
                    d.url,
                    d.text,
                )
            )
    return tuple(
        Event(
            date=r.date,
            kind=r.kind,
            summary=r.summary,
            certainty=r.certainty,  # type: ignore[arg-type]
            sources=sources_from_data(sources[r.pk]),
            union=r.union,
            id=r.event_id,
            assumption=r.assumption,
            parties=tuple(r.parties),
            by=r.by,
            details=dict(r.details),
            seq=r.seq,
            corrects=r.corrects_seq,
            documents=tuple(documents[r.pk]),
            recorded_by=r.recorded_by,
            recorded_at=_utc(r.recorded_at),
        )
        for r in rows
    )


def _utc(at: datetime) -> datetime:
    """Times are stored in UTC; SQLite hands them back without their zone."""
    return at if at.tzinfo is not None else at.replace(tzinfo=UTC)


def lock_case(session: Session, case_id: str) -> None:
    """Hold the case row until the transaction ends, so appends to one log are serial."""
    _row(session, case_id, lock=True)


def _row(session: Session, case_id: str, *, lock: bool = False) -> CaseRow:
    row = session.get(CaseRow, case_id, with_for_update=lock)
    if row is None:
        raise NotFound(f"no case {case_id!r} in the store (guildhall case list shows the cases)")
    return row


def current_version(session: Session, case_id: str) -> int:
    return _row(session, case_id).version
