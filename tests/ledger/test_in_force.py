"""Obligations under the agreement the case's events put in force, period by period.

Worked by hand from cases/sag-2008/case.yaml and agreements/:

- sag-2005's terms file gives no start; its contract expired on 2008-06-30 (#8), and the
  record opens on 2007-11-04 (#1), so it is in force from then to 2008-06-30.
- From 2008-07-01 members kept working under its terms (#37), until the next agreement.
- sag-2009 was ratified on 2009-06-09 (#41); its term runs 2009-06-10 to 2011-06-30.

So the quarters of 2008 and 2009 are: Q1, Q2 2008 sag-2005 (#8); Q3, Q4 2008 and Q1
2009 sag-2005 continued (#8, #37); Q2 2009 divided (sag-2005 to 2009-06-09, sag-2009 from
2009-06-10) and refused; Q3, Q4 2009 sag-2009 (#41). Q4 2007 opens before the record.

The data set: one network series of Northlight Television, two performers with 1 and 3
units, $100,000.00 of pay TV gross in each of the quarters from 2008-01-01, 2008-07-01,
2009-04-01 and 2009-07-01. Pay TV pays 3.6% under all three: $3,600.00, split $900.00 and
$2,700.00; pension and health on it is 14.5% under sag-2005 ($522.00) and 15% under
sag-2009 ($540.00). Due 120 days after the quarter ends.
"""

from __future__ import annotations

import datetime as dt
import json
from datetime import date
from pathlib import Path
from typing import Any

import pytest
import yaml
from tests.costing.tables import write_data_set

from guildhall.bargaining.agreements_in_force import Term, in_force_by_period, quarters
from guildhall.bargaining.records import Event, Source
from guildhall.services import ledger

from .helpers import cli, load_case

QUARTERS_2008_2009 = [
    ("2008-01-01", "sag-2005", ["#8 contract-expires"]),
    ("2008-04-01", "sag-2005", ["#8 contract-expires"]),
    ("2008-07-01", "sag-2005", ["#8 contract-expires", "#37 expired-terms-continue"]),
    ("2008-10-01", "sag-2005", ["#8 contract-expires", "#37 expired-terms-continue"]),
    ("2009-01-01", "sag-2005", ["#8 contract-expires", "#37 expired-terms-continue"]),
    ("2009-07-01", "sag-2009", ["#41 sag-2009-ratified"]),
    ("2009-10-01", "sag-2009", ["#41 sag-2009-ratified"]),
]


def in_force(
    capsys: pytest.CaptureFixture[str], url: str, start: str, end: str
) -> tuple[int, dict[str, Any]]:
    code, out, _ = cli(
        capsys, "--db", url, "ledger", "obligations", "in-force", "--case", "sag-2008",
        "--from", start, "--to", end, "--format", "json",
    )  # fmt: skip
    return code, json.loads(out)


def answers(found: dict[str, Any]) -> list[tuple[str, str, list[str]]]:
    return [
        (p["period_start"], p["agreement"], [e["label"] for e in p["events"]])
        for p in found["periods"]
    ]


