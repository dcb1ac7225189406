"""The generator is deterministic and the importer refuses bad rows, naming each."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from guildhall.cli.app import run
from guildhall.costing.data.schema import DataSet
from guildhall.costing.provenance import data_checksum


def _synth(out: Path, seed: int = 3) -> int:
    return run(
        [
            "data",
            "synth",
            str(out),
            "--members",
            "300",
            "--titles",
            "40",
            "--events",
            "2000",
            "--seed",
            str(seed),
        ]
    )


def test_synth_is_deterministic(tmp_path: Path) -> None:
    assert _synth(tmp_path / "a") == 0
    assert _synth(tmp_path / "b") == 0
    assert data_checksum(DataSet(tmp_path / "a")) == data_checksum(DataSet(tmp_path / "b"))
    assert _synth(tmp_path / "c", seed=4) == 0
    assert data_checksum(DataSet(tmp_path / "a")) != data_checksum(DataSet(tmp_path / "c"))


def _csv_set(tmp_path: Path) -> Path:
    import duckdb

    assert _synth(tmp_path / "gen") == 0
    src = tmp_path / "src"
    src.mkdir()
    for table in ("productions", "members", "credits", "events"):
        found = tmp_path / "gen" / table
        pattern = f"{found}/*.parquet" if found.is_dir() else f"{found}.parquet"
        duckdb.sql(f"COPY (SELECT * FROM '{pattern}') TO '{src / table}.csv' (HEADER)")
    return src


def _spoil(path: Path, line: int, column: str, value: str) -> None:
    rows = list(csv.reader(path.open(encoding="utf-8")))
    rows[line - 1][rows[0].index(column)] = value
    with path.open("w", newline="", encoding="utf-8") as handle:
        csv.writer(handle).writerows(rows)


def test_import_good_data(tmp_path: Path) -> None:
    src = _csv_set(tmp_path)
    assert run(["data", "import", str(src), str(tmp_path / "out")]) == 0
    assert DataSet(tmp_path / "out").missing() == []


def test_import_with_errors_writes_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    src = _csv_set(tmp_path)
    _spoil(src / "productions.csv", 3, "medium", "radio")
    _spoil(src / "events.csv", 5, "distributors_gross_cents", "12.5")
    _spoil(src / "events.csv", 6, "production_id", "999999")
    capsys.readouterr()
    assert run(["data", "import", str(src), str(tmp_path / "out")]) == 2
    err = capsys.readouterr().err
    assert f"{src / 'productions.csv'}:3: row 2, field 'medium': is radio, not one of" in err
    assert "events.csv:5: row 4, field 'distributors_gross_cents': is not a valid bigint" in err
    assert "events.csv:6: row 5, field 'production_id': names production 999999" in err
    assert not (tmp_path / "out").exists()


def test_rows_of_the_wrong_width_are_named_not_padded_or_cut(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A row with a field missing (which a lenient reader pads with an empty value, so a
    nullable field is silently blank) or one too many (which it drops) is refused by line,
    even with a quarantine file, and nothing is written."""
    src = _csv_set(tmp_path)
    members = src / "members.csv"
    lines = members.read_text(encoding="utf-8").splitlines()
    lines[2] = lines[2].rsplit(",", 1)[0]  # line 3: its last field gone
    lines[5] = lines[5] + ",extra"  # line 6: one field too many
    members.write_text("\n".join(lines) + "\n", encoding="utf-8")
    capsys.readouterr()
    quarantine = tmp_path / "bad.csv"
    args = ["data", "import", str(src), str(tmp_path / "out"), "--quarantine", str(quarantine)]
    assert run(args) == 2
    err = capsys.readouterr().err
    assert f"{members}:3:" in err and f"{members}:6:" in err
    assert err.count("the row has the wrong number of fields") == 2
    assert not (tmp_path / "out").exists()
    assert not quarantine.exists()


def test_import_quarantine_keeps_every_bad_row(tmp_path: Path) -> None:
    src = _csv_set(tmp_path)
    _spoil(src / "members.csv", 2, "standing", "")
    quarantine = tmp_path / "bad.csv"
    assert (
        run(["data", "import", str(src), str(tmp_path / "out"), "--quarantine", str(quarantine)])
        == 0
    )
    rows = list(csv.DictReader(quarantine.open(encoding="utf-8")))
    assert [
        (r["table"], r["row"], r["column"], r["why"]) for r in rows if r["table"] == "members"
    ] == [("members", "1", "standing", "is empty")]
    assert {(r["table"], r["why"]) for r in rows if r["table"] != "members"} == {
        ("credits", "names member 0, which is quarantined (row 1 of members)")
    }
    import pyarrow.parquet as pq

    assert pq.read_table(tmp_path / "out" / "members.parquet").num_rows == 299


def test_quarantine_takes_the_rows_that_name_a_quarantined_row(tmp_path: Path) -> None:
    import duckdb

    src = _csv_set(tmp_path)
    productions = list(csv.DictReader((src / "productions.csv").open(encoding="utf-8")))
    spoiled_id = productions[1]["production_id"]
    _spoil(src / "productions.csv", 3, "medium", "radio")
    credits = duckdb.sql(
        f"SELECT count(*) FROM '{src / 'credits.csv'}' WHERE production_id = {spoiled_id}"
    ).fetchall()[0]
    events = duckdb.sql(
        f"SELECT count(*) FROM '{src / 'events.csv'}' WHERE production_id = {spoiled_id}"
    ).fetchall()[0]
    assert credits[0] > 0
    quarantine = tmp_path / "bad.csv"
    out = tmp_path / "out"
    assert run(["data", "import", str(src), str(out), "--quarantine", str(quarantine)]) == 0
    rows = list(csv.DictReader(quarantine.open(encoding="utf-8")))
    named = [r for r in rows if r["table"] in ("credits", "events")]
    assert len([r for r in named if r["table"] == "credits"]) == credits[0]
    assert len([r for r in named if r["table"] == "events"]) == events[0]
    assert all(
        r["column"] == "production_id"
        and r["why"]
        == f"names production {spoiled_id}, which is quarantined (row 2 of productions)"
        for r in named
    )
    for table in ("credits", "events"):
        left = duckdb.sql(
            f"SELECT count(*) FROM '{out / table}.parquet' WHERE production_id = {spoiled_id}"
        ).fetchall()[0]
        assert left == (0,)
    written = duckdb.sql(f"SELECT count(*) FROM '{out / 'credits'}.parquet'").fetchall()[0]
    total = duckdb.sql(f"SELECT count(*) FROM '{src / 'credits.csv'}'").fetchall()[0]
    assert written[0] + credits[0] == total[0]
