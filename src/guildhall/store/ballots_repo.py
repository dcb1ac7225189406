"""Reading and writing member votes in the store."""

from __future__ import annotations

from datetime import UTC, datetime
from fractions import Fraction

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from guildhall.ballots.board import Entry, after
from guildhall.ballots.election import Election
from guildhall.core.errors import NotFound
from guildhall.core.thresholds import Threshold
from guildhall.store.ballot_tables import BoardRow, ElectionRow, LogRow


def aware(at: datetime | None) -> datetime | None:
    """SQLite gives back naive times; every time stored is UTC."""
    if at is None or at.tzinfo is not None:
        return at
    return at.replace(tzinfo=UTC)


def row(session: Session, election_id: str, *, lock: bool = False) -> ElectionRow:
    query = select(ElectionRow).where(ElectionRow.id == election_id)
    if lock:
        query = query.with_for_update()
    found = session.scalars(query).one_or_none()
    if found is None:
        raise NotFound(f"no election {election_id!r}")
    return found


def election(r: ElectionRow) -> Election:
    def at(value: datetime | None) -> datetime | None:
        return aware(value)

    return Election(
        id=r.id, case_id=r.case_id, question=r.question, text=r.text, options=tuple(r.options),
        allow_blank=r.allow_blank,
        threshold=Threshold(Fraction(r.threshold), r.comparison),  # type: ignore[arg-type]
        max_window_days=r.max_window_days, opens_at=aware(r.opens_at) or r.opens_at,
        closes_at=aware(r.closes_at) or r.closes_at, trustees_n=r.trustees_n,
        trustees_k=r.trustees_k, eligible=r.eligible, credentials_issued=r.credentials_issued,
        created_at=aware(r.created_at) or r.created_at, frozen_at=at(r.frozen_at),
        opened_at=at(r.opened_at), closed_at=at(r.closed_at), tallied_at=at(r.tallied_at),
        certified_at=at(r.certified_at),
    )  # fmt: skip


def last_entry(session: Session, election_id: str) -> Entry | None:
    import json

    found = session.scalars(
        select(BoardRow).where(BoardRow.election_id == election_id).order_by(BoardRow.seq.desc())
        .limit(1)
    ).one_or_none()  # fmt: skip
    if found is None:
        return None
    data = json.loads(found.line)
    return Entry(data["seq"], data["prev"], data["kind"], data["body"], data["hash"])


def append(session: Session, election_id: str, kind: str, body: dict[str, object]) -> Entry:
    """Put one entry on the board; the caller holds the election's row lock."""
    entry = after(last_entry(session, election_id), kind, body)
    session.add(BoardRow(election_id=election_id, seq=entry.seq, kind=kind, hash=entry.hash,
                         line=entry.line()))  # fmt: skip
    session.flush()
    return entry


def board_lines(session: Session, election_id: str) -> list[str]:
    return list(
        session.scalars(
            select(BoardRow.line).where(BoardRow.election_id == election_id)
            .order_by(BoardRow.seq)
        )
    )  # fmt: skip


def entries_of(session: Session, election_id: str, kind: str) -> list[str]:
    return list(
        session.scalars(
            select(BoardRow.line).where(BoardRow.election_id == election_id, BoardRow.kind == kind)
            .order_by(BoardRow.seq)
        )
    )  # fmt: skip


def log(session: Session, election_id: str, kind: str, at: datetime, **detail: object) -> None:
    session.add(LogRow(election_id=election_id, kind=kind, at=at, detail=detail))


def count(session: Session, table: type[object], election_id: str) -> int:
    column = table.election_id  # type: ignore[attr-defined]
    return int(session.scalar(select(func.count()).where(column == election_id)) or 0)
