"""Reading and writing web accounts, sessions, sign-in links and sign-in failures."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import delete, func, select

from guildhall.store.account_tables import (
    AccountRow,
    SessionRow,
    SignInFailureRow,
    SignInLinkRow,
)
from guildhall.store.db import Session


def _aware(at: datetime) -> datetime:
    """SQLite hands back naive datetimes; every stored time is UTC."""
    return at if at.tzinfo is not None else at.replace(tzinfo=UTC)


def add_account(session: Session, row: AccountRow) -> AccountRow:
    session.add(row)
    session.flush()
    return row


def by_email(session: Session, email: str) -> AccountRow | None:
    return session.scalars(select(AccountRow).where(AccountRow.email == email)).first()


def by_member_id(session: Session, member_id: str) -> AccountRow | None:
    return session.scalars(select(AccountRow).where(AccountRow.member_id == member_id)).first()


def by_id(session: Session, account_id: int) -> AccountRow | None:
    return session.get(AccountRow, account_id)


def all_accounts(session: Session) -> list[AccountRow]:
    return list(session.scalars(select(AccountRow).order_by(AccountRow.id)))


def add_session(
    session: Session, token_sha256: str, account_id: int, at: datetime, expires_at: datetime
) -> None:
    session.add(
        SessionRow(
            token_sha256=token_sha256, account_id=account_id, created_at=at, expires_at=expires_at
        )
    )


def session_account(session: Session, token_sha256: str, now: datetime) -> AccountRow | None:
    """The account a session token belongs to, if the session exists and has not expired."""
    row = session.get(SessionRow, token_sha256)
    if row is None or _aware(row.expires_at) <= now:
        return None
    return session.get(AccountRow, row.account_id)


def end_session(session: Session, token_sha256: str) -> None:
    session.execute(delete(SessionRow).where(SessionRow.token_sha256 == token_sha256))


def add_link(session: Session, token_sha256: str, account_id: int, expires_at: datetime) -> None:
    session.add(
        SignInLinkRow(token_sha256=token_sha256, account_id=account_id, expires_at=expires_at)
    )


def take_link(session: Session, token_sha256: str, now: datetime) -> int | None:
    """The account a one-time link signs in, once: the link is deleted as it is used."""
    row = session.get(SignInLinkRow, token_sha256, with_for_update=True)
    if row is None:
        return None
    session.delete(row)
    return row.account_id if _aware(row.expires_at) > now else None


def count_failures(session: Session, key_sha256: str, since: datetime) -> int:
    query = select(func.count()).where(
        SignInFailureRow.key_sha256 == key_sha256, SignInFailureRow.at > since
    )
    return int(session.scalar(query) or 0)


def add_failure(session: Session, key_sha256: str, at: datetime) -> None:
    session.add(SignInFailureRow(key_sha256=key_sha256, at=at))


def clear_failures(session: Session, key_sha256: str) -> None:
    session.execute(delete(SignInFailureRow).where(SignInFailureRow.key_sha256 == key_sha256))
