"""Cast or audit: a member checks on a second machine that a ballot holds their choice."""

from __future__ import annotations

import csv
import json
import stat
from datetime import UTC, datetime
from pathlib import Path

import pytest

from guildhall.cli import ballots as ballots_cli
from guildhall.cli.app import run
from guildhall.core.clock import FixedClock

ELECTION = "ratify-audit"


@pytest.fixture
def opened(
    sqlite_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> tuple[list[str], str]:
    """An open ratification vote with three members; the database options and a credential."""
    monkeypatch.setattr(ballots_cli, "CLOCK", FixedClock(datetime(2009, 6, 2, tzinfo=UTC)))
    db = ["--db", sqlite_url, "ballots"]
    assert run([*db, "create", ELECTION, "--question", "ratification", "--text", "Ratify?",
                "--opens", "2009-06-01T00:00:00+00:00", "--closes", "2009-06-09T00:00:00+00:00",
                "--key-dir", str(tmp_path / "keys")]) == 0  # fmt: skip
    with (tmp_path / "roll.csv").open("w", newline="") as f:
        csv.writer(f).writerows([["member_id", "standing", "paid_through"],
                                 *([f"M{i}", "good", "2009-12-31"] for i in range(3))])  # fmt: skip
    assert run([*db, "roll", "import", ELECTION, str(tmp_path / "roll.csv"),
                "--record-date", "2009-05-31"]) == 0  # fmt: skip
    mailing = tmp_path / "mailing.csv"
    assert run([*db, "credentials", "issue", ELECTION, "--mailing", str(mailing)]) == 0
    assert run([*db, "open", ELECTION]) == 0
    with mailing.open() as f:
        return db, next(csv.DictReader(f))["credential"]


def _encrypt(db: list[str], credential: str, choice: str, tmp: Path, name: str,
             capsys: pytest.CaptureFixture[str]) -> tuple[Path, Path]:  # fmt: skip
    record = tmp / f"{name}-record.json"
    capsys.readouterr()
    assert run([*db, "encrypt", ELECTION, "--credential", credential, "--choice", choice,
                "--audit-record", str(record)]) == 0  # fmt: skip
    ballot = tmp / f"{name}.json"
    ballot.write_text(capsys.readouterr().out)
    return ballot, record


def test_an_audited_ballot_shows_its_choice(
    opened: tuple[list[str], str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db, credential = opened
    ballot, record = _encrypt(db, credential, "no", tmp_path, "first", capsys)
    assert stat.S_IMODE(record.stat().st_mode) == 0o600
    assert run([*db, "audit", ELECTION, str(ballot), "--record", str(record)]) == 0
    assert "holds 'no'" in capsys.readouterr().out
    # A device that claims another choice is caught.
    claimed = json.loads(record.read_text())
    record.write_text(json.dumps({**claimed, "choice": "yes"}))
    assert run([*db, "audit", ELECTION, str(ballot), "--record", str(record)]) == 1
    assert "does not encrypt 'yes'" in capsys.readouterr().err
    # A record for another ballot proves nothing about this one.
    other, other_record = _encrypt(db, credential, "no", tmp_path, "second", capsys)
    assert run([*db, "audit", ELECTION, str(ballot), "--record", str(other_record)]) == 1
    assert "another ballot" in capsys.readouterr().err
    # Tampered randomness.
    record.write_text(json.dumps({**claimed, "randomness": "01" + claimed["randomness"][2:]}))
    assert run([*db, "audit", ELECTION, str(ballot), "--record", str(record)]) == 1
    # The record file is never overwritten, and a broken one is a clear error.
    assert run([*db, "encrypt", ELECTION, "--credential", credential, "--choice", "yes",
                "--audit-record", str(other_record)]) == 2  # fmt: skip
    assert "exists already" in capsys.readouterr().err
    other_record.write_text("{not json")
    assert run([*db, "audit", ELECTION, str(other), "--record", str(other_record)]) == 2
    assert "second-record.json:1:2: not valid JSON" in capsys.readouterr().err
    # The member then encrypts again and casts the new ballot.
    assert run([*db, "cast", ELECTION, "--credential", credential, "--choice", "no"]) == 0
