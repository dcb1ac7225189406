"""Files that once crashed Guildhall, fed to its commands: each is exit 2 with a message
naming the file (and line, or row and field) and why, and nothing is written or lost."""

from __future__ import annotations

import csv
import json
import os
from datetime import UTC, datetime
from pathlib import Path

import pytest
from tests.ballots.ballot_cli import officers, publish_and_credentials
from tests.files.test_yaml_bounds import BOMB

from guildhall.ballots.crypto.trustees import ceremony
from guildhall.cli import ballots as ballots_cli
from guildhall.cli.app import run
from guildhall.core.clock import FixedClock
from guildhall.services import ballots as ballot_service
from guildhall.services import cases
from guildhall.services.ballots.trustee import write_key

ELECTION = "ratify-inputs"
ROLL_HEADER = ["member_id", "standing", "paid_through"]


def cli(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str]:
    capsys.readouterr()
    code = run(list(args))
    out, err = capsys.readouterr()
    assert "Traceback" not in out + err
    return code, err


def _loop(folder: Path, name: str) -> Path:
    path = folder / name
    os.symlink(path, path)
    return path


def _not_files(tmp_path: Path, name: str) -> list[tuple[Path, str]]:
    """A folder and a symlink loop, each named like the file a command expects."""
    folder = tmp_path / "as-folder" / name
    folder.mkdir(parents=True)
    (tmp_path / "as-loop").mkdir()
    loop = _loop(tmp_path / "as-loop", name)
    return [(folder, "is a folder, not a file"), (loop, "is a symlink loop")]


# -- case files and event files ------------------------------------------------------------


