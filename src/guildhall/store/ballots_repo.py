"""Reading and writing member votes in the store."""

from __future__ import annotations

from datetime import UTC, datetime
from fractions import Fraction

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from guildhall.ballots.board import Entry, after
from guildhall.ballots.election import Election
from guildhall.ballots.errors import AlreadyVoted, BallotRejected
from guildhall.core.errors import NotFound
from guildhall.core.thresholds import Threshold
from guildhall.store.ballot_tables import (
    BallotRow,
    BoardRow,
    CredentialRow,
    ElectionRow,
    LogRow,
    RollRow,
    SpoiledRow,
)


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


def exists(session: Session, election_id: str) -> bool:
    return session.get(ElectionRow, election_id) is not None


def elections(session: Session, election_id: str | None = None) -> list[tuple[str, str]]:
    """(id, question text) of every election, newest first, or of the one named."""
    query = select(ElectionRow.id, ElectionRow.text)
    if election_id is not None:
        query = query.where(ElectionRow.id == election_id)
    rows = session.execute(query.order_by(ElectionRow.created_at.desc(), ElectionRow.id))
    return [(str(i), str(t)) for i, t in rows]


def add_roll(session: Session, election_id: str, member_ids: list[str]) -> None:
    session.add_all(RollRow(election_id=election_id, member_id=m) for m in member_ids)


def roll(session: Session, election_id: str) -> list[RollRow]:
    """The members on the roll, in member-id order."""
    query = select(RollRow).where(RollRow.election_id == election_id).order_by(RollRow.member_id)
    return list(session.scalars(query))


def add_credentials(session: Session, election_id: str, public_keys: list[str]) -> None:
    session.add_all(CredentialRow(election_id=election_id, public_key=k) for k in public_keys)


def has_credential(session: Session, election_id: str, public_key: str) -> bool:
    query = select(CredentialRow.pk).where(
        CredentialRow.election_id == election_id, CredentialRow.public_key == public_key
    )
    return session.scalars(query).first() is not None


def add_ballot(
    session: Session,
    election_id: str,
    *,
    credential: str,
    ciphertext: str,
    tracker: str,
    board_seq: int,
) -> None:
    """Store a cast ballot; the database refuses a second ballot on a credential or a replay."""
    try:
        session.add(
            BallotRow(
                election_id=election_id,
                credential=credential,
                ciphertext=ciphertext,
                tracker=tracker,
                board_seq=board_seq,
            )
        )
        session.flush()
    except IntegrityError as exc:
        if "no_replay" in str(exc.orig):
            raise BallotRejected.because("this ciphertext was cast already (replay)") from None
        raise AlreadyVoted("this credential has cast its ballot already") from None


def tracker_seq(session: Session, election_id: str, tracker: str) -> int | None:
    """The board position of the ballot with this tracker, if it is on the board."""
    query = select(BallotRow.board_seq).where(
        BallotRow.election_id == election_id, BallotRow.tracker == tracker
    )
    return session.scalars(query).first()


def add_spoiled(session: Session, election_id: str, *, ciphertext: str, board_seq: int) -> None:
    """Record an audited ballot as spoiled; the database refuses one spoiled twice."""
    try:
        session.add(SpoiledRow(election_id=election_id, ciphertext=ciphertext,
                               board_seq=board_seq))  # fmt: skip
        session.flush()
    except IntegrityError:
        raise BallotRejected.because("this ballot was published as spoiled already") from None


def spoiled_seq(session: Session, election_id: str, ciphertext: str) -> int | None:
    """The board position of the spoiled ballot with this ciphertext, if there is one."""
    query = select(SpoiledRow.board_seq).where(
        SpoiledRow.election_id == election_id, SpoiledRow.ciphertext == ciphertext
    )
    return session.scalars(query).first()


def cast_seq(session: Session, election_id: str, ciphertext: str) -> int | None:
    """The board position of the cast ballot with this ciphertext, if there is one."""
    query = select(BallotRow.board_seq).where(
        BallotRow.election_id == election_id, BallotRow.ciphertext == ciphertext
    )
    return session.scalars(query).first()
