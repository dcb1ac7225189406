"""Accounts: adding people, passwords, one-time links, sessions, the sign-in limit, and the
settings that refuse a missing or default secret outside development."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from guildhall.cli.app import run
from guildhall.core.clock import FixedClock
from guildhall.core.errors import Conflict, InvalidInput, NotFound, TooManyAttempts
from guildhall.services import accounts
from guildhall.services.mailer import FileMailer
from guildhall.settings import Settings, SettingsError

from .sign_in import PASSWORD

NOW = datetime(2008, 11, 20, 12, 0, tzinfo=UTC)


def test_a_password_is_stored_as_an_argon2id_hash(database_url: str) -> None:
    accounts.add_user(database_url, "Staff@Guild.test", "staff", password=PASSWORD)
    from guildhall.store import accounts_repo
    from guildhall.store.db import store_for

    with store_for(database_url).session() as session:
        row = accounts_repo.by_email(session, "staff@guild.test")
        assert row is not None and row.password_hash is not None
        assert row.password_hash.startswith("$argon2id$")
        assert PASSWORD not in row.password_hash


def test_sign_in_gives_a_session_and_sign_out_ends_it(database_url: str) -> None:
    accounts.add_user(database_url, "staff@guild.test", "staff", password=PASSWORD)
    done = accounts.sign_in(database_url, " STAFF@guild.test", PASSWORD, client="1.2.3.4")
    assert done.account.role == "staff"
    assert accounts.session_account(database_url, done.token) == done.account
    accounts.sign_out(database_url, done.token)
    assert accounts.session_account(database_url, done.token) is None


def test_a_session_expires(database_url: str) -> None:
    accounts.add_user(database_url, "staff@guild.test", "staff", password=PASSWORD)
    done = accounts.sign_in(
        database_url, "staff@guild.test", PASSWORD, client="c", clock=FixedClock(NOW)
    )
    later = FixedClock(NOW + accounts.SESSION_LIFETIME + timedelta(seconds=1))
    assert accounts.session_account(database_url, done.token, clock=later) is None


def test_an_unknown_address_and_a_wrong_password_get_the_same_answer_and_the_same_hash_check(
    database_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    accounts.add_user(database_url, "staff@guild.test", "staff", password=PASSWORD)
    hasher = accounts._hasher()
    checked: list[str] = []
    real = type(hasher).verify

    def counting(self: object, hash: str, password: str) -> bool:
        checked.append(hash)
        return real(hasher, hash, password)

    monkeypatch.setattr(type(hasher), "verify", counting)
    answers = []
    for email in ("staff@guild.test", "nobody@guild.test"):
        with pytest.raises(InvalidInput) as refused:
            accounts.sign_in(database_url, email, "wrong password here", client="c")
        answers.append(str(refused.value))
    assert answers[0] == answers[1]
    assert len(checked) == 2, "one argon2 check each, known or not"
    params = [h.rsplit("$", 2)[0] for h in checked]
    assert params[0] == params[1], "the unknown address is checked with the same cost"


def test_sign_in_is_limited_per_address_even_with_the_right_password(database_url: str) -> None:
    accounts.add_user(database_url, "staff@guild.test", "staff", password=PASSWORD)
    clock = FixedClock(NOW)
    for _ in range(accounts.MAX_FAILURES_PER_ACCOUNT):
        with pytest.raises(InvalidInput):
            accounts.sign_in(database_url, "staff@guild.test", "x" * 12, client="c", clock=clock)
    with pytest.raises(TooManyAttempts):
        accounts.sign_in(database_url, "staff@guild.test", PASSWORD, client="c", clock=clock)
    after = FixedClock(NOW + accounts.FAILURE_WINDOW + timedelta(seconds=1))
    assert accounts.sign_in(database_url, "staff@guild.test", PASSWORD, client="c", clock=after)


def test_sign_in_is_limited_per_client_across_addresses(database_url: str) -> None:
    clock = FixedClock(NOW)
    for n in range(accounts.MAX_FAILURES_PER_CLIENT):
        with pytest.raises(InvalidInput):
            accounts.sign_in(database_url, f"guess{n}@guild.test", "x" * 12, client="bot",
                             clock=clock)  # fmt: skip
    with pytest.raises(TooManyAttempts):
        accounts.sign_in(database_url, "another@guild.test", "x" * 12, client="bot", clock=clock)


def test_a_one_time_link_signs_in_once(database_url: str, tmp_path: Path) -> None:
    accounts.add_user(database_url, "member@guild.test", "member", member_id="17")
    mailer = FileMailer(tmp_path / "mail")
    accounts.send_sign_in_link(database_url, "member@guild.test", link_base="http://x/l/",
                               mailer=mailer, client="c")  # fmt: skip
    accounts.send_sign_in_link(database_url, "nobody@guild.test", link_base="http://x/l/",
                               mailer=mailer, client="c")  # fmt: skip
    (message,) = mailer.messages()
    assert message.startswith("To: member@guild.test")
    token = message.split("http://x/l/")[1].split()[0]
    assert (tmp_path / "mail" / "000001.txt").stat().st_mode & 0o077 == 0
    done = accounts.redeem_link(database_url, token)
    assert done.account.member_id == "17"
    with pytest.raises(NotFound):
        accounts.redeem_link(database_url, token)


def test_a_link_expires(database_url: str, tmp_path: Path) -> None:
    accounts.add_user(database_url, "member@guild.test", "member")
    mailer = FileMailer(tmp_path)
    accounts.send_sign_in_link(database_url, "member@guild.test", link_base="L", mailer=mailer,
                               client="c", clock=FixedClock(NOW))  # fmt: skip
    token = mailer.messages()[0].split("L", 2)[-1].split()[0]
    late = FixedClock(NOW + accounts.LINK_LIFETIME + timedelta(seconds=1))
    with pytest.raises(NotFound):
        accounts.redeem_link(database_url, token, clock=late)


def test_adding_refuses_duplicates_bad_roles_short_passwords(database_url: str) -> None:
    accounts.add_user(database_url, "a@guild.test", "member", member_id="1")
    with pytest.raises(Conflict):
        accounts.add_user(database_url, "A@guild.test", "staff")
    with pytest.raises(Conflict):
        accounts.add_user(database_url, "b@guild.test", "member", member_id="1")
    with pytest.raises(InvalidInput, match="not one of"):
        accounts.add_user(database_url, "c@guild.test", "press")
    with pytest.raises(InvalidInput, match="at least 12"):
        accounts.add_user(database_url, "d@guild.test", "staff", password="short")
    with pytest.raises(InvalidInput, match="not an email"):
        accounts.add_user(database_url, "not an address", "staff")


def test_members_come_from_the_roll_and_a_bad_row_adds_nobody(
    database_url: str, tmp_path: Path
) -> None:
    roll = tmp_path / "roll.csv"
    roll.write_text("member_id,standing,paid_through,email\n1,good,2009-01-01,one@guild.test\n"
                    "2,good,2009-01-01,two@guild.test\n")  # fmt: skip
    assert accounts.add_members_from_roll(database_url, roll) == (2, 0)
    assert accounts.add_members_from_roll(database_url, roll) == (0, 2)
    bad = tmp_path / "bad.csv"
    bad.write_text("member_id,email\n3,three@guild.test\n4,not-an-address\n")
    with pytest.raises(InvalidInput) as refused:
        accounts.add_members_from_roll(database_url, bad)
    (problem,) = refused.value.problems
    assert problem.where.row == 3 and problem.where.field == "email"
    assert len(accounts.list_users(database_url)) == 2


def test_a_roll_that_is_not_a_clean_csv_is_refused_by_line_and_adds_nobody(
    database_url: str, tmp_path: Path
) -> None:
    """A short or long row, a byte that is not UTF-8, a folder: each named, nobody added."""
    roll = tmp_path / "roll.csv"
    roll.write_text("member_id,email\n1,one@guild.test\n2\n3,three@guild.test,extra\n")
    with pytest.raises(InvalidInput) as refused:
        accounts.add_members_from_roll(database_url, roll)
    assert [(p.where.line, "fields" in p.what) for p in refused.value.problems] == [
        (3, True),
        (4, True),
    ]
    roll.write_bytes(b"member_id,email\n1,caf\xe9@guild.test\n")
    with pytest.raises(InvalidInput) as refused:
        accounts.add_members_from_roll(database_url, roll)
    assert "UTF-8" in str(refused.value.problems[0])
    with pytest.raises(InvalidInput) as refused:
        accounts.add_members_from_roll(database_url, tmp_path)
    assert "folder" in str(refused.value.problems[0])
    assert accounts.list_users(database_url) == []


def test_the_cli_adds_and_lists_users(
    sqlite_url: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import io

    monkeypatch.setattr("sys.stdin", io.StringIO(PASSWORD + "\n"))
    code = run(["--db", sqlite_url, "users", "add", "chair@guild.test", "--role",
                "negotiating_committee", "--password-stdin"])  # fmt: skip
    assert code == 0
    assert "signs in by password" in capsys.readouterr().out
    assert accounts.sign_in(sqlite_url, "chair@guild.test", PASSWORD, client="c")
    assert run(["--db", sqlite_url, "users", "add", "x@guild.test", "--role", "press"]) == 2
    assert run(["--db", sqlite_url, "users", "add", "chair@guild.test", "--role", "staff"]) == 2
    assert "exists already" in capsys.readouterr().err
    assert run(["--db", sqlite_url, "users", "list", "--format", "json"]) == 0
    assert '"role": "negotiating_committee"' in capsys.readouterr().out


@pytest.mark.parametrize("secret", [None, "", "changeme", "secret", "x" * 31])
def test_outside_development_a_missing_or_weak_secret_is_refused(secret: str | None) -> None:
    env = {"GUILDHALL_ENV": "production"}
    if secret is not None:
        env["GUILDHALL_SECRET_KEY"] = secret
    with pytest.raises(SettingsError):
        Settings.from_env(env).web_secret()


def test_the_app_does_not_start_in_production_without_a_secret() -> None:
    from guildhall.web.app import create_app

    with pytest.raises(SettingsError):
        create_app("sqlite://", settings=Settings.from_env({"GUILDHALL_ENV": "production"}))


def test_development_generates_a_secret_per_process_and_production_uses_the_given_one() -> None:
    dev = Settings.from_env({})
    assert dev.web_secret() != dev.web_secret()
    key = "k" * 48
    assert Settings.from_env({"GUILDHALL_ENV": "production", "GUILDHALL_SECRET_KEY": key}
                             ).web_secret() == key  # fmt: skip
