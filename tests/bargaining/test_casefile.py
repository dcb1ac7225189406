"""Case files: the shipped case is complete and every bad file is refused with file:line:col."""

from __future__ import annotations

from pathlib import Path

import pytest

from guildhall.bargaining.casefile import read_case_file
from guildhall.cli.app import run

REPO = Path(__file__).resolve().parents[2]
CASE = REPO / "cases" / "sag-2008" / "case.yaml"
TEXT = CASE.read_text(encoding="utf-8")


def test_the_sag_2008_case_reads_cleanly() -> None:
    case, problems = read_case_file(CASE)
    assert problems == []
    assert case is not None
    assert len(case.events) == 41
    assert {p.id for p in case.parties} >= {"sag", "amptp", "fmcs", "wga", "iatse"}
    assert {b.id for b in case.bodies} == {"negotiating_committee", "national_board", "membership"}
    assert {p.name for p in case.people} == {
        "Juan Carlos Gonzalez",
        "Alan Rosenberg",
        "Doug Allen",
        "Ray Rodriguez",
    }
    seeds = {d.id for d in case.documents if d.text}
    cited = {s.document for e in case.events for s in e.sources}
    assert seeds <= cited, "every seed article is cited by some event"


def _broken(tmp_path: Path, old: str, new: str) -> Path:
    assert old in TEXT
    folder = tmp_path / "case"
    folder.mkdir()
    (folder / "documents").symlink_to(CASE.parent / "documents")
    path = folder / "case.yaml"
    path.write_text(TEXT.replace(old, new, 1), encoding="utf-8")
    return path


def _line_of(path: Path, needle: str) -> int:
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if needle in line:
            return number
    raise AssertionError(needle)


@pytest.mark.parametrize(
    ("old", "new", "needle", "message"),
    [
        (
            "kind: mediation_requested",
            "kind: mediation_begged",
            "mediation_begged",
            "'mediation_begged' is not one of",
        ),
        (
            "    summary: SAG requests federal mediation.",
            "    summary: SAG requests federal mediation.\n    colour: red",
            "colour: red",
            "unknown key 'colour' for a mediation_requested event",
        ),
        (
            "quote: They last met officially July 16.",
            "quote: They last met officially July 17.",
            "officially July 17",
            "the quote does not appear word for word",
        ),
        (
            "document: 003_05ef28807d0a6d42.txt\n        quote: And that the WGA",
            "document: 004_missing.txt\n        quote: And that the WGA",
            "004_missing",
            "unknown document '004_missing.txt'",
        ),
        (
            '    assumption: \'"Friday" before an article',
            '    note_: \'"Friday" before an article',
            "note_:",
            "unknown key 'note_'",
        ),
        (
            "date: 2008-10-24\n    kind: mediator_met",
            "date: 2008-13-24\n    kind: mediator_met",
            "2008-13-24",
            "expected a date",
        ),
        (
            "    by: national_board\n    parties: [sag]\n    summary: >-\n      SAG's",
            "    by: national_bored\n    parties: [sag]\n    summary: >-\n      SAG's",
            "national_bored",
            "'national_bored' is not a party or body",
        ),
    ],
)
def test_a_broken_case_file_exits_2_with_file_line_and_column(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    old: str,
    new: str,
    needle: str,
    message: str,
) -> None:
    path = _broken(tmp_path, old, new)
    url = f"sqlite:///{tmp_path / 'g.db'}"
    code = run(["--db", url, "case", "load", str(path)])
    _, err = capsys.readouterr()
    assert code == 2
    line = _line_of(path, needle)
    assert f"{path}:{line}:" in err, err
    assert message in err
    assert not (tmp_path / "g.db").exists() or "sag-2008" not in _cases(url)


def _cases(url: str) -> str:
    run(["--db", url, "case", "list"])
    return ""


def test_a_case_naming_an_agreement_with_no_terms_file_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = _broken(tmp_path, "agreement: amptp-2008-final-offer", "agreement: amptp-2008-dream")
    code = run(["--db", f"sqlite:///{tmp_path / 'g.db'}", "case", "load", str(path)])
    _, err = capsys.readouterr()
    assert code == 2
    line = _line_of(path, "amptp-2008-dream")
    assert f"{path}:{line}:16: no agreement 'amptp-2008-dream' in the terms files" in err


def test_an_inferred_event_without_its_assumption_is_refused(tmp_path: Path) -> None:
    path = _broken(tmp_path, "    assumption: Issued on the day of the meeting it describes.\n", "")
    _, problems = read_case_file(path)
    assert [p.what for p in problems] == ["an inferred event must write down its assumption"]


def test_a_case_whose_log_breaks_its_rules_is_refused_with_the_rule(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = _broken(tmp_path, "kind: mediation_requested", "kind: public_statement")
    code = run(["--db", f"sqlite:///{tmp_path / 'g.db'}", "case", "load", str(path)])
    _, err = capsys.readouterr()
    assert code == 2
    assert "mediation-accepted-after-request" in err
    assert f"{path}:{_line_of(path, 'id: mediation-accepted')}:" in err


def test_invalid_yaml_names_the_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "case.yaml"
    path.write_text("id: x\nevents: [\n", encoding="utf-8")
    code = run(["--db", f"sqlite:///{tmp_path / 'g.db'}", "case", "load", str(path)])
    _, err = capsys.readouterr()
    assert code == 2
    assert f"{path}:3:1: not valid YAML" in err
