"""Trustees on their own machines: the key ceremony and the decryption through files only.

Three trustees (any two decrypt) deal, seal and receive with ``guildhall ballots trustee``;
the administrator creates the vote from their public dealings, and tallies from two
decryption shares made from the exported board. No key file ever reaches the
administrator's commands.
"""

from __future__ import annotations

import base64
import csv
import json
import stat
from datetime import UTC, datetime
from pathlib import Path

import pytest

from guildhall.cli import ballots as ballots_cli
from guildhall.cli.app import run
from guildhall.core.clock import FixedClock

N, K = 3, 2
ELECTION = "ratify-2009"


def _at(monkeypatch: pytest.MonkeyPatch, day: int) -> None:
    monkeypatch.setattr(ballots_cli, "CLOCK", FixedClock(datetime(2009, 6, day, 12, tzinfo=UTC)))


def _files(tmp: Path, step: str) -> list[Path]:
    return [tmp / f"t{i}" / f"{step}.json" for i in range(1, N + 1)]


def _options(flag: str, paths: list[Path]) -> list[str]:
    return [a for p in paths for a in (flag, str(p))]


def _ceremony(tmp: Path) -> None:
    for i in range(1, N + 1):
        args = [
            "ballots",
            "trustee",
            "deal",
            ELECTION,
            "--trustee",
            str(i),
            "--trustees",
            str(N),
            "--quorum",
            str(K),
            "--state",
            str(tmp / f"t{i}" / "state.json"),
            "--out",
            str(tmp / f"t{i}" / "dealing.json"),
        ]
        assert run(args) == 0
    dealings = _options("--dealing", _files(tmp, "dealing"))
    for i in range(1, N + 1):
        args = [
            "ballots",
            "trustee",
            "seal",
            ELECTION,
            "--state",
            str(tmp / f"t{i}" / "state.json"),
            *dealings,
            "--out",
            str(tmp / f"t{i}" / "sealed.json"),
        ]
        assert run(args) == 0


def _decrypt(board: Path, key: Path, out: Path) -> int:
    return run(["ballots", "trustee", "decrypt", str(board), "--key", str(key), "--out", str(out)])


def _receive(tmp: Path, i: int, sealed: list[Path]) -> int:
    return run(
        [
            "ballots",
            "trustee",
            "receive",
            ELECTION,
            "--state",
            str(tmp / f"t{i}" / "state.json"),
            *_options("--dealing", _files(tmp, "dealing")),
            *_options("--sealed", sealed),
            "--key",
            str(tmp / f"t{i}" / "key.json"),
        ]
    )


