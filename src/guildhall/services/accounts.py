"""Web accounts: adding people, signing in by password or one-time link, sessions.

- Passwords are hashed with argon2id (``argon2-cffi``). An unknown address costs the same
  hash as a known one, so the time a refusal takes does not say whether an account exists.
- Failed sign-ins are counted per address and per client; past the limit, sign-in is
  refused for a while (``TooManyAttempts``) whether or not the password is right.
- Session and link tokens are random; the store keeps only their SHA-256 digests.
"""

from __future__ import annotations

import csv
import hashlib
import io
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from guildhall.core.clock import Clock, SystemClock
from guildhall.core.errors import Conflict, InvalidInput, NotFound, TooManyAttempts
from guildhall.core.problems import Location, Problem
from guildhall.files.csv_table import parse_csv
from guildhall.files.reading import CSV_LIMIT, read_text
from guildhall.services.mailer import Mailer
from guildhall.store import accounts_repo as repo
from guildhall.store.account_tables import AccountRow
from guildhall.store.db import store_for

if TYPE_CHECKING:
    from argon2 import PasswordHasher

ROLES = (
    "member",
    "staff",
    "negotiating_committee",
    "national_board",
    "mediator",
    "trustee",
    "admin",
)
ROLE_NAMES = {
    "member": "Member",
    "staff": "Staff",
    "negotiating_committee": "Negotiating committee",
    "national_board": "National board",
    "mediator": "Mediator",
    "trustee": "Trustee",
    "admin": "Administrator",
}
MIN_PASSWORD = 12
SESSION_LIFETIME = timedelta(hours=12)
LINK_LIFETIME = timedelta(minutes=15)
FAILURE_WINDOW = timedelta(minutes=15)
MAX_FAILURES_PER_ACCOUNT = 5
MAX_FAILURES_PER_CLIENT = 30


@dataclass(frozen=True)
class Account:
    id: int
    email: str
    name: str
    role: str
    member_id: str | None

    @property
    def role_name(self) -> str:
        return ROLE_NAMES[self.role]


@dataclass(frozen=True)
class SignedIn:
    """A new session: the account and the token its cookie carries (shown once)."""

    account: Account
    token: str


def _account(row: AccountRow) -> Account:
    return Account(row.id, row.email, row.name, row.role, row.member_id)


@cache
def _hasher() -> PasswordHasher:
    from argon2 import PasswordHasher

    return PasswordHasher()


@cache
def _unknown_account_hash() -> str:
    """A hash of a random password, checked for addresses that have no account."""
    return _hasher().hash(secrets.token_urlsafe(24))


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def normalise_email(email: str, field: str = "email") -> str:
    address = email.strip().lower()
    local, at, domain = address.partition("@")
    if not at or not local or "." not in domain or any(c.isspace() for c in address):
        raise InvalidInput([Problem(Location(field=field), f"{email!r} is not an email address")])
    if len(address) > 320:
        raise InvalidInput([Problem(Location(field=field), "an email address is at most 320")])
    return address


def _check_password(password: str) -> None:
    if len(password) < MIN_PASSWORD:
        raise InvalidInput(
            [
                Problem(
                    Location(field="password"),
                    f"a password needs at least {MIN_PASSWORD} characters",
                )
            ]
        )


def add_user(
    database_url: str,
    email: str,
    role: str,
    *,
    name: str | None = None,
    member_id: str | None = None,
    password: str | None = None,
    clock: Clock | None = None,
) -> Account:
    """Add one account; ``Conflict`` if the address or member id has one already."""
    address = normalise_email(email)
    if role not in ROLES:
        raise InvalidInput(
            [Problem(Location(field="role"), f"{role!r} is not one of {', '.join(ROLES)}")]
        )
    if password is not None:
        _check_password(password)
    hashed = _hasher().hash(password) if password is not None else None
    with store_for(database_url).session() as session:
        if repo.by_email(session, address) is not None:
            raise Conflict(f"an account for {address} exists already")
        if member_id is not None and repo.by_member_id(session, member_id) is not None:
            raise Conflict(f"member {member_id} has an account already")
        row = AccountRow(
            email=address,
            name=name or address,
            role=role,
            member_id=member_id,
            password_hash=hashed,
            created_at=(clock or SystemClock()).now(),
        )
        return _account(repo.add_account(session, row))


ROLL_COLUMNS = ("member_id", "email")


def add_members_from_roll(
    database_url: str, path: Path, *, clock: Clock | None = None
) -> tuple[int, int]:
    """A member account for each row of a roll file with an ``email`` column, signing in by
    one-time link; returns (added, already there). Every problem names its row; on any
    problem nothing is added."""
    text, unreadable = read_text(path, limit=CSV_LIMIT)
    if text is None:
        raise InvalidInput(unreadable)
    first = next(csv.reader(io.StringIO(text.split("\n", 1)[0].lstrip("\ufeff"))), [])
    # A roll may carry other columns (standing, paid_through for the ballots' roll).
    table, problems = parse_csv(
        text, str(path), required=ROLL_COLUMNS, optional=[c.strip() for c in first]
    )
    if table is None:
        raise InvalidInput(problems)
    rows: list[tuple[str, str, str]] = []
    seen: dict[str, int] = {}
    for record in table.rows:
        number, row = record.row, record.values
        member_id = (row.get("member_id") or "").strip()
        if not member_id or len(member_id) > 64:
            problems.append(
                Problem(
                    record.where(str(path), "member_id"),
                    "member_id is empty or longer than 64 characters",
                )
            )
            continue
        try:
            address = normalise_email(row.get("email") or "")
        except InvalidInput as exc:
            problems += [Problem(record.where(str(path), "email"), p.what) for p in exc.problems]
            continue
        if address in seen:
            problems.append(
                Problem(
                    record.where(str(path), "email"),
                    f"{address} is already on row {seen[address]}",
                )
            )
            continue
        seen[address] = number
        name = (row.get("name") or "").strip() or f"Member {member_id}"
        rows.append((member_id, address, name))
    if problems:
        raise InvalidInput(problems)
    now = (clock or SystemClock()).now()
    added = existing = 0
    with store_for(database_url).session() as session:
        for member_id, address, name in rows:
            known = repo.by_member_id(session, member_id)
            if known is not None or repo.by_email(session, address) is not None:
                if known is None or known.email != address:
                    raise Conflict(
                        f"{path}: {address} or member {member_id} belongs to another account"
                    )
                existing += 1
                continue
            repo.add_account(
                session,
                AccountRow(
                    email=address,
                    name=name,
                    role="member",
                    member_id=member_id,
                    password_hash=None,
                    created_at=now,
                ),
            )
            added += 1
    return added, existing


