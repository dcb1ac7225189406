"""A 1,000-member strike authorization run end to end from the command line against a case."""

from __future__ import annotations

import csv
import json
import random
from datetime import UTC, datetime
from pathlib import Path

import pytest

from guildhall.cli import ballots as ballots_cli
from guildhall.cli.app import run
from guildhall.core.clock import FixedClock
from guildhall.services import cases

MEMBERS = 1000


def _roll(path: Path) -> None:
    with path.open("w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["member_id", "standing", "paid_through"])
        for i in range(MEMBERS):
            w.writerow([f"M{i:05d}", "good", "2009-06-30"])
        w.writerow(["M99999", "lapsed", "2007-01-01"])


def _at(monkeypatch: pytest.MonkeyPatch, day: int) -> None:
    monkeypatch.setattr(ballots_cli, "CLOCK", FixedClock(datetime(2008, 12, day, 12, tzinfo=UTC)))


def test_strike_authorization_end_to_end(
    sqlite_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:  # fmt: skip
    url = sqlite_url
    cases.load_demo_case(url)
    _at(monkeypatch, 1)
    db = ["--db", url, "ballots"]
    assert (
        run(
            [
                *db,
                "create",
                "sa-2008",
                "--case",
                "sag-2008",
                "--question",
                "strike_authorization",
                "--text",
                "Authorize the National Board to call a strike?",
                "--opens",
                "2008-12-01T12:00:00+00:00",
                "--closes",
                "2008-12-22T12:00:00+00:00",
                "--trustees",
                "5",
                "--quorum",
                "3",
                "--key-dir",
                str(tmp_path / "keys"),
            ]
        )
        == 0
    )
    _roll(tmp_path / "roll.csv")
    assert (
        run(
            [
                *db,
                "roll",
                "import",
                "sa-2008",
                str(tmp_path / "roll.csv"),
                "--record-date",
                "2008-11-30",
            ]
        )
        == 0
    )
    assert (
        run([*db, "credentials", "issue", "sa-2008", "--mailing", str(tmp_path / "mailing.csv")])
        == 0
    )
    capsys.readouterr()
    # The rules refuse the vote until the committee determines that mediation failed.
    assert run([*db, "open", "sa-2008"]) == 2
    assert "strike-authorization-after-failed-mediation" in capsys.readouterr().err
    cases.add_event(url, "sag-2008", {
        "date": datetime(2008, 12, 1).date(), "kind": "mediation_failed_determination",
        "summary": "The negotiating committee determined that mediation failed.",
        "certainty": "stated", "by": "negotiating_committee",
        "sources": [{"document": "guildhall-test", "quote": "mediation failed"}],
        "documents": [{"id": "guildhall-test", "title": "Committee minutes",
                       "text": "The committee found that mediation failed."}],
    }, recorded_by="test")  # fmt: skip
    assert run([*db, "open", "sa-2008"]) == 0

    rng = random.Random(7)
    with (tmp_path / "mailing.csv").open() as f:
        mailing = list(csv.DictReader(f))
    voters = rng.sample(mailing, 800)
    with (tmp_path / "votes.csv").open("w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["credential", "choice"])
        for i, m in enumerate(voters):
            w.writerow([m["credential"], "yes" if i < 640 else "no"])  # exactly 80% yes
    capsys.readouterr()
    assert run([*db, "cast", "sa-2008", "--votes", str(tmp_path / "votes.csv")]) == 0
    trackers = capsys.readouterr().out.split()
    assert len(trackers) == 800
    # The same credential again is refused.
    assert (
        run([*db, "cast", "sa-2008", "--credential", voters[0]["credential"], "--choice", "no"])
        == 2
    )
    assert run([*db, "track", "sa-2008", trackers[5]]) == 0
    capsys.readouterr()
    assert run([*db, "show", "sa-2008", "--format", "json"]) == 0
    shown = json.loads(capsys.readouterr().out)
    assert shown["cast"] == 800 and shown["eligible"] == MEMBERS
    assert run([*db, "result", "sa-2008"]) == 2  # never an interim result

    assert run([*db, "close", "sa-2008"]) == 2  # not before the closing time
    _at(monkeypatch, 22)
    assert run([*db, "close", "sa-2008"]) == 0
    keys = sorted((tmp_path / "keys").iterdir())
    # Two of the five trustees are lost: three keys still decrypt.
    assert (
        run(
            [
                *db,
                "tally",
                "sa-2008",
                "--key",
                str(keys[0]),
                "--key",
                str(keys[2]),
                "--key",
                str(keys[4]),
            ]
        )
        == 0
    )
    assert run([*db, "certify", "sa-2008"]) == 0
    capsys.readouterr()
    assert run([*db, "result", "sa-2008", "--format", "json"]) == 0
    result = json.loads(capsys.readouterr().out)
    assert (result["yes"], result["no"], result["cast"], result["eligible"]) == (
        640,
        160,
        800,
        1000,
    )
    assert result["threshold"] == {"ratio": "3/4", "comparison": "at_least"}
    assert result["passed"] is True

    board = tmp_path / "board.jsonl"
    assert run([*db, "board", "sa-2008", "-o", str(board)]) == 0
    assert run([*db, "verify", str(board)]) == 0
    lines = board.read_text().splitlines()
    entry = json.loads(lines[10])
    entry["body"]["ballot"]["ciphertext"]["a"], entry["body"]["ballot"]["ciphertext"]["b"] = (
        entry["body"]["ballot"]["ciphertext"]["b"],
        entry["body"]["ballot"]["ciphertext"]["a"],
    )
    lines[10] = json.dumps(entry)
    tampered = tmp_path / "tampered.jsonl"
    tampered.write_text("\n".join(lines) + "\n")
    capsys.readouterr()
    assert run([*db, "verify", str(tampered)]) == 1
    assert "line 11" in capsys.readouterr().err

    # A passed authorization lets the national board call a strike.
    _case, allowed = cases.steps(url, "sag-2008", datetime(2008, 12, 23).date())
    assert "board_strike_decision" in {s.kind for s in allowed}