def test_a_vote_whose_trustees_never_meet(
    sqlite_url: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    _ceremony(tmp_path)
    for i in range(1, N + 1):
        others = [p for j, p in enumerate(_files(tmp_path, "sealed"), 1) if j != i]
        assert _receive(tmp_path, i, others) == 0
        key = tmp_path / f"t{i}" / "key.json"
        assert stat.S_IMODE(key.stat().st_mode) == 0o600
        assert stat.S_IMODE((tmp_path / f"t{i}" / "state.json").stat().st_mode) == 0o600
    # What the administrator is handed holds no share in the clear.
    handed_in = "".join(p.read_text() for p in _files(tmp_path, "sealed"))
    secrets = {
        json.loads((tmp_path / f"t{i}" / "key.json").read_text())["secret"] for i in range(1, N + 1)
    }
    assert not any(s in handed_in for s in secrets)

    _at(monkeypatch, 1)
    db = ["--db", sqlite_url, "ballots"]
    assert (
        run(
            [
                *db,
                "create",
                ELECTION,
                "--question",
                "ratification",
                "--text",
                "Ratify the 2009 agreement?",
                "--opens",
                "2009-06-01T12:00:00+00:00",
                "--closes",
                "2009-06-09T12:00:00+00:00",
                *_options("--dealing", _files(tmp_path, "dealing")),
            ]
        )
        == 0
    )
    with (tmp_path / "roll.csv").open("w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["member_id", "standing", "paid_through"])
        w.writerows([f"M{i}", "good", "2009-12-31"] for i in range(5))
    assert (
        run(
            [
                *db,
                "roll",
                "import",
                ELECTION,
                str(tmp_path / "roll.csv"),
                "--record-date",
                "2009-05-31",
            ]
        )
        == 0
    )
    assert (
        run([*db, "credentials", "issue", ELECTION, "--mailing", str(tmp_path / "mailing.csv")])
        == 0
    )
    assert run([*db, "open", ELECTION]) == 0
    with (tmp_path / "mailing.csv").open() as f:
        mailing = list(csv.DictReader(f))
    for m, choice in zip(mailing, ["yes", "yes", "no", "yes"], strict=False):
        assert (
            run([*db, "cast", ELECTION, "--credential", m["credential"], "--choice", choice]) == 0
        )
    board = tmp_path / "board.jsonl"
    assert run([*db, "board", ELECTION, "-o", str(board)]) == 0
    capsys.readouterr()
    # While the vote is open no trustee decrypts anything.
    assert _decrypt(board, tmp_path / "t1" / "key.json", tmp_path / "early.json") == 2
    assert "not closed" in capsys.readouterr().err
    assert not (tmp_path / "early.json").exists()

    _at(monkeypatch, 9)
    assert run([*db, "close", ELECTION]) == 0
    assert run([*db, "board", ELECTION, "-o", str(board), "--force"]) == 0
    # A board changed after publication is refused before anything is decrypted.
    lines = board.read_text().splitlines()
    changed = json.loads(lines[5])
    changed["body"]["tracker"] = "0" * 64
    lines[5] = json.dumps(changed)
    (tmp_path / "changed.jsonl").write_text("\n".join(lines) + "\n")
    key1 = tmp_path / "t1" / "key.json"
    assert _decrypt(tmp_path / "changed.jsonl", key1, tmp_path / "x.json") == 2
    assert "line 6: the hash chain is broken" in capsys.readouterr().err
    assert not (tmp_path / "x.json").exists()
    shares = [tmp_path / "t1" / "share.json", tmp_path / "t3" / "share.json"]
    for i, out in zip((1, 3), shares, strict=True):
        assert _decrypt(board, tmp_path / f"t{i}" / "key.json", out) == 0
    capsys.readouterr()
    assert run([*db, "tally", ELECTION, "--share", str(shares[0])]) == 2  # one is not enough
    assert "2 trustees' shares are needed" in capsys.readouterr().err
    # A share made for another total, or with a proof that does not hold, is refused by name.
    good = json.loads(shares[1].read_text())
    forged = tmp_path / "forged.json"
    forged.write_text(json.dumps({**good, "a": good["share"]}))
    assert run([*db, "tally", ELECTION, "--share", str(shares[0]), "--share", str(forged)]) == 2
    assert f"{forged}" in (err := capsys.readouterr().err) and "another total" in err
    forged.write_text(json.dumps({**good, "share": json.loads(shares[0].read_text())["share"]}))
    assert run([*db, "tally", ELECTION, "--share", str(shares[0]), "--share", str(forged)]) == 2
    assert "decryption shares of trustees [3] do not verify" in capsys.readouterr().err
    capsys.readouterr()
    assert run([*db, "result", ELECTION]) == 2  # nothing was tallied
    assert run([*db, "tally", ELECTION, *_options("--share", shares)]) == 0
    capsys.readouterr()
    assert run([*db, "result", ELECTION, "--format", "json"]) == 0
    result = json.loads(capsys.readouterr().out)
    assert (result["yes"], result["no"], result["cast"], result["passed"]) == (3, 1, 4, True)
    assert run([*db, "board", ELECTION, "-o", str(board), "--force"]) == 0
    assert run([*db, "verify", str(board)]) == 0


def test_a_tampered_share_names_its_dealer_and_writes_no_key(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _ceremony(tmp_path)
    sealed = _files(tmp_path, "sealed")
    # Trustee 2 hands in, for trustee 1, the box it sealed for trustee 3.
    data = json.loads(sealed[1].read_text())
    data["shares"]["1"] = data["shares"]["3"]
    sealed[1].write_text(json.dumps(data))
    capsys.readouterr()
    assert _receive(tmp_path, 1, sealed[1:]) == 2
    assert "trustee 2's share for trustee 1 cannot be opened" in capsys.readouterr().err
    assert not (tmp_path / "t1" / "key.json").exists()
    # A share sealed properly but not matching the dealer's commitments is named too.
    state = json.loads((tmp_path / "t2" / "state.json").read_text())
    state["shares"]["1"] = state["shares"]["3"]
    from nacl.public import PublicKey, SealedBox

    box_key = json.loads(_files(tmp_path, "dealing")[0].read_text())["box_key"]
    message = json.dumps(
        {"election": ELECTION, "from": 2, "to": 1, "share": state["shares"]["1"]}
    ).encode()
    data["shares"]["1"] = base64.b64encode(
        SealedBox(PublicKey(bytes.fromhex(box_key))).encrypt(message)
    ).decode()
    sealed[1].write_text(json.dumps(data))
    assert _receive(tmp_path, 1, sealed[1:]) == 2
    assert "does not match its commitments" in capsys.readouterr().err
    assert not (tmp_path / "t1" / "key.json").exists()


def test_steps_refuse_missing_files_and_never_overwrite(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _ceremony(tmp_path)
    capsys.readouterr()
    before = (tmp_path / "t1" / "state.json").read_text()
    again = [
        "ballots",
        "trustee",
        "deal",
        ELECTION,
        "--trustee",
        "1",
        "--trustees",
        "3",
        "--quorum",
        "2",
        "--state",
        str(tmp_path / "t1" / "state.json"),
        "--out",
        str(tmp_path / "t1" / "other.json"),
    ]
    assert run(again) == 2
    assert "never overwritten" in capsys.readouterr().err
    assert (tmp_path / "t1" / "state.json").read_text() == before
    # Receiving before every other trustee's sealed shares are in.
    assert _receive(tmp_path, 1, _files(tmp_path, "sealed")[1:2]) == 2
    assert "no sealed shares yet from trustees [3]" in capsys.readouterr().err
    # Sealing with a dealing missing.
    args = [
        "ballots",
        "trustee",
        "seal",
        ELECTION,
        "--state",
        str(tmp_path / "t1" / "state.json"),
        *_options("--dealing", _files(tmp_path, "dealing")[:2]),
        "--out",
        str(tmp_path / "t1" / "sealed-again.json"),
    ]
    assert run(args) == 2
    assert "dealings missing from trustees [3]" in capsys.readouterr().err
    # Another trustee's state with this trustee's dealing.
    assert (
        run(
            [
                "ballots",
                "trustee",
                "deal",
                ELECTION,
                "--trustee",
                "2",
                "--trustees",
                "3",
                "--quorum",
                "2",
                "--state",
                str(tmp_path / "x.json"),
                "--out",
                str(tmp_path / "x-dealing.json"),
            ]
        )
        == 0
    )
    capsys.readouterr()
    assert _receive_with_state(tmp_path, tmp_path / "x.json") == 2
    assert "was not made with this state" in capsys.readouterr().err


def _receive_with_state(tmp: Path, state: Path) -> int:
    return run(
        [
            "ballots",
            "trustee",
            "receive",
            ELECTION,
            "--state",
            str(state),
            *_options("--dealing", _files(tmp, "dealing")),
            *_options("--sealed", [_files(tmp, "sealed")[0], _files(tmp, "sealed")[2]]),
            "--key",
            str(tmp / "x-key.json"),
        ]
    )


def test_create_takes_dealings_or_a_key_folder_not_both(
    sqlite_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _ceremony(tmp_path)
    base = ["--db", sqlite_url, "ballots", "create", ELECTION, "--question", "ratification",
            "--text", "Ratify?", "--opens", "2009-06-01T12:00:00+00:00",
            "--closes", "2009-06-09T12:00:00+00:00"]  # fmt: skip
    capsys.readouterr()
    assert run(base) == 2
    assert "either the trustees' dealings or a folder for their keys" in capsys.readouterr().err
    both = [*base, *_options("--dealing", _files(tmp_path, "dealing")), "--key-dir",
            str(tmp_path / "keys")]  # fmt: skip
    assert run(both) == 2
    assert not (tmp_path / "keys").exists()
    # A dealing for another election is refused by name.
    other = json.loads(_files(tmp_path, "dealing")[2].read_text())
    other["election"] = "another"
    _files(tmp_path, "dealing")[2].write_text(json.dumps(other))
    capsys.readouterr()
    assert run([*base, *_options("--dealing", _files(tmp_path, "dealing"))]) == 2
    assert "trustee 3's dealing is for election 'another'" in capsys.readouterr().err