def test_case_load_refuses_the_alias_bomb(
    sqlite_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bomb = tmp_path / "case.yaml"
    bomb.write_text(BOMB)
    code, err = cli(capsys, "--db", sqlite_url, "case", "load", str(bomb))
    assert code == 2
    assert f"error: {bomb}:5:4: refused: aliases repeat more than 10,000 values" in err
    assert cases.list_cases(sqlite_url) == []


def test_case_load_and_add_event_refuse_a_folder_or_a_loop(
    sqlite_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    cases.load_demo_case(sqlite_url)
    before = len(cases.get_case(sqlite_url, "sag-2008").events)
    for path, why in _not_files(tmp_path, "case.yaml"):
        assert cli(capsys, "--db", sqlite_url, "case", "load", str(path)) == (
            2,
            f"error: {path}: {why}\n",
        )
        code, err = cli(capsys, "--db", sqlite_url, "case", "add-event", "sag-2008", str(path))
        assert (code, err) == (2, f"error: {path}: {why}\n")
    bomb = tmp_path / "event.yaml"
    bomb.write_text(BOMB)
    code, err = cli(capsys, "--db", sqlite_url, "case", "add-event", "sag-2008", str(bomb))
    assert code == 2 and "refused: aliases repeat" in err
    assert len(cases.get_case(sqlite_url, "sag-2008").events) == before
    assert [c[0] for c in cases.list_cases(sqlite_url)] == ["sag-2008"]


def test_a_case_document_that_is_not_utf8_is_named(
    sqlite_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = Path(__file__).resolve().parents[1] / "cases" / "sag-2008"
    folder = tmp_path / "case"
    (folder / "documents").mkdir(parents=True)
    case_text = (source / "case.yaml").read_text(encoding="utf-8")
    (folder / "case.yaml").write_text(case_text, encoding="utf-8")
    for document in (source / "documents").iterdir():
        (folder / "documents" / document.name).write_bytes(document.read_bytes())
    spoiled = sorted((folder / "documents").iterdir())[0]
    spoiled.write_bytes(b"\xff\xfe" + spoiled.read_bytes())
    code, err = cli(capsys, "--db", sqlite_url, "case", "load", str(folder / "case.yaml"))
    assert code == 2
    assert f"cannot read documents/{spoiled.name}: not UTF-8 text" in err
    assert cases.list_cases(sqlite_url) == []


def test_a_case_document_outside_the_case_folder_is_refused(
    sqlite_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = Path(__file__).resolve().parents[1] / "cases" / "sag-2008" / "case.yaml"
    folder = tmp_path / "case"
    folder.mkdir()
    text = source.read_text(encoding="utf-8")
    first = text.index("file: ") + len("file: ")
    end = text.index("\n", first)
    (folder / "case.yaml").write_text(text[:first] + "../../../../etc/passwd" + text[end:])
    code, err = cli(capsys, "--db", sqlite_url, "case", "load", str(folder / "case.yaml"))
    assert code == 2
    assert "../../../../etc/passwd is outside the case's folder" in err
    assert cases.list_cases(sqlite_url) == []


# -- agreement files -----------------------------------------------------------------------


def test_terms_check_refuses_the_alias_bomb_without_a_memory_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "bomb.yaml").write_text(BOMB)
    code, err = cli(capsys, "terms", "check", str(tmp_path))
    assert code == 2
    assert f"{tmp_path / 'bomb.yaml'}:5:4: refused: aliases repeat more than 10,000" in err


def test_terms_check_on_an_empty_folder_is_an_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, err = cli(capsys, "terms", "check", str(tmp_path))
    assert code == 2
    assert err.startswith(f"error: {tmp_path}: holds no agreement files (*.yaml)\n")


def test_terms_check_names_a_folder_or_a_loop_among_the_files(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    agreements = tmp_path / "agreements"
    agreements.mkdir()
    (agreements / "folder.yaml").mkdir()
    loop = _loop(agreements, "loop.yaml")
    code, err = cli(capsys, "terms", "check", str(agreements))
    assert code == 2
    assert f"error: {agreements / 'folder.yaml'}: is a folder, not a file" in err
    assert f"error: {loop}: is a symlink loop" in err
    code, err = cli(capsys, "terms", "check", str(loop))
    assert code == 2 and err.startswith(f"error: {loop}: is a symlink loop\n")


# -- the roll and the ballots --------------------------------------------------------------


def _roll(path: Path, rows: list[list[str]], *, header: list[str] = ROLL_HEADER) -> Path:
    with path.open("w", newline="", encoding="utf-8") as f:
        csv.writer(f).writerows([header, *rows])
    return path


MEMBERS = [[f"M{i}", "good", "2009-12-31"] for i in range(3)]


@pytest.fixture
def draft(sqlite_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """A draft ratification vote with no roll yet; the CLI's leading options."""
    monkeypatch.setattr(ballots_cli, "CLOCK", FixedClock(datetime(2009, 6, 2, tzinfo=UTC)))
    db = ["--db", sqlite_url, "ballots"]
    assert run([*db, "create", ELECTION, "--question", "ratification", "--text", "Ratify?",
                "--opens", "2009-06-01T00:00:00+00:00", "--closes", "2009-06-09T00:00:00+00:00",
                "--key-dir", str(tmp_path / "keys"), *officers(tmp_path)]) == 0  # fmt: skip
    return db


def _eligible(url: str) -> int:
    return int(ballot_service.status(url, ELECTION)["eligible"])


def _import(db: list[str], path: Path, capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    return cli(capsys, *db, "roll", "import", ELECTION, str(path), "--record-date", "2009-05-31")


def test_roll_import_refuses_what_is_not_a_roll(
    draft: list[str], sqlite_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    for path, why in _not_files(tmp_path, "roll.csv"):
        assert _import(draft, path, capsys) == (2, f"error: {path}: {why}\n")
    latin = tmp_path / "latin1.csv"
    latin.write_bytes(b"member_id,standing,paid_through\nM1,good,2009-12-31\nJos\xe9,good,x\n")
    assert _import(draft, latin, capsys) == (
        2,
        f"error: {latin}:3:4: not UTF-8 text: byte 0xe9 cannot be decoded "
        "(save the file as UTF-8)\n",
    )
    garbage = tmp_path / "garbage.csv"
    garbage.write_bytes(bytes(range(256)) * 4)
    code, err = _import(draft, garbage, capsys)
    # bytes 0..255: byte 10 ends line 1, and 0x80 is the first that is not UTF-8
    assert code == 2 and f"error: {garbage}:2:118: not UTF-8 text: byte 0x80" in err
    printable = tmp_path / "printable.csv"
    printable.write_text('\x00"a,,"\n\r\r"\n', encoding="utf-8")
    code, err = _import(draft, printable, capsys)
    assert code == 2 and f"error: {printable}:1" in err
    extra = _roll(tmp_path / "extra.csv", [[*m, "x@example.org"] for m in MEMBERS],
                  header=[*ROLL_HEADER, "email"])  # fmt: skip
    assert _import(draft, extra, capsys) == (
        2,
        f"error: {extra}:1: field 'email': unknown column 'email' "
        "(the columns are: member_id, standing, paid_through)\n",
    )
    assert _import(draft, _roll(tmp_path / "empty.csv", [], header=[]), capsys) == (
        2,
        f"error: {tmp_path / 'empty.csv'}:1: the file is empty; its first line must be a "
        "header: member_id, standing, paid_through\n",
    )
    assert _eligible(sqlite_url) == 0


def test_a_roll_with_a_byte_order_mark_is_read(
    draft: list[str], sqlite_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = _roll(tmp_path / "excel.csv", MEMBERS)
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())
    code, err = _import(draft, path, capsys)
    assert (code, err) == (0, "")
    assert _eligible(sqlite_url) == 3


def _fifo(folder: Path, name: str) -> Path:
    path = folder / "as-fifo" / name
    path.parent.mkdir(parents=True, exist_ok=True)
    os.mkfifo(path)
    return path


def test_the_authoritys_step_names_a_roll_or_election_file_that_is_not_a_file(
    draft: list[str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The credential authority's machine reads the election file and the roll; a folder,
    a loop or a pipe is named (a pipe is never opened, so nothing hangs), nothing written."""
    roll = _roll(tmp_path / "roll.csv", MEMBERS)
    assert _import(draft, roll, capsys)[0] == 0
    election_file = tmp_path / "election.json"
    assert run([*draft, "publish", ELECTION, "--out", str(election_file)]) == 0
    mailing, signed = tmp_path / "mailing.csv", tmp_path / "signed.json"
    key = str(tmp_path / "ids" / "authority.key.json")

    def make(election: Path, roll_file: Path) -> tuple[int, str]:
        return cli(capsys, "ballots", "credentials", "make", str(election), str(roll_file),
                   "--key", key, "--mailing", str(mailing), "--out", str(signed))  # fmt: skip

    bad = [*_not_files(tmp_path, "roll.csv"), (_fifo(tmp_path, "roll.csv"),
           "is not a regular file (a pipe, socket or device)")]  # fmt: skip
    for path, why in bad:
        assert make(election_file, path) == (2, f"error: {path}: {why}\n")
        assert make(path, roll) == (2, f"error: {path}: {why}\n")
    assert not mailing.exists() and not signed.exists()


def test_verify_names_a_rules_file_that_is_not_a_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    board = tmp_path / "board.jsonl"
    board.write_text("{}\n")
    fifo = _fifo(tmp_path, "sag.yaml")
    for path, why in [*_not_files(tmp_path, "sag.yaml"),
                      (fifo, "is not a regular file (a pipe, socket or device)")]:  # fmt: skip
        code, err = cli(capsys, "ballots", "verify", str(board), "--rules", str(path))
        assert (code, err) == (2, f"error: {path}: {why}\n")


@pytest.fixture
def opened(draft: list[str], tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> list[str]:
    roll = _roll(tmp_path / "roll.csv", MEMBERS)
    assert _import(draft, roll, capsys)[0] == 0
    publish_and_credentials(draft, ELECTION, tmp_path, roll)
    assert run([*draft, "open", ELECTION]) == 0
    return draft


def _cast(url: str) -> int:
    return int(ballot_service.status(url, ELECTION)["cast"])


def test_cast_refuses_empty_or_broken_ballot_files(
    opened: list[str], sqlite_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    empty = tmp_path / "empty.json"
    empty.write_text("")
    code, err = cli(capsys, *opened, "cast", ELECTION, "--ballot", str(empty))
    assert (code, err) == (2, f"error: {empty}:1: is empty; expected JSON\n")
    lines = tmp_path / "ballots.jsonl"
    lines.write_text('{"a": 1}\n{"a": \n[1]\n')
    code, err = cli(capsys, *opened, "cast", ELECTION, "--ballot", str(lines))
    assert code == 2
    assert f"error: {lines}:2:7: not valid JSON: Expecting value" in err
    for path, why in _not_files(tmp_path, "ballot.json"):
        code, err = cli(capsys, *opened, "cast", ELECTION, "--ballot", str(path))
        assert (code, err) == (2, f"error: {path}: {why}\n")
    assert _cast(sqlite_url) == 0


def test_cast_refuses_a_votes_file_with_no_header_and_casts_nothing(
    opened: list[str], sqlite_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with (tmp_path / "mailing.csv").open(encoding="utf-8") as f:
        credentials = [row["credential"] for row in csv.DictReader(f)]
    headless = tmp_path / "votes.csv"
    headless.write_text("".join(f"{c},yes\n" for c in credentials))
    code, err = cli(capsys, *opened, "cast", ELECTION, "--votes", str(headless))
    assert code == 2
    assert f"error: {headless}:1: field '{credentials[0]}': unknown column" in err
    assert f"error: {headless}:1: the header lacks credential, choice" in err
    empty = tmp_path / "empty.csv"
    empty.write_text("")
    code, err = cli(capsys, *opened, "cast", ELECTION, "--votes", str(empty))
    assert (code, err) == (
        2,
        f"error: {empty}:1: the file is empty; its first line must be a header: "
        "credential, choice\n",
    )
    # A bad row after good ones casts none of them.
    late = tmp_path / "late.csv"
    late.write_text(f"credential,choice\n{credentials[0]},yes\n{credentials[1]},maybe\n")
    code, err = cli(capsys, *opened, "cast", ELECTION, "--votes", str(late))
    assert code == 2 and "maybe" in err
    assert _cast(sqlite_url) == 0
    good = tmp_path / "good.csv"
    good.write_bytes(b"\xef\xbb\xbfcredential,choice\n" + f"{credentials[0]},yes\n".encode())
    code, _ = cli(capsys, *opened, "cast", ELECTION, "--votes", str(good))
    assert code == 0 and _cast(sqlite_url) == 1


def test_verify_and_decrypt_refuse_a_board_that_is_not_a_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    key, share = tmp_path / "key.json", tmp_path / "share.json"
    write_key(key, ceremony("inputs", n=3, k=2)[1][0])
    for path, why in _not_files(tmp_path, "board.jsonl"):
        assert cli(capsys, "ballots", "verify", str(path)) == (2, f"error: {path}: {why}\n")
        code, err = cli(capsys, "ballots", "trustee", "decrypt", str(path), "--key", str(key),
                        "--out", str(share))  # fmt: skip
        assert (code, err) == (2, f"error: {path}: {why}\n")
        assert not share.exists()
    empty = tmp_path / "empty.jsonl"
    empty.write_text("")
    code, err = cli(capsys, "ballots", "verify", str(empty))
    assert (code, err) == (2, f"error: {empty}: empty, not a board\n")  # cannot be read as one


# -- data sets -----------------------------------------------------------------------------


def _small_set(tmp_path: Path) -> Path:
    """A tiny, valid data set as CSV files."""
    src = tmp_path / "src"
    src.mkdir()
    out = tmp_path / "gen"
    assert run(["data", "synth", str(out), "--members", "30", "--titles", "4", "--events",
                "50", "--seed", "1"]) == 0  # fmt: skip
    import duckdb

    for table in ("productions", "members", "credits", "events"):
        found = out / table
        pattern = f"{found}/*.parquet" if found.is_dir() else f"{found}.parquet"
        duckdb.sql(f"COPY (SELECT * FROM '{pattern}') TO '{src / table}.csv' (HEADER)")
    return src


@pytest.fixture(scope="module")
def data_source(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _small_set(tmp_path_factory.mktemp("data"))


def _copy(source: Path, tmp_path: Path) -> Path:
    src = tmp_path / "copy"
    src.mkdir(parents=True)
    for path in source.iterdir():
        (src / path.name).write_bytes(path.read_bytes())
    return src


def _import_data(
    capsys: pytest.CaptureFixture[str], src: Path, out: Path, *extra: str
) -> tuple[int, str]:
    return cli(capsys, "data", "import", str(src), str(out), *extra)


def test_data_import_refuses_a_folder_or_a_loop(
    data_source: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "out"
    for broken, why in (("folder", "is a folder, not a file"), ("loop", "is a symlink loop")):
        src = _copy(data_source, tmp_path / broken)
        (src / "members.csv").unlink()
        if broken == "folder":
            (src / "members.csv").mkdir()
        else:
            _loop(src, "members.csv")
        assert _import_data(capsys, src, out) == (2, f"error: {src / 'members.csv'}: {why}\n")
    loop = _loop(tmp_path, "set")
    assert _import_data(capsys, loop, out) == (2, f"error: {loop}: is a symlink loop\n")
    assert not out.exists()


def test_data_import_names_bad_bytes_and_garbage(
    data_source: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    src = _copy(data_source, tmp_path)
    out = tmp_path / "out"
    members = src / "members.csv"
    lines = members.read_bytes().split(b"\n")
    lines[3] = b"\xff" + lines[3]
    members.write_bytes(b"\n".join(lines))
    code, err = _import_data(capsys, src, out)
    assert (code, err) == (
        2,
        f"error: {members}:4:1: not UTF-8 text: byte 0xff cannot be decoded "
        "(save the file as UTF-8)\n",
    )
    members.write_bytes(bytes(range(256)))
    code, err = _import_data(capsys, src, out)
    assert code == 2 and f"error: {members}:2:118: not UTF-8 text: byte 0x80" in err
    members.write_bytes((data_source / "members.csv").read_bytes())
    (src / "productions.csv").unlink()
    (src / "productions.parquet").write_bytes(b"PAR1 this is not parquet")
    code, err = _import_data(capsys, src, out)
    assert code == 2
    assert f"error: {src / 'productions.parquet'}: cannot be read as Parquet:" in err
    assert not out.exists()


def test_data_import_reads_a_byte_order_mark_and_names_an_unknown_column(
    data_source: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    src = _copy(data_source, tmp_path)
    out = tmp_path / "out"
    for name in ("members.csv", "events.csv"):
        (src / name).write_bytes(b"\xef\xbb\xbf" + (src / name).read_bytes())
    assert _import_data(capsys, src, out)[0] == 0
    assert out.is_dir()
    text = (src / "members.csv").read_text(encoding="utf-8-sig").splitlines()
    (src / "members.csv").write_text(
        "\n".join([text[0] + ",nickname", *(line + ",x" for line in text[1:])]) + "\n"
    )
    code, err = _import_data(capsys, src, tmp_path / "second")
    assert code == 2
    assert f"error: {src / 'members.csv'}:1: field 'nickname': unknown column 'nickname'" in err
    assert not (tmp_path / "second").exists()


def test_data_import_with_quarantine_and_a_missing_column_writes_nothing(
    data_source: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    src = _copy(data_source, tmp_path)
    rows = list(csv.reader((src / "events.csv").open(encoding="utf-8")))
    gone = rows[0].index("market")
    with (src / "events.csv").open("w", newline="", encoding="utf-8") as f:
        csv.writer(f).writerows([r[:gone] + r[gone + 1 :] for r in rows])
    out, quarantine = tmp_path / "out", tmp_path / "bad.csv"
    code, err = _import_data(capsys, src, out, "--quarantine", str(quarantine))
    assert code == 2
    assert f"error: {src / 'events.csv'}:1: the header lacks market" in err
    assert "quarantined to" not in err
    assert not out.exists() and not quarantine.exists()


def test_cost_names_a_data_set_it_cannot_read(
    data_source: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = tmp_path / "data"
    assert _import_data(capsys, data_source, data)[0] == 0
    (data / "members.parquet").write_bytes(b"not parquet")
    (data / "productions.parquet").unlink()
    (data / "productions").mkdir()
    code, err = cli(capsys, "cost", "sag-2005", "--data", str(data))
    assert code == 2
    assert f"error: {data / 'productions'}: the folder holds no .parquet files" in err
    assert f"error: {data / 'members.parquet'}: cannot be read as Parquet: " in err
    missing = tmp_path / "absent"
    code, err = cli(capsys, "cost", "sag-2005", "--data", str(missing))
    assert (code, err.strip()) == (2, f"error: {missing}: no such folder")


def test_a_remittance_file_that_is_not_one_is_named(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from datetime import date

    from guildhall.ledger.remittances import read_remittances

    latin = tmp_path / "paid.csv"
    latin.write_bytes(b"\xef\xbb\xbfemployer,reference\nStudio \xe9,r1\n")
    found = read_remittances(latin, date(2009, 1, 1))
    assert [str(p) for p in found.problems] == [
        f"{latin}:2:8: not UTF-8 text: byte 0xe9 cannot be decoded (save the file as UTF-8)"
    ]
    for path, why in _not_files(tmp_path, "paid.csv"):
        found = read_remittances(path, date(2009, 1, 1))
        assert [str(p) for p in found.problems] == [f"{path}: {why}"]
        assert found.good == () and found.bad == ()


def test_the_messages_are_json_free_of_python_reprs(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A problem names the path as the person wrote it, never a PosixPath(...) repr."""
    code, err = cli(capsys, "ballots", "verify", str(tmp_path / "absent.jsonl"))
    assert (code, err) == (2, f"error: {tmp_path / 'absent.jsonl'}: no such file\n")
    assert "PosixPath" not in json.dumps(err)
