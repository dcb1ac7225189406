"""Tables of member votes. Eligibility and one-ballot-per-credential are constraints here.

- ``ballot_ballots`` references ``ballot_credentials`` (a ballot needs a published
  credential) and is unique on (election, credential): a second ballot with the same
  credential is refused by the database, also when two arrive at once.
- ``ballot_board`` and ``ballot_ballots`` are append-only (triggers in the migration).
- ``ballot_spoiled`` holds the ciphertexts of audited ballots: ``cast`` refuses them.
- The roll holds member ids and whether a credential was issued, never which one.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    DateTime,
    ForeignKey,
    ForeignKeyConstraint,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from guildhall.store.base import Base


class ElectionRow(Base):
    __tablename__ = "ballot_elections"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    case_id: Mapped[str | None] = mapped_column(String(64))
    question: Mapped[str] = mapped_column(String(32))
    text: Mapped[str] = mapped_column(Text)
    options: Mapped[list[str]] = mapped_column(JSON)
    allow_blank: Mapped[bool] = mapped_column(Boolean)
    threshold: Mapped[str] = mapped_column(String(32))
    comparison: Mapped[str] = mapped_column(String(16))
    max_window_days: Mapped[int] = mapped_column(Integer)
    opens_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    closes_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    trustees_n: Mapped[int] = mapped_column(Integer)
    trustees_k: Mapped[int] = mapped_column(Integer)
    trustees: Mapped[dict[str, Any]] = mapped_column(JSON)
    public_key: Mapped[str] = mapped_column(String(66))
    motion: Mapped[str] = mapped_column(String(64), default="yes")
    rules_sha256: Mapped[str | None] = mapped_column(String(64))
    authority_key: Mapped[str] = mapped_column(String(64), default="")
    board_key: Mapped[str] = mapped_column(String(64), default="")
    election_hash: Mapped[str | None] = mapped_column(String(64))
    record_date: Mapped[date | None] = mapped_column(Date)
    eligible: Mapped[int] = mapped_column(Integer, default=0)
    credentials_issued: Mapped[int] = mapped_column(Integer, default=0)
    ballots_cast: Mapped[int] = mapped_column(Integer, default=0)
    result: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    frozen_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    opened_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    closed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    tallied_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    certified_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class RollRow(Base):
    __tablename__ = "ballot_roll"
    __table_args__ = (UniqueConstraint("election_id", "member_id"),)

    pk: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    election_id: Mapped[str] = mapped_column(ForeignKey("ballot_elections.id"), index=True)
    member_id: Mapped[str] = mapped_column(String(64))
    credential_issued_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class CredentialRow(Base):
    __tablename__ = "ballot_credentials"
    __table_args__ = (UniqueConstraint("election_id", "public_key"),)

    pk: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    election_id: Mapped[str] = mapped_column(ForeignKey("ballot_elections.id"), index=True)
    public_key: Mapped[str] = mapped_column(String(64))


class BallotRow(Base):
    __tablename__ = "ballot_ballots"
    __table_args__ = (
        UniqueConstraint("election_id", "credential", name="uq_ballot_ballots_one_per_credential"),
        UniqueConstraint("election_id", "ciphertext", name="uq_ballot_ballots_no_replay"),
        ForeignKeyConstraint(
            ["election_id", "credential"],
            ["ballot_credentials.election_id", "ballot_credentials.public_key"],
            name="fk_ballot_ballots_eligible_credential",
        ),
    )

    pk: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    election_id: Mapped[str] = mapped_column(ForeignKey("ballot_elections.id"), index=True)
    credential: Mapped[str] = mapped_column(String(64))
    ciphertext: Mapped[str] = mapped_column(String(132))
    tracker: Mapped[str] = mapped_column(String(64), index=True)
    board_seq: Mapped[int] = mapped_column(Integer)


class SpoiledRow(Base):
    """An audited ballot, published as spoiled: it can never be cast."""

    __tablename__ = "ballot_spoiled"
    __table_args__ = (UniqueConstraint("election_id", "ciphertext", name="uq_ballot_spoiled"),)

    pk: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    election_id: Mapped[str] = mapped_column(ForeignKey("ballot_elections.id"), index=True)
    ciphertext: Mapped[str] = mapped_column(String(132))
    board_seq: Mapped[int] = mapped_column(Integer)


class BoardRow(Base):
    __tablename__ = "ballot_board"
    __table_args__ = (UniqueConstraint("election_id", "seq"),)

    pk: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    election_id: Mapped[str] = mapped_column(ForeignKey("ballot_elections.id"), index=True)
    seq: Mapped[int] = mapped_column(Integer)
    kind: Mapped[str] = mapped_column(String(16))
    hash: Mapped[str] = mapped_column(String(64))
    line: Mapped[str] = mapped_column(Text)


class LogRow(Base):
    """The election's private log: steps that do not belong on the public board."""

    __tablename__ = "ballot_log"

    pk: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    election_id: Mapped[str] = mapped_column(ForeignKey("ballot_elections.id"), index=True)
    kind: Mapped[str] = mapped_column(String(32))
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    detail: Mapped[dict[str, Any]] = mapped_column(JSON)
