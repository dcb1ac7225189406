"""Importing remittance files: every bad row named and nothing written, a quarantine file
for the bad rows, and a second import of the same file adds nothing."""

from __future__ import annotations

import json
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from guildhall.services import ledger

from .helpers import HEADER, cli

GOOD = HEADER + (
    "Studio A,1,10,2008-04-01,rental,50.00,2008-10-01,R-1\n"
    "Studio A,1,,2008-04-01,rental,120,2008-10-02,R-2\n"
    'Studio B,2,11,2008-04-01,sell_through,"1,000.50",2008-10-03,R-1\n'
)
BAD = HEADER + (
    "Studio A,1,10,2008-04-01,rental,50.00,2008-10-01,R-1\n"
    "Studio A,x,10,2008-04-01,rental,50.001,2008-13-01,R-2\n"
    ",1,10,2008-04-01,Rental!,0,2008-10-01,R-3\n"
    "Studio A,1,10,2008-04-01,rental,5.00,2008-10-01,R-1\n"
    "Studio A,1,10,2008-04-01,rental,5.00,2099-01-01,R-4\n"
)


def _file(tmp_path: Path, text: str, name: str = "paid.csv") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def _count(url: str) -> int:
    return len(ledger.journal_entries(url))


def test_the_same_good_file_twice_adds_nothing_the_second_time(
    database_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = _file(tmp_path, GOOD)
    code, out, err = cli(capsys, "--db", database_url, "ledger", "remittances", "import", str(path))
    assert code == 0, err
    assert "3 remittances added, 0 already" in out
    code, out, _ = cli(
        capsys,
        "--db",
        database_url,
        "ledger",
        "remittances",
        "import",
        str(path),
        "--format",
        "json",
    )
    assert code == 0
    assert json.loads(out)["added"] == 0 and json.loads(out)["already_in_journal"] == 3
    code, out, _ = cli(capsys, "--db", database_url, "ledger", "remittances", "import", str(path))
    assert "nothing new" in out
    assert _count(database_url) == 3
    amounts = sorted(e.amount_cents for e in ledger.journal_entries(database_url))
    assert amounts == [5_000, 12_000, 100_050]
    unnamed = [e for e in ledger.journal_entries(database_url) if e.reference == "R-2"]
    assert unnamed[0].performer_id is None


def test_a_file_with_bad_rows_names_every_one_and_writes_nothing(
    database_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = _file(tmp_path, BAD)
    code, out, err = cli(capsys, "--db", database_url, "ledger", "remittances", "import", str(path))
    assert code == 2
    assert out == ""
    assert "Traceback" not in err
    lines = err.splitlines()
    assert (
        f"error: {path}:3: row 2, field 'production_id': is 'x', not a whole number from 1" in lines
    )
    assert any(":3: row 2, field 'amount'" in line for line in lines)
    assert any(":3: row 2, field 'paid_on'" in line for line in lines)
    assert any(":4: row 3, field 'employer': is empty" in line for line in lines)
    assert any(":4: row 3, field 'kind'" in line for line in lines)
    assert any(":4: row 3, field 'amount': is zero" in line for line in lines)
    assert any(
        ":5: row 4, field 'reference': repeats 'R-1' of Studio A (first at row 1)" in line
        for line in lines
    )
    assert any(":6: row 5, field 'paid_on'" in line and "after today" in line for line in lines)
    assert not any(":2: row 1" in line for line in lines)
    assert _count(database_url) == 0


def test_with_a_quarantine_file_the_good_rows_go_in_and_the_bad_to_it(
    database_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = _file(tmp_path, BAD)
    quarantine = tmp_path / "bad.csv"
    quarantine.write_text("mine\n")
    args = [
        "--db",
        database_url,
        "ledger",
        "remittances",
        "import",
        str(path),
        "--quarantine",
        str(quarantine),
    ]
    code, _, err = cli(capsys, *args)
    assert code == 2 and "exists already" in err
    assert quarantine.read_text() == "mine\n"
    assert _count(database_url) == 0
    code, out, err = cli(capsys, *args, "--force")
    assert code == 0, err
    assert "1 remittances added" in out
    assert "quarantined" in err
    rows = quarantine.read_text().splitlines()
    assert rows[0] == "row,line,column,why,values"
    assert {r.split(",")[0] for r in rows[1:]} == {"2", "3", "4", "5"}
    assert _count(database_url) == 1


def test_a_known_reference_with_other_values_is_a_bad_row(
    database_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    cli(capsys, "--db", database_url, "ledger", "remittances", "import", str(_file(tmp_path, GOOD)))
    changed = _file(tmp_path, GOOD.replace("50.00", "5.00"), "changed.csv")
    code, _, err = cli(
        capsys, "--db", database_url, "ledger", "remittances", "import", str(changed)
    )
    assert code == 2
    assert "reference 'R-1' of Studio A is in the journal already" in err
    assert _count(database_url) == 3


def test_parquet_files_are_checked_the_same_way(
    database_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from datetime import date

    table = pa.table(
        {
            "employer": ["Studio A", "Studio A"],
            "production_id": [1, -4],
            "performer_id": [None, 10],
            "period_start": [date(2008, 4, 1), date(2008, 4, 1)],
            "kind": ["rental", "rental"],
            "amount_cents": [5_000, 7_000],
            "paid_on": [date(2008, 10, 1), date(2008, 10, 1)],
            "reference": ["P-1", "P-2"],
        }
    )
    path = tmp_path / "paid.parquet"
    pq.write_table(table, path)
    code, _, err = cli(capsys, "--db", database_url, "ledger", "remittances", "import", str(path))
    assert code == 2
    assert f"error: {path}: row 2, field 'production_id': is '-4'" in err
    assert _count(database_url) == 0
    pq.write_table(table.slice(0, 1), path)
    code, _, err = cli(capsys, "--db", database_url, "ledger", "remittances", "import", str(path))
    assert code == 0, err
    assert _count(database_url) == 1


def test_a_file_without_the_needed_columns_is_refused(
    database_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = _file(tmp_path, "employer,production_id,amount,colour\nStudio A,1,5,red\n")
    code, _, err = cli(capsys, "--db", database_url, "ledger", "remittances", "import", str(path))
    assert code == 2
    for column in ("period_start", "kind", "paid_on", "reference"):
        assert f"{path}:1: field '{column}': the header lacks this column" in err
    assert f"{path}:1: field 'colour': unknown column" in err
    code, _, err = cli(
        capsys, "--db", database_url, "ledger", "remittances", "import", str(tmp_path / "none.csv")
    )
    assert code == 2 and "no such file" in err
