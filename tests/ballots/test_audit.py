"""Cast or audit: a member checks on a second machine that a ballot holds their choice, from
the published election file alone; an audited ballot is published as spoiled and can never
be cast."""

from __future__ import annotations

import json
import stat
from datetime import UTC, datetime
from pathlib import Path

import pytest
from ballot_cli import officers, publish_and_credentials, write_roll

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
                "--key-dir", str(tmp_path / "keys"), *officers(tmp_path)]) == 0  # fmt: skip
    roll = write_roll(tmp_path / "roll.csv", 3, "2009-12-31")
    assert run([*db, "roll", "import", ELECTION, str(roll), "--record-date", "2009-05-31"]) == 0
    credentials = publish_and_credentials(db, ELECTION, tmp_path, roll)
    assert run([*db, "open", ELECTION]) == 0
    return db, credentials[0]


def _encrypt(db: list[str], credential: str, choice: str, tmp: Path, name: str,
             capsys: pytest.CaptureFixture[str]) -> tuple[Path, Path]:  # fmt: skip
    """On the member's machine: no database, only the election file."""
    record = tmp / f"{name}-record.json"
    capsys.readouterr()
    assert run(["ballots", "encrypt", str(tmp / "election.json"), "--credential", credential,
                "--choice", choice, "--audit-record", str(record)]) == 0  # fmt: skip
    ballot = tmp / f"{name}.json"
    ballot.write_text(capsys.readouterr().out)
    return ballot, record


def test_an_audited_ballot_shows_its_choice(
    opened: tuple[list[str], str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db, credential = opened
    ballot, record = _encrypt(db, credential, "no", tmp_path, "first", capsys)
    assert stat.S_IMODE(record.stat().st_mode) == 0o600
    assert (
        run(
            [
                "ballots",
                "audit",
                str(tmp_path / "election.json"),
                str(ballot),
                "--record",
                str(record),
            ]
        )
        == 0
    )
    assert "holds 'no'" in capsys.readouterr().out
    # A device that claims another choice is caught.
    claimed = json.loads(record.read_text())
    record.write_text(json.dumps({**claimed, "choice": "yes"}))
    assert (
        run(
            [
                "ballots",
                "audit",
                str(tmp_path / "election.json"),
                str(ballot),
                "--record",
                str(record),
            ]
        )
        == 1
    )
    assert "does not encrypt 'yes'" in capsys.readouterr().err
    # A record for another ballot proves nothing about this one.
    other, other_record = _encrypt(db, credential, "no", tmp_path, "second", capsys)
    assert (
        run(
            [
                "ballots",
                "audit",
                str(tmp_path / "election.json"),
                str(ballot),
                "--record",
                str(other_record),
            ]
        )
        == 1
    )
    assert "another ballot" in capsys.readouterr().err
    # Tampered randomness.
    record.write_text(json.dumps({**claimed, "randomness": "01" + claimed["randomness"][2:]}))
    assert (
        run(
            [
                "ballots",
                "audit",
                str(tmp_path / "election.json"),
                str(ballot),
                "--record",
                str(record),
            ]
        )
        == 1
    )
    # The record file is never overwritten, and a broken one is a clear error.
    assert run(["ballots", "encrypt", str(tmp_path / "election.json"), "--credential",
                credential, "--choice", "yes", "--audit-record",
                str(other_record)]) == 2  # fmt: skip
    assert "exists already" in capsys.readouterr().err
    other_record.write_text("{not json")
    assert (
        run(
            [
                "ballots",
                "audit",
                str(tmp_path / "election.json"),
                str(other),
                "--record",
                str(other_record),
            ]
        )
        == 2
    )
    assert "second-record.json:1:2: not valid JSON" in capsys.readouterr().err
    # The member then encrypts again and casts the new ballot.
    assert run([*db, "cast", ELECTION, "--credential", credential, "--choice", "no"]) == 0


def test_a_spoiled_ballot_is_published_and_never_cast(
    opened: tuple[list[str], str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db, credential = opened
    ballot, record = _encrypt(db, credential, "yes", tmp_path, "audited", capsys)
    assert run(["ballots", "audit", str(tmp_path / "election.json"), str(ballot),
                "--record", str(record)]) == 0  # fmt: skip
    # A record that does not open the ballot is not published.
    wrong = tmp_path / "wrong-record.json"
    wrong.write_text(json.dumps({**json.loads(record.read_text()), "choice": "no"}))
    assert run([*db, "spoil", ELECTION, str(ballot), "--record", str(wrong)]) == 2
    capsys.readouterr()
    assert run([*db, "spoil", ELECTION, str(ballot), "--record", str(record),
                "--format", "json"]) == 0  # fmt: skip
    seq = json.loads(capsys.readouterr().out)["seq"]
    # The server, or anyone, casting the audited ballot is refused; it is spoiled twice never.
    assert run([*db, "cast", ELECTION, "--ballot", str(ballot)]) == 2
    assert f"published as spoiled (seq {seq})" in capsys.readouterr().err
    assert run([*db, "spoil", ELECTION, str(ballot), "--record", str(record)]) == 2
    # The member's fresh ballot with the same credential is accepted.
    assert run([*db, "cast", ELECTION, "--credential", credential, "--choice", "no"]) == 0
    board = tmp_path / "board.jsonl"
    assert run([*db, "board", ELECTION, "-o", str(board)]) == 0
    entry = json.loads(board.read_text().splitlines()[seq])
    assert entry["kind"] == "spoiled" and entry["body"]["choice"] == "yes"
    assert entry["body"]["randomness"] == json.loads(record.read_text())["randomness"]