def list_users(database_url: str) -> list[Account]:
    with store_for(database_url).session() as session:
        return [_account(r) for r in repo.all_accounts(session)]


def _limit_keys(address: str, client: str) -> tuple[str, str]:
    return _digest("account:" + address), _digest("client:" + client)


def _refuse_if_limited(database_url: str, address: str, client: str, now: datetime) -> None:
    account_key, client_key = _limit_keys(address, client)
    since = now - FAILURE_WINDOW
    with store_for(database_url).session() as session:
        too_many = (
            repo.count_failures(session, account_key, since) >= MAX_FAILURES_PER_ACCOUNT
            or repo.count_failures(session, client_key, since) >= MAX_FAILURES_PER_CLIENT
        )
    if too_many:
        raise TooManyAttempts(
            "too many failed sign-ins; try again later or ask for a sign-in link",
            int(FAILURE_WINDOW.total_seconds()),
        )


def _new_session(database_url: str, account_id: int, now: datetime) -> str:
    token = secrets.token_urlsafe(32)
    with store_for(database_url).session() as session:
        repo.add_session(session, _digest(token), account_id, now, now + SESSION_LIFETIME)
    return token


class WrongCredentials(InvalidInput):
    """The address and password do not match an account (the same for an unknown address)."""

    def __init__(self) -> None:
        super().__init__(
            [Problem(Location(field="password"), "the email address or the password is wrong")]
        )


def sign_in(
    database_url: str, email: str, password: str, *, client: str, clock: Clock | None = None
) -> SignedIn:
    """A new session for the account with this address and password.

    The same ``WrongCredentials`` and the same argon2 check for an unknown address, a wrong
    password and an account that signs in by link only."""
    now = (clock or SystemClock()).now()
    address = email.strip().lower()
    _refuse_if_limited(database_url, address, client, now)
    with store_for(database_url).session() as session:
        row = repo.by_email(session, address)
        found = _account(row) if row is not None else None
        stored = row.password_hash if row is not None else None
    from argon2.exceptions import VerificationError

    ok: bool
    try:
        ok = _hasher().verify(stored or _unknown_account_hash(), password)
    except VerificationError:
        ok = False
    if not ok or found is None or stored is None:
        account_key, client_key = _limit_keys(address, client)
        with store_for(database_url).session() as session:
            repo.add_failure(session, account_key, now)
            repo.add_failure(session, client_key, now)
        raise WrongCredentials()
    with store_for(database_url).session() as session:
        repo.clear_failures(session, _limit_keys(address, client)[0])
    return SignedIn(found, _new_session(database_url, found.id, now))


def send_sign_in_link(
    database_url: str,
    email: str,
    *,
    link_base: str,
    mailer: Mailer,
    client: str,
    clock: Clock | None = None,
) -> None:
    """Mail a one-time sign-in link to the address if it has an account; say nothing either
    way (the caller shows the same answer for every address)."""
    now = (clock or SystemClock()).now()
    address = email.strip().lower()
    _refuse_if_limited(database_url, address, client, now)
    token = secrets.token_urlsafe(32)
    with store_for(database_url).session() as session:
        row = repo.by_email(session, address)
        if row is None:
            repo.add_failure(session, _limit_keys(address, client)[1], now)
            return
        repo.add_link(session, _digest(token), row.id, now + LINK_LIFETIME)
        name = row.name
    minutes = int(LINK_LIFETIME.total_seconds() // 60)
    mailer.send(
        address,
        "Your Guildhall sign-in link",
        f"Hello {name},\n\nSign in to Guildhall with this link within {minutes} minutes. "
        f"It works once.\n\n{link_base}{token}\n\nIf you did not ask for it, ignore this message.",
    )


def redeem_link(database_url: str, token: str, *, clock: Clock | None = None) -> SignedIn:
    """A new session for the account a sign-in link was sent to; the link is used up."""
    now = (clock or SystemClock()).now()
    with store_for(database_url).session() as session:
        account_id = repo.take_link(session, _digest(token), now)
        row = repo.by_id(session, account_id) if account_id is not None else None
        found = _account(row) if row is not None else None
    if found is None:
        raise NotFound("this sign-in link is unknown, used or expired; ask for a new one")
    return SignedIn(found, _new_session(database_url, found.id, now))


def session_account(database_url: str, token: str, *, clock: Clock | None = None) -> Account | None:
    """The account a session token signs in, or ``None`` for an unknown or expired one."""
    now = (clock or SystemClock()).now()
    with store_for(database_url).session() as session:
        row = repo.session_account(session, _digest(token), now)
        return _account(row) if row is not None else None


def sign_out(database_url: str, token: str) -> None:
    with store_for(database_url).session() as session:
        repo.end_session(session, _digest(token))