def test_the_case_says_which_agreement_was_in_force_each_quarter_of_2008_and_2009(
    sqlite_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    load_case(capsys, sqlite_url)
    code, found = in_force(capsys, sqlite_url, "2008-01-01", "2009-12-31")
    assert code == 2  # the divided quarter is named
    assert answers(found) == QUARTERS_2008_2009
    [divided] = found["problems"]
    assert divided["where"] == {"file": "case sag-2008", "field": "period 2009-04-01"}
    assert (
        "divided between agreements: sag-2005 from 2009-04-01 to 2009-06-09, "
        "sag-2009 from 2009-06-10 to 2009-06-30" in divided["what"]
    )
    code, found = in_force(capsys, sqlite_url, "2007-10-01", "2007-12-31")
    assert code == 2 and found["periods"] == []
    assert "sag-2005 only from 2007-11-04 to 2007-12-31" in found["problems"][0]["what"]
    code, found = in_force(capsys, sqlite_url, "2011-07-01", "2011-09-30")
    assert "sag-2009 was in force to 2011-06-30" in found["problems"][0]["what"]
    code, found = in_force(capsys, sqlite_url, "2008-07-01", "2009-03-31")
    assert code == 0 and not found["problems"] and len(found["periods"]) == 3


def event(seq: int, day: str, kind: str, union: str = "sag", **details: object) -> Event:
    return Event(
        date=date.fromisoformat(day),
        kind=kind,
        summary="s",
        certainty="stated",
        sources=(Source("doc", "q"),),
        union=union,
        id=f"e{seq}",
        seq=seq,
        details=details,
    )


TERMS = {
    "old": Term("old", None, date(2008, 6, 30)),
    "new": Term("new", date(2008, 10, 1), date(2011, 6, 30)),
}


def periods(log: list[Event], first: str, last: str) -> tuple[list[tuple[str, str]], list[str]]:
    found, problems = in_force_by_period(
        log,
        "sag",
        TERMS,
        quarters(date.fromisoformat(first), date.fromisoformat(last)),
        case="c",
    )
    return [(a.period_start.isoformat(), a.agreement) for a in found], [p.what for p in problems]


def test_a_gap_between_agreements_is_named_not_guessed() -> None:
    log = [
        event(1, "2008-01-02", "public_statement"),
        event(2, "2008-06-30", "contract_expired", agreement="old"),
        event(3, "2008-09-20", "ratification", agreement="new"),
    ]
    found, problems = periods(log, "2008-01-01", "2008-12-31")
    # The record opens on 2008-01-02, so not every day of Q1 2008 is known either.
    assert found == [("2008-04-01", "old"), ("2008-10-01", "new")]
    assert len(problems) == 2
    assert "old only from 2008-01-02 to 2008-03-31" in problems[0]
    assert problems[1] == (
        "no agreement is in force on every day of the quarter 2008-07-01 to 2008-09-30: "
        "old was in force to 2008-06-30 (it expired on 2008-06-30 (#2 e2)), and new came "
        "into force only on 2008-10-01"
    )


def test_continued_terms_stop_at_a_strike_and_at_the_end_of_the_record() -> None:
    log = [
        event(1, "2008-01-02", "public_statement"),
        event(2, "2008-06-30", "contract_expired", agreement="old"),
        event(3, "2008-06-30", "expired_terms_continued", agreement="old"),
        event(4, "2008-11-15", "public_statement"),
    ]
    found, problems = periods(log, "2008-07-01", "2009-03-31")
    assert found == [("2008-07-01", "old")]
    assert "the record ends with its last event on 2008-11-15" in problems[0]
    assert "nothing in the record puts an agreement in force after" in problems[1]
    struck = [*log, event(5, "2008-08-10", "strike_started"), event(6, "2009-03-01", "x")]
    found, problems = periods(struck, "2008-07-01", "2008-12-31")
    assert found == []
    assert "old only from 2008-07-01 to 2008-08-09" in problems[0]
    assert "the guild struck on 2008-08-10 (#5 e5)" in problems[0]
    # Another union's strike does not stop the guild's members working.
    other = [*log, event(5, "2008-08-10", "strike_started", union="wga")]
    assert periods(other, "2008-07-01", "2008-09-30") == ([("2008-07-01", "old")], [])


def test_a_retraction_or_a_correction_changes_the_answer(
    sqlite_url: str, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    load_case(capsys, sqlite_url)
    correction = {
        "date": "2009-06-09",
        "kind": "ratification",
        "corrects": "sag-2009-ratified",
        "agreement": "amptp-2008-final-offer",
        "parties": ["sag", "amptp"],
        "summary": "Members ratify the studios' offer of June 30, 2008 (a test's counterfactual).",
        "certainty": "stated",
        "sources": [
            {"document": "001_ca3c4b3eea986f46.txt", "quote": "made June 30 as SAG’s "
             "feature-primetime contract expired"}
        ],
    }  # fmt: skip
    path = tmp_path / "correction.yaml"
    path.write_text(yaml.safe_dump(correction, allow_unicode=True), encoding="utf-8")
    code, _, err = cli(capsys, "--db", sqlite_url, "case", "add-event", "sag-2008", str(path))
    assert code == 0, err
    # The offer's term starts on 2008-07-01 and gives no end: ratified, it is in force from
    # then as far as the record goes (its last event, 2009-06-09), and the 2005 terms no
    # longer continue.
    code, found = in_force(capsys, sqlite_url, "2008-04-01", "2009-06-30")
    assert code == 2
    assert [(p, a) for p, a, _ in answers(found)] == [
        ("2008-04-01", "sag-2005"),
        *[(p, "amptp-2008-final-offer") for p in ("2008-07-01", "2008-10-01", "2009-01-01")],
    ]
    [after] = found["problems"]
    assert "amptp-2008-final-offer only from 2009-04-01 to 2009-06-09" in after["what"]
    assert answers(found)[1][2] == ["#42 (2009-06-09 ratification)"]
    retraction = {
        "date": "2009-06-10",
        "kind": "retraction",
        "corrects": 42,
        "summary": "No such ratification took place.",
        "certainty": "stated",
        "sources": correction["sources"],
    }
    path.write_text(yaml.safe_dump(retraction, allow_unicode=True), encoding="utf-8")
    code, _, err = cli(capsys, "--db", sqlite_url, "case", "add-event", "sag-2008", str(path))
    assert code == 0, err
    # With no ratification left, the 2005 terms continue to the record's last event (the
    # vote's result, 2009-06-09) and nothing is known after it.
    code, found = in_force(capsys, sqlite_url, "2009-01-01", "2009-09-30")
    assert code == 2
    assert answers(found) == [QUARTERS_2008_2009[4]]
    assert "the record ends with its last event on 2009-06-09" in found["problems"][0]["what"]
    assert "nothing in the record puts an agreement in force" in found["problems"][1]["what"]


def _data(root: Path) -> Path:
    starts = (dt.date(2008, 1, 1), dt.date(2008, 7, 1), dt.date(2009, 4, 1), dt.date(2009, 7, 1))
    return write_data_set(
        root,
        {
            "productions": [
                {
                    "production_id": 7,
                    "title": "Harbor Lights",
                    "medium": "network_tv",
                    "production_start": dt.date(2006, 9, 1),
                    "employer": "Northlight Television",
                }
            ],
            "credits": [
                {"production_id": 7, "performer_id": 201, "units": 1},
                {"production_id": 7, "performer_id": 202, "units": 3},
            ],
            "members": [{"performer_id": 201}, {"performer_id": 202}],
            "events": [
                {
                    "production_id": 7,
                    "market": "pay_tv",
                    "period_start": d,
                    "distributors_gross_cents": 10_000_000,
                }
                for d in starts
            ],
        },
    )


def record(
    capsys: pytest.CaptureFixture[str], url: str, *args: str
) -> tuple[int, dict[str, Any] | str]:
    code, out, err = cli(
        capsys, "--db", url, "ledger", "obligations", "record", *args, "--format", "json"
    )
    return code, (json.loads(out) if code == 0 else err)


def owed(url: str) -> list[tuple[str, str | None, int, str | None, int, str]]:
    """Obligations in effect; 0 stands for one owed per production, to no one performer."""
    return sorted(
        (
            str(e.period_start),
            e.agreement,
            e.performer_id or 0,
            e.payment_kind,
            e.amount_cents,
            str(e.due_on),
        )
        for e in ledger.obligations_in_effect(url)
    )


def test_obligations_are_recorded_under_the_agreement_in_force_each_period(
    database_url: str, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    load_case(capsys, database_url)
    data = str(_data(tmp_path / "data"))
    code, why = record(capsys, database_url, "--case", "sag-2008", "--data", data)
    assert code == 2 and "period 2009-04-01" in str(why) and "divided" in str(why)
    assert ledger.journal_entries(database_url) == [], "nothing is written"
    case = ("--case", "sag-2008", "--data", data)
    code, first = record(capsys, database_url, *case, "--to", "2009-03-31")
    assert code == 0, first
    code, second = record(capsys, database_url, *case, "--from", "2009-07-01")
    assert code == 0, second
    assert isinstance(first, dict) and isinstance(second, dict)
    assert (first["added"], second["added"]) == (6, 3)
    assert owed(database_url) == [
        ("2008-01-01", "sag-2005", 0, "pension_health_residuals", 52_200, "2008-07-29"),
        ("2008-01-01", "sag-2005", 201, "pay_tv", 90_000, "2008-07-29"),
        ("2008-01-01", "sag-2005", 202, "pay_tv", 270_000, "2008-07-29"),
        ("2008-07-01", "sag-2005", 0, "pension_health_residuals", 52_200, "2009-01-28"),
        ("2008-07-01", "sag-2005", 201, "pay_tv", 90_000, "2009-01-28"),
        ("2008-07-01", "sag-2005", 202, "pay_tv", 270_000, "2009-01-28"),
        ("2009-07-01", "sag-2009", 0, "pension_health_residuals", 54_000, "2010-01-28"),
        ("2009-07-01", "sag-2009", 201, "pay_tv", 90_000, "2010-01-28"),
        ("2009-07-01", "sag-2009", 202, "pay_tv", 270_000, "2010-01-28"),
    ]
    # Each run of quarters under one agreement, and the same events, has its own source.
    assert len(first["sources"]) == 2 and len(second["sources"]) == 1
    by_period = {str(e.period_start): e for e in ledger.obligations_in_effect(database_url)}
    assert by_period["2008-01-01"].source.startswith("case:sag-2008:sag-2005:8:")
    assert by_period["2008-07-01"].source.startswith("case:sag-2008:sag-2005:8-37:")
    assert by_period["2009-07-01"].source.startswith("case:sag-2008:sag-2009:41:")
    assert by_period["2008-07-01"].details["in_force_by"] == [
        "#8 contract-expires",
        "#37 expired-terms-continue",
    ]
    descriptions = ledger.source_descriptions(database_url)
    said = descriptions[by_period["2009-07-01"].source]
    assert said["case"] == "sag-2008" and said["agreement"] == "sag-2009"
    assert [e["id"] for e in said["in_force"][0]["events"]] == ["sag-2009-ratified"]
    assert [p["period_start"] for p in said["in_force"]] == ["2009-07-01"]

    # Recorded again, nothing is added.
    code, again = record(capsys, database_url, *case, "--to", "2009-03-31")
    assert code == 0 and isinstance(again, dict) and (again["added"], again["already"]) == (0, 6)
    assert len(ledger.journal_entries(database_url)) == 9

    # Reconciliation reads them as any obligations: nothing is paid, so all is short.
    code, out, err = cli(
        capsys, "--db", database_url, "ledger", "reconcile", "--as-of", "2010-06-30",
        "--format", "json",
    )  # fmt: skip
    assert code == 0, err
    short = json.loads(out)["shortfalls"]
    assert [(s["period"], s["agreement"], s["kind"], s["unpaid_cents"]) for s in short] == [
        ("2008-01-01", "sag-2005", "pay_tv", 360_000),
        ("2008-01-01", "sag-2005", "pension_health_residuals", 52_200),
        ("2008-07-01", "sag-2005", "pay_tv", 360_000),
        ("2008-07-01", "sag-2005", "pension_health_residuals", 52_200),
        ("2009-07-01", "sag-2009", "pay_tv", 360_000),
        ("2009-07-01", "sag-2009", "pension_health_residuals", 54_000),
    ]


def test_agreement_and_case_together_are_refused_and_nothing_is_written(
    database_url: str, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    load_case(capsys, database_url)
    data = str(_data(tmp_path / "data"))
    code, why = record(capsys, database_url, "sag-2005", "--case", "sag-2008", "--data", data)
    assert code == 2
    assert "both AGREEMENT and --case given" in str(why) and "Traceback" not in str(why)
    code, why = record(capsys, database_url, "--data", data)
    assert code == 2 and "neither AGREEMENT nor --case given" in str(why)
    code, why = record(capsys, database_url, "--case", "nope", "--data", data)
    assert code == 2 and "nope" in str(why)
    assert ledger.journal_entries(database_url) == []


def test_a_period_owed_under_another_agreement_is_refused(
    sqlite_url: str, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    load_case(capsys, sqlite_url)
    data = str(_data(tmp_path / "data"))
    code, _ = record(
        capsys, sqlite_url, "amptp-2008-final-offer", "--data", data,
        "--from", "2008-07-01", "--to", "2008-09-30",
    )  # fmt: skip
    assert code == 0
    before = len(ledger.journal_entries(sqlite_url))
    code, why = record(
        capsys, sqlite_url, "--case", "sag-2008", "--data", data,
        "--from", "2008-01-01", "--to", "2008-09-30",
    )  # fmt: skip
    assert code == 2
    assert "owed under amptp-2008-final-offer in the journal" in str(why)
    assert "the case now puts sag-2005 in force" in str(why)
    assert len(ledger.journal_entries(sqlite_url)) == before, "nothing is written"


STRIKE_ONLY = """case: sag-2008
event: wga-strike-starts
employer: Northlight Television
regulars:
  - {production: 11, performer: 201, weekly_salary: "30000.00", title: "Harbor Lights"}
"""


def force_majeure(
    capsys: pytest.CaptureFixture[str], url: str, path: Path, text: str
) -> tuple[int, str, str]:
    path.write_text(text, encoding="utf-8")
    return cli(
        capsys, "--db", url, "ledger", "obligations", "force-majeure", str(path),
        "--format", "json",
    )  # fmt: skip


def test_a_suspension_takes_its_dates_and_agreement_from_the_strike_in_the_case(
    database_url: str, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    load_case(capsys, database_url)
    code, out, err = force_majeure(capsys, database_url, tmp_path / "s.yaml", STRIKE_ONLY)
    assert code == 0, err
    # 2007-11-05 to 2008-02-12 (the strike ended on 2008-02-13): 100 days, more than the
    # 5 paid weeks; 5 × $30,000.00 × 50% = $75,000.00, due 120 days after 2007-12-09.
    assert json.loads(out)["source"] == (
        "suspension:Northlight Television:sag-2005:2007-11-05:2008-02-12"
    )
    [entry] = ledger.obligations_in_effect(database_url)
    assert (entry.agreement, entry.amount_cents, str(entry.due_on)) == (
        "sag-2005",
        7_500_000,
        "2008-04-07",
    )
    said = ledger.source_descriptions(database_url)[entry.source]
    assert said["strike"] == {"started": "#2 wga-strike-starts", "ended": "#5 wga-strike-ends"}
    assert said["in_force"]["agreement"] == "sag-2005"
    assert said["in_force"]["events"] == ["#8 contract-expires"]


@pytest.mark.parametrize(
    ("lines", "where", "message"),
    [
        ("suspended_from: 2007-11-01\n", ":4:", "before the strike began on 2007-11-05"),
        ("suspended_to: 2008-02-13\n", ":4:", "but its last day was 2008-02-12"),
        ("suspended_from: 2008-03-01\n", ":4:", "after the strike"),
        ("agreement: sag-2009\n", ":4:", "names sag-2009, but the case puts sag-2005 in force"),
    ],
)
def test_a_suspension_that_disagrees_with_the_case_is_refused(
    sqlite_url: str,
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
    lines: str,
    where: str,
    message: str,
) -> None:
    load_case(capsys, sqlite_url)
    text = STRIKE_ONLY.replace("regulars:\n", lines + "regulars:\n")
    path = tmp_path / "s.yaml"
    code, _, err = force_majeure(capsys, sqlite_url, path, text)
    assert code == 2
    assert f"{path}{where}" in err and message in err, err
    assert ledger.journal_entries(sqlite_url) == []


def test_a_suspension_naming_no_strike_or_a_withdrawn_one_is_refused(
    sqlite_url: str, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    path = tmp_path / "s.yaml"
    code, _, err = force_majeure(capsys, sqlite_url, path, STRIKE_ONLY)
    assert code == 2 and "case 'sag-2008' is not in the store" in err
    load_case(capsys, sqlite_url)
    text = STRIKE_ONLY.replace("wga-strike-starts", "wga-strike-ends")
    code, _, err = force_majeure(capsys, sqlite_url, path, text)
    assert code == 2 and f"{path}:2:" in err and "not the start of a strike" in err
    code, _, err = force_majeure(capsys, sqlite_url, path, STRIKE_ONLY.replace("event: w", "x: w"))
    assert code == 2 and "names a case but no event" in err
    retraction = {
        "date": "2008-11-23",
        "kind": "retraction",
        "corrects": "wga-strike-starts",
        "summary": "Withdrawn (a test's counterfactual).",
        "certainty": "stated",
        "sources": [{"document": "002_ac8fbb611370980d.txt", "quote": "since July 16"}],
    }
    event_file = tmp_path / "retraction.yaml"
    event_file.write_text(yaml.safe_dump(retraction), encoding="utf-8")
    code, _, err = cli(capsys, "--db", sqlite_url, "case", "add-event", "sag-2008", str(event_file))
    assert code == 0, err
    code, _, err = force_majeure(capsys, sqlite_url, path, STRIKE_ONLY)
    assert code == 2 and "was corrected or retracted" in err
    assert ledger.journal_entries(sqlite_url) == []
