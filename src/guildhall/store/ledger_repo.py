"""Saving and reading the ledger's journal. Entries are only ever appended; an entry whose
idempotency key is already in the journal is not added again."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from guildhall.ledger.records import Entry
from guildhall.store.ledger_tables import LedgerEntryRow, LedgerSourceRow

_CHUNK = 500


def source_pk(
    session: Session, key: str, kind: str, description: dict[str, Any], *, at: datetime, by: str
) -> int:
    """The source named ``key``, recorded on first use."""
    found = session.scalar(select(LedgerSourceRow.pk).where(LedgerSourceRow.key == key))
    if found is not None:
        return int(found)
    row = LedgerSourceRow(key=key, kind=kind, description=description, recorded_at=at, by=by)
    session.add(row)
    session.flush()
    return int(row.pk)


def source_descriptions(session: Session) -> dict[str, dict[str, Any]]:
    rows = session.execute(select(LedgerSourceRow.key, LedgerSourceRow.description))
    return {key: dict(description) for key, description in rows}


def existing_keys(session: Session, keys: Iterable[str]) -> set[str]:
    """Which of ``keys`` the journal holds already."""
    wanted = list(dict.fromkeys(keys))
    found: set[str] = set()
    for i in range(0, len(wanted), _CHUNK):
        chunk = wanted[i : i + _CHUNK]
        found.update(
            session.scalars(select(LedgerEntryRow.key).where(LedgerEntryRow.key.in_(chunk)))
        )
    return found


def append(session: Session, entries: Sequence[Entry], source: int) -> list[int]:
    """Append ``entries`` (their ``seq`` is ignored; the journal numbers them) whose keys
    are new; returns the numbers given, in order. Keys already present are skipped."""
    present = existing_keys(session, (e.key for e in entries))
    fresh = [e for e in entries if e.key not in present]
    if len(fresh) <= _CHUNK:
        rows = [_row(e, source) for e in fresh]
        session.add_all(rows)
        session.flush()
        return [int(r.seq) for r in rows]
    for i in range(0, len(fresh), _CHUNK):
        chunk = fresh[i : i + _CHUNK]
        session.execute(insert(LedgerEntryRow), [_values(e, source) for e in chunk])
    keys = {e.key for e in fresh}
    numbered = session.execute(
        select(LedgerEntryRow.key, LedgerEntryRow.seq).where(LedgerEntryRow.source_pk == source)
    )
    seqs = {key: int(seq) for key, seq in numbered if key in keys}
    return [seqs[e.key] for e in fresh]


def _row(entry: Entry, source: int) -> LedgerEntryRow:
    return LedgerEntryRow(**_values(entry, source))


def _values(entry: Entry, source: int) -> dict[str, Any]:
    return dict(
        key=entry.key,
        kind=entry.kind,
        source_pk=source,
        reverses=entry.reverses,
        employer=entry.employer,
        agreement=entry.agreement,
        production_id=entry.production_id,
        performer_id=entry.performer_id,
        period_start=entry.period_start,
        payment_kind=entry.payment_kind,
        amount_cents=entry.amount_cents,
        due_on=entry.due_on,
        paid_on=entry.paid_on,
        reference=entry.reference,
        claim_id=entry.claim_id,
        details=dict(entry.details),
        note=entry.details.get("note"),
        recorded_at=entry.recorded_at,
        by=entry.by,
    )


def entries(
    session: Session,
    *,
    kind: str | None = None,
    employer: str | None = None,
    claim_id: str | None = None,
    seq: int | None = None,
) -> list[Entry]:
    """Entries in journal order, optionally of one kind, employer or claim."""
    query = select(LedgerEntryRow, LedgerSourceRow.key).join(
        LedgerSourceRow, LedgerSourceRow.pk == LedgerEntryRow.source_pk
    )
    if kind is not None:
        query = query.where(LedgerEntryRow.kind == kind)
    if employer is not None:
        query = query.where(LedgerEntryRow.employer == employer)
    if claim_id is not None:
        query = query.where(LedgerEntryRow.claim_id == claim_id)
    if seq is not None:
        query = query.where(LedgerEntryRow.seq == seq)
    return [
        _entry(row, source) for row, source in session.execute(query.order_by(LedgerEntryRow.seq))
    ]


def claim_ids(session: Session) -> list[str]:
    query = (
        select(LedgerEntryRow.claim_id)
        .where(LedgerEntryRow.claim_id.is_not(None))
        .distinct()
        .order_by(LedgerEntryRow.claim_id)
    )
    return [c for c in session.scalars(query) if c is not None]


def _entry(row: LedgerEntryRow, source: str) -> Entry:
    return Entry(
        seq=row.seq,
        key=row.key,
        kind=row.kind,
        employer=row.employer,
        production_id=row.production_id,
        performer_id=row.performer_id,
        period_start=row.period_start,
        payment_kind=row.payment_kind,
        amount_cents=int(row.amount_cents),
        recorded_at=row.recorded_at,
        by=row.by,
        source=source,
        agreement=row.agreement,
        due_on=row.due_on,
        paid_on=row.paid_on,
        reference=row.reference,
        claim_id=row.claim_id,
        reverses=row.reverses,
        details=dict(row.details),
    )
