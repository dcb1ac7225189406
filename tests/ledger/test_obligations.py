"""Recording obligations: from a costing, from a suspension file; bad input named, nothing
written."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from guildhall.services import ledger

from .helpers import cli, load_case

STORY = Path(__file__).parent / "story"


def test_a_suspension_file_with_mistakes_is_refused_with_each_named(
    database_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text(
        "agreement: sag-2005\n"
        "employer: Northlight Television\n"
        "suspended_from: 2008-02-12\n"
        "suspended_to: 2007-11-15\n"
        "regulars:\n"
        "  - {production: 11, performer: 201, weekly_salary: '30000.005'}\n"
        "  - {production: 11, performer: 201, weekly_salary: '100'}\n"
        "  - {production: -1, performer: 202, weekly_salary: 'lots'}\n"
    )
    code, _, err = cli(
        capsys, "--db", database_url, "ledger", "obligations", "force-majeure", str(bad)
    )
    assert code == 2
    assert f"{bad}:4:" in err and "before it starts" in err
    assert f"{bad}:6:" in err and "at most two decimals" in err
    assert f"{bad}:8:" in err and "'lots'" in err
    assert ledger.journal_entries(database_url) == []


def test_an_agreement_without_force_majeure_owes_none(
    database_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # The studios' final offer of 2008 deleted the force majeure clause.
    text = (STORY / "suspension.yaml").read_text().replace("case: sag-2008\n", "")
    text = text.replace("agreement: sag-2005", "agreement: amptp-2008-final-offer")
    text = text.replace("suspended_from: 2007-11-15", "suspended_from: 2008-07-15")
    text = text.replace("suspended_to: 2008-02-12", "suspended_to: 2008-09-12")
    path = tmp_path / "offer.yaml"
    path.write_text(text)
    code, _, err = cli(
        capsys, "--db", database_url, "ledger", "obligations", "force-majeure", str(path)
    )
    assert code == 2
    assert "amptp-2008-final-offer owes no force majeure pay for this suspension" in err
    assert ledger.journal_entries(database_url) == []


PLAIN = """id: plain-2008
name: An agreement that states no payment terms
guild: WGA
employers: [AMPTP]
kind: ratified_agreement
status: expired
term: {from: 2008-02-13, to: 2011-05-01}
formulas: [rental_residual]
parameters:
  rental_percent:
    unit: percent_of_distributors_gross
    description: Rental residual.
    values:
      - value: 1.2
        source: {document: A document, section: s. 1, quote: "1.2%"}
"""


def test_an_agreement_stating_no_payment_terms_is_refused(
    database_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    agreement = tmp_path / "plain-2008.yaml"
    agreement.write_text(PLAIN)
    code, _, err = cli(
        capsys, "--db", database_url, "ledger", "obligations", "record", str(agreement),
        "--data", str(tmp_path),
    )  # fmt: skip
    assert code == 2
    assert "plain-2008 states no residual_payment_due_days" in err
    assert "add the parameter, with its source" in err
    assert ledger.journal_entries(database_url) == []


def test_recording_a_suspension_twice_adds_nothing_and_lists_what_is_owed(
    database_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    load_case(capsys, database_url)
    db = ["--db", database_url, "ledger", "obligations"]
    cli(capsys, *db, "force-majeure", str(STORY / "suspension.yaml"))
    code, out, _ = cli(
        capsys, *db, "force-majeure", str(STORY / "suspension.yaml"), "--format", "json"
    )
    assert code == 0 and json.loads(out)["added"] == 0 and json.loads(out)["already"] == 2
    code, out, _ = cli(capsys, *db, "--format", "json")
    owed = json.loads(out)
    assert [(o["performer"], o["amount_cents"], o["due_on"]) for o in owed] == [
        (201, 7_500_000, "2008-04-17"),
        (202, 3_125_125, "2008-04-17"),
    ]
    assert owed[0]["details"]["paid_weeks"] == "5.00"
    assert owed[0]["source"].startswith("suspension:Northlight Television:sag-2005")
