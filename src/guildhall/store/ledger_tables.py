"""Tables of the ledger. Both are append-only: the database refuses UPDATE and DELETE."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, BigInteger, Date, DateTime, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from guildhall.store.base import Base


class LedgerSourceRow(Base):
    """Where entries came from: a costing run (agreement file, data set, parameters), a
    remittance file, a suspension file or a person's command."""

    __tablename__ = "ledger_sources"

    pk: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    key: Mapped[str] = mapped_column(String(200), unique=True)
    kind: Mapped[str] = mapped_column(String(32))
    description: Mapped[dict[str, Any]] = mapped_column(JSON)
    recorded_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    by: Mapped[str] = mapped_column(String(120))


class LedgerEntryRow(Base):
    __tablename__ = "ledger_entries"

    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    key: Mapped[str] = mapped_column(String(400), unique=True)
    kind: Mapped[str] = mapped_column(String(16), index=True)
    source_pk: Mapped[int] = mapped_column(
        ForeignKey("ledger_sources.pk", ondelete="RESTRICT"), index=True
    )
    reverses: Mapped[int | None] = mapped_column(
        ForeignKey("ledger_entries.seq", ondelete="RESTRICT"), unique=True
    )
    employer: Mapped[str] = mapped_column(String(200), index=True)
    agreement: Mapped[str | None] = mapped_column(String(120))
    production_id: Mapped[int | None] = mapped_column(BigInteger)
    performer_id: Mapped[int | None] = mapped_column(BigInteger)
    period_start: Mapped[date | None] = mapped_column(Date)
    payment_kind: Mapped[str | None] = mapped_column(String(64))
    amount_cents: Mapped[int] = mapped_column(BigInteger)
    due_on: Mapped[date | None] = mapped_column(Date)
    paid_on: Mapped[date | None] = mapped_column(Date)
    reference: Mapped[str | None] = mapped_column(String(200))
    claim_id: Mapped[str | None] = mapped_column(String(64), index=True)
    details: Mapped[dict[str, Any]] = mapped_column(JSON)
    note: Mapped[str | None] = mapped_column(Text)
    recorded_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    by: Mapped[str] = mapped_column(String(120))
