"""Every command that writes a file or folder refuses what is there unless given --force,
keeps it whole, and leaves the earlier output whole when a run fails midway."""

from __future__ import annotations

import csv
import json
from datetime import UTC, datetime
from pathlib import Path

import pytest

from guildhall.cli import ballots as ballots_cli
from guildhall.cli.app import run
from guildhall.core.clock import FixedClock

SMALL = ["--members", "60", "--titles", "12", "--events", "300", "--seed", "1"]


class Boom(Exception):
    """A failure midway (a full disk, a crash in the writer)."""


def _names(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


def _refused(capsys: pytest.CaptureFixture[str], path: Path) -> None:
    err = capsys.readouterr().err
    assert str(path) in err and "never overwritten" in err, err


@pytest.fixture(scope="module")
def data(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("no_overwrite") / "data"
    assert run(["data", "synth", str(out), *SMALL]) == 0
    return out


def test_data_synth_keeps_what_is_in_its_folder(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "out"
    out.mkdir()
    (out / "notes.txt").write_text("my notes")
    assert run(["data", "synth", str(out), *SMALL]) == 2
    _refused(capsys, out)
    assert _names(out) == ["notes.txt"] and (out / "notes.txt").read_text() == "my notes"
    assert _names(tmp_path) == ["out"]  # no half-written sibling left behind


def test_data_synth_fills_an_empty_folder_and_replaces_only_with_force(tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    assert run(["data", "synth", str(out), *SMALL]) == 0
    assert "events" in _names(out)
    assert run(["data", "synth", str(out), *SMALL]) == 2
    (out / "extra.txt").write_text("x")
    assert run(["data", "synth", str(out), *SMALL, "--force"]) == 0
    assert "extra.txt" not in _names(out) and "events" in _names(out)


def test_a_synth_that_fails_midway_leaves_the_earlier_set_whole(
    tmp_path: Path, data: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import shutil

    from guildhall.services import costing

    out = tmp_path / "out"
    shutil.copytree(data, out)
    before = {p.relative_to(out): p.read_bytes() for p in out.rglob("*") if p.is_file()}
    real = costing.synthesize

    def failing(spec: object, folder: Path, progress: object) -> None:
        real(spec, folder, progress)  # type: ignore[arg-type]
        (folder / "events" / "part-00000.parquet").write_bytes(b"half")
        raise Boom

    monkeypatch.setattr(costing, "synthesize", failing)
    with pytest.raises(Boom):
        costing.synth_data(out, costing.SynthSpec(60, 12, 300, 2), lambda _t, _r: None, force=True)
    after = {p.relative_to(out): p.read_bytes() for p in out.rglob("*") if p.is_file()}
    assert after == before
    assert _names(tmp_path) == ["out"]


def _csv_set(tmp_path: Path, data: Path) -> Path:
    import duckdb

    src = tmp_path / "src"
    src.mkdir()
    for table in ("productions", "members", "credits", "events"):
        found = data / table
        pattern = f"{found}/*.parquet" if found.is_dir() else f"{found}.parquet"
        duckdb.sql(f"COPY (SELECT * FROM '{pattern}') TO '{src / table}.csv' (HEADER)")
    return src


def test_data_import_refuses_an_output_folder_or_quarantine_file_that_exists(
    tmp_path: Path, data: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    src = _csv_set(tmp_path, data)
    out = tmp_path / "checked"
    out.mkdir()
    (out / "mine.parquet").write_text("mine")
    assert run(["data", "import", str(src), str(out)]) == 2
    _refused(capsys, out)
    assert _names(out) == ["mine.parquet"]

    quarantine = tmp_path / "bad.csv"
    quarantine.write_text("earlier quarantine")
    new_out = tmp_path / "new"
    assert run(["data", "import", str(src), str(new_out), "--quarantine", str(quarantine)]) == 2
    _refused(capsys, quarantine)
    assert quarantine.read_text() == "earlier quarantine" and not new_out.exists()

    assert run(["data", "import", str(src), str(out), "--force"]) == 0
    assert "mine.parquet" not in _names(out) and "events.parquet" in _names(out)
    code = run(["data", "import", str(src), str(new_out), "--quarantine", str(quarantine),
                "--force"])  # fmt: skip
    assert code == 0
    assert quarantine.read_text().startswith("table,file,row")


def test_an_import_that_fails_midway_leaves_the_earlier_output_whole(
    tmp_path: Path, data: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from guildhall.costing.data import importer
    from guildhall.services import costing

    src = _csv_set(tmp_path, data)
    out, quarantine = tmp_path / "checked", tmp_path / "bad.csv"
    assert run(["data", "import", str(src), str(out), "--quarantine", str(quarantine)]) == 0
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    kept = quarantine.read_bytes()

    def failing(*args: object) -> object:
        raise Boom

    monkeypatch.setattr(importer, "_write_good", failing)
    with pytest.raises(Boom):
        costing.import_data_set(src, out, quarantine, force=True)
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before
    assert quarantine.read_bytes() == kept
    assert sorted(_names(tmp_path)) == ["bad.csv", "checked", "src"]


def test_cost_refuses_a_chart_that_exists_before_costing(
    tmp_path: Path, data: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from guildhall.services import costing

    chart = tmp_path / "cost.png"
    chart.write_bytes(b"my chart")

    def never(*args: object, **kwargs: object) -> object:
        raise AssertionError("costed although the chart would be refused")

    with monkeypatch.context() as patch:
        patch.setattr(costing, "cost_agreements", never)
        assert run(["cost", "wga-2008", "--data", str(data), "--chart", str(chart)]) == 2
    _refused(capsys, chart)
    assert chart.read_bytes() == b"my chart"
    assert run(["cost", "wga-2008", "--data", str(data), "--chart", str(chart), "--force"]) == 0
    assert chart.read_bytes().startswith(b"\x89PNG")


def test_a_chart_that_fails_midway_leaves_the_earlier_chart_whole(
    tmp_path: Path, data: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from guildhall.costing import charts

    chart = tmp_path / "cost.html"
    assert run(["cost", "wga-2008", "--data", str(data), "--chart", str(chart)]) == 0
    kept = chart.read_bytes()

    def failing(comparison: object, target: Path) -> None:
        target.write_text("<html>half")
        raise Boom("disk full")

    monkeypatch.setattr(charts, "write_chart", failing)
    capsys.readouterr()
    code = run(["cost", "wga-2008", "--data", str(data), "--chart", str(chart), "--force"])
    assert code == 3 and "disk full" in capsys.readouterr().err
    assert chart.read_bytes() == kept
    assert _names(tmp_path) == ["cost.html"]


def _election(url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    clock = FixedClock(datetime(2025, 3, 1, 12, tzinfo=UTC))
    monkeypatch.setattr(ballots_cli, "CLOCK", clock)
    db = ["--db", url, "ballots"]
    create = [*db, "create", "rat", "--question", "ratification", "--text", "Ratify?",
              "--opens", "2025-03-01T00:00:00+00:00", "--closes", "2025-03-20T00:00:00+00:00",
              "--key-dir", str(tmp_path / "keys")]  # fmt: skip
    assert run(create) == 0
    roll = tmp_path / "roll.csv"
    roll.write_text("member_id,standing,paid_through\nm1,good,2025-12-31\nm2,good,2025-12-31\n")
    assert run([*db, "roll", "import", "rat", str(roll), "--record-date", "2025-02-01"]) == 0
    return db


def test_ballots_files_are_never_written_over(
    sqlite_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:  # fmt: skip
    db = _election(sqlite_url, tmp_path, monkeypatch)
    keys = sorted((tmp_path / "keys").iterdir())
    kept_keys = [k.read_bytes() for k in keys]
    # The same key folder again: refused before a second election is stored.
    again = [*db, "create", "rat2", "--question", "ratification", "--text", "Ratify?",
             "--opens", "2025-03-01T00:00:00+00:00", "--closes", "2025-03-20T00:00:00+00:00",
             "--key-dir", str(tmp_path / "keys")]  # fmt: skip
    (tmp_path / "keys" / "rat2-trustee-1.json").write_text("a key kept here")
    assert run(again) == 2
    assert run([*db, "show", "rat2"]) == 2  # not created
    assert [k.read_bytes() for k in keys] == kept_keys

    mailing = tmp_path / "mailing.csv"
    mailing.write_text("an earlier mailing")
    capsys.readouterr()
    assert run([*db, "credentials", "issue", "rat", "--mailing", str(mailing)]) == 2
    _refused(capsys, mailing)
    assert mailing.read_text() == "an earlier mailing"
    # Refused before the roll was frozen: issuing to a new file still works.
    assert run([*db, "credentials", "issue", "rat", "--mailing", str(tmp_path / "m2.csv")]) == 0
    with (tmp_path / "m2.csv").open() as f:
        assert len(list(csv.DictReader(f))) == 2

    board = tmp_path / "board.jsonl"
    board.write_text("my board\n")
    assert run([*db, "board", "rat", "-o", str(board)]) == 2
    _refused(capsys, board)
    assert board.read_text() == "my board\n"
    assert run([*db, "board", "rat", "-o", str(board), "--force"]) == 0
    assert all(json.loads(line) for line in board.read_text().splitlines())


def test_the_demo_refuses_a_folder_that_is_not_its_own(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "mine"
    folder.mkdir()
    (folder / "guildhall.db").write_text("my own store")
    assert run(["demo", "--folder", str(folder), "--no-serve"]) == 2
    err = capsys.readouterr().err
    assert str(folder) in err and "--force" in err
    assert _names(folder) == ["guildhall.db"]
    assert (folder / "guildhall.db").read_text() == "my own store"


def test_an_import_that_can_check_no_row_writes_nothing_even_with_a_quarantine(
    tmp_path: Path, data: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    src = _csv_set(tmp_path, data)
    members = src / "members.csv"
    rows = members.read_text().splitlines()
    members.write_text("\n".join(",".join(r.split(",")[:-1]) for r in rows) + "\n")
    out, quarantine = tmp_path / "checked", tmp_path / "bad.csv"
    assert run(["data", "import", str(src), str(out), "--quarantine", str(quarantine)]) == 2
    assert "members" in capsys.readouterr().err
    assert not out.exists() and not quarantine.exists()
    assert _names(tmp_path) == ["src"]
