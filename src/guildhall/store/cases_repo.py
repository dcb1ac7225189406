"""Saving and reading cases. Events are only ever appended."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from guildhall.bargaining.records import Case, Event
from guildhall.bargaining.serialise import record_from_data, record_to_data, sources_from_data
from guildhall.core.errors import Conflict, NotFound
from guildhall.store.case_tables import CaseRow, EventRow, EventSourceRow


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
) -> None:
    """Insert a new case and its whole log; a case of the same id is a ``Conflict``."""
    if case_exists(session, case.id):
        raise Conflict(f"case {case.id!r} is already in the store")
    record = record_to_data(case)
    record["rules_text"] = rules_text
    session.add(
        CaseRow(
            id=case.id,
            title=case.title,
            guild=case.guild,
            rules=case.rules,
            description=case.description,
            settings=dict(case.settings),
            record=record,
            source_file=source_file,
            source_sha256=source_sha256,
            loaded_at=at,
        )
    )
    session.flush()
    for event in case.events:
        append_event(session, case.id, event, at=at)


def append_event(session: Session, case_id: str, event: Event, *, at: datetime) -> int:
    """Append one event at the end of the case's log; returns its position."""
    last = session.scalar(select(func.max(EventRow.seq)).where(EventRow.case_id == case_id))
    seq = (last or 0) + 1
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
    session.flush()
    return seq


def list_cases(session: Session) -> list[tuple[str, str, int]]:
    """Each case's id, title and number of events."""
    counts = (
        select(CaseRow.id, CaseRow.title, func.count(EventRow.pk))
        .outerjoin(EventRow, EventRow.case_id == CaseRow.id)
        .group_by(CaseRow.id, CaseRow.title)
        .order_by(CaseRow.id)
    )
    return [(i, t, int(n)) for i, t, n in session.execute(counts)]


def load_case(session: Session, case_id: str) -> tuple[Case, str]:
    """The case with its full log, and the text of its rules file."""
    row = _row(session, case_id)
    events = _events(session, case_id)
    case = Case(
        id=row.id,
        title=row.title,
        guild=row.guild,
        rules=row.rules,
        settings=row.settings,
        description=row.description,
        events=events,
        **record_from_data(row.record),
    )
    return case, str(row.record["rules_text"])


def _events(session: Session, case_id: str) -> tuple[Event, ...]:
    rows = session.scalars(
        select(EventRow).where(EventRow.case_id == case_id).order_by(EventRow.seq)
    ).all()
    sources: dict[int, list[dict[str, str | None]]] = {r.pk: [] for r in rows}
    if rows:
        query = (
            select(EventSourceRow)
            .join(EventRow, EventRow.pk == EventSourceRow.event_pk)
            .where(EventRow.case_id == case_id)
            .order_by(EventSourceRow.event_pk, EventSourceRow.position)
        )
        for s in session.scalars(query):
            sources[s.event_pk].append({"document": s.document, "quote": s.quote, "url": s.url})
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
        )
        for r in rows
    )


def lock_case(session: Session, case_id: str) -> None:
    """Hold the case row until the transaction ends, so appends to one log are serial."""
    _row(session, case_id, lock=True)


def _row(session: Session, case_id: str, *, lock: bool = False) -> CaseRow:
    row = session.get(CaseRow, case_id, with_for_update=lock)
    if row is None:
        raise NotFound(f"no case {case_id!r} in the store (guildhall case list shows the cases)")
    return row
