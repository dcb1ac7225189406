"""Tables of the case record. The event log, its sources and documents, and the versions of
a case are append-only: rows are inserted, never changed (triggers refuse it).

A case is loaded from a file as a *version*; loading a changed file with ``--replace`` adds
the next version (its events are logged afresh, numbered on from the last) and the earlier
version stays readable. ``cases`` says which version is in force.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, Date, DateTime, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from guildhall.store.base import Base


class CaseRow(Base):
    __tablename__ = "cases"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    title: Mapped[str] = mapped_column(String(300))
    guild: Mapped[str] = mapped_column(String(64))
    rules: Mapped[str] = mapped_column(String(300))
    description: Mapped[str | None] = mapped_column(Text)
    settings: Mapped[dict[str, Any]] = mapped_column(JSON)
    record: Mapped[dict[str, Any]] = mapped_column(JSON)
    source_file: Mapped[str | None] = mapped_column(String(500))
    source_sha256: Mapped[str | None] = mapped_column(String(64))
    loaded_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    version: Mapped[int] = mapped_column(Integer, server_default="1")
    loaded_by: Mapped[str | None] = mapped_column(String(200))


class CaseVersionRow(Base):
    """Each version of a case as it was loaded: the record apart from its events."""

    __tablename__ = "case_versions"
    __table_args__ = (UniqueConstraint("case_id", "version"),)

    pk: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    case_id: Mapped[str] = mapped_column(ForeignKey("cases.id", ondelete="RESTRICT"), index=True)
    version: Mapped[int] = mapped_column(Integer)
    title: Mapped[str] = mapped_column(String(300))
    guild: Mapped[str] = mapped_column(String(64))
    rules: Mapped[str] = mapped_column(String(300))
    description: Mapped[str | None] = mapped_column(Text)
    settings: Mapped[dict[str, Any]] = mapped_column(JSON)
    record: Mapped[dict[str, Any]] = mapped_column(JSON)
    source_file: Mapped[str | None] = mapped_column(String(500))
    source_sha256: Mapped[str | None] = mapped_column(String(64))
    loaded_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    loaded_by: Mapped[str | None] = mapped_column(String(200))


class EventRow(Base):
    __tablename__ = "case_events"
    __table_args__ = (UniqueConstraint("case_id", "seq"),)

    pk: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    case_id: Mapped[str] = mapped_column(ForeignKey("cases.id", ondelete="RESTRICT"), index=True)
    seq: Mapped[int] = mapped_column(Integer)
    event_id: Mapped[str | None] = mapped_column(String(120))
    date: Mapped[date] = mapped_column(Date)
    kind: Mapped[str] = mapped_column(String(64))
    union: Mapped[str] = mapped_column(String(64))
    summary: Mapped[str] = mapped_column(Text)
    certainty: Mapped[str] = mapped_column(String(16))
    assumption: Mapped[str | None] = mapped_column(Text)
    by: Mapped[str | None] = mapped_column(String(64))
    parties: Mapped[list[str]] = mapped_column(JSON)
    details: Mapped[dict[str, Any]] = mapped_column(JSON)
    recorded_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    recorded_by: Mapped[str | None] = mapped_column(String(200))
    corrects_seq: Mapped[int | None] = mapped_column(Integer)
    version: Mapped[int] = mapped_column(Integer, server_default="1")


class EventSourceRow(Base):
    __tablename__ = "case_event_sources"

    pk: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    event_pk: Mapped[int] = mapped_column(
        ForeignKey("case_events.pk", ondelete="RESTRICT"), index=True
    )
    position: Mapped[int] = mapped_column(Integer)
    document: Mapped[str] = mapped_column(String(200))
    quote: Mapped[str] = mapped_column(Text)
    url: Mapped[str | None] = mapped_column(String(1000))


class EventDocumentRow(Base):
    """A source document an event brought into the record, with its text."""

    __tablename__ = "case_event_documents"

    pk: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    event_pk: Mapped[int] = mapped_column(
        ForeignKey("case_events.pk", ondelete="RESTRICT"), index=True
    )
    position: Mapped[int] = mapped_column(Integer)
    document_id: Mapped[str] = mapped_column(String(200))
    title: Mapped[str] = mapped_column(String(300))
    publisher: Mapped[str | None] = mapped_column(String(300))
    published_on: Mapped[date | None] = mapped_column(Date)
    published_note: Mapped[str | None] = mapped_column(Text)
    url: Mapped[str | None] = mapped_column(String(1000))
    text: Mapped[str] = mapped_column(Text)
