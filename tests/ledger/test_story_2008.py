"""The 2008 story: what reconciliation finds, and only that.

Meridian Pictures works under the 2008 WGA agreement. It pays the download-rental
residual (1.2% of distributor's gross, in the agreements since 2001–02) on both its
programs, one of them 30 days late, but not the new fixed residual for ad-supported
streaming after the 17-day free window (the WGA's claim, arbitration filed Nov. 2008).
Northlight Television suspended two series regulars during the writers' strike and paid
none of the force majeure pay the SAG agreement owes them (SAG's claim).

Every figure below is worked by hand from the agreement files:

- Program 1 (network TV, produced 2008-02-20, a continuing series; residual base
  $20,000.00; two performers with 1 and 2 units): rental on $100,000.00 of gross =
  $1,200.00; streamed on day 30 after first exhibition, past the 17-day window, so one
  fixed residual of 3% × $20,000.00 = $600.00. Both in the quarter from 2008-04-01, due
  120 days after the quarter ends: 2008-10-28.
- Program 2 (network TV, produced 2000): rental on $50,000.00 = $600.00, due 2008-10-28,
  paid 2008-11-27: 30 days after the due date, 23 after the 7 days' grace.
  Interest: 60,000 cents × 23 days × 18% a year / 365 = 680.55 → $6.81.
- Unpaid streaming residual on 2008-12-01: 27 days past the grace period.
  Interest: 60,000 × 27 × 0.18 / 365 = 798.90 → $7.99.
- Force majeure: suspended 2007-11-15 to 2008-02-12 (90 days, 12.86 weeks); paid for the
  first 5 weeks at 50%: regular 201 at $30,000.00 a week is owed $75,000.00; regular 202
  at $12,500.50 is owed $31,251.25. Due 120 days after the fifth week ends (2007-12-19):
  2008-04-17. On 2008-12-01, 228 days late at the 1% a month (uncertain) SAG rate:
  7,500,000 × 228 × 0.12 / 365 = 562,191.78 → $5,621.92;
  3,125,125 × 228 × 0.12 / 365 = 234,255.95 → $2,342.56.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from tests.costing.tables import write_data_set

from .helpers import cli, load_case

STORY = Path(__file__).parent / "story"


def _data(root: Path) -> Path:
    return write_data_set(
        root,
        {
            "productions": [
                {
                    "production_id": 1,
                    "title": "Coastline",
                    "medium": "network_tv",
                    "production_start": dt.date(2008, 2, 20),
                    "residual_base_cents": 2_000_000,
                    "employer": "Meridian Pictures",
                },
                {
                    "production_id": 2,
                    "title": "The Precinct",
                    "medium": "network_tv",
                    "production_start": dt.date(2000, 9, 1),
                    "residual_base_cents": 1_500_000,
                    "employer": "Meridian Pictures",
                },
            ],
            "credits": [
                {"production_id": 1, "performer_id": 101, "units": 1},
                {"production_id": 1, "performer_id": 102, "units": 2},
                {"production_id": 2, "performer_id": 103, "units": 1},
            ],
            "members": [{"performer_id": p} for p in (101, 102, 103)],
            "events": [
                {
                    "production_id": 1,
                    "market": "rental",
                    "period_start": dt.date(2008, 4, 1),
                    "distributors_gross_cents": 10_000_000,
                    "days_since_first_exhibition": 40,
                },
                {
                    "production_id": 1,
                    "market": "ad_supported_streaming",
                    "period_start": dt.date(2008, 4, 1),
                    "days_since_first_exhibition": 30,
                    "views": 50_000,
                },
                {
                    "production_id": 2,
                    "market": "rental",
                    "period_start": dt.date(2008, 4, 1),
                    "distributors_gross_cents": 5_000_000,
                    "days_since_first_exhibition": 2_000,
                },
            ],
        },
    )


@pytest.fixture
def story(database_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> str:
    db = ["--db", database_url, "ledger"]
    load_case(capsys, database_url)
    data = _data(tmp_path / "data")
    code, out, err = cli(
        capsys,
        *db,
        "obligations",
        "record",
        "wga-2008",
        "--data",
        str(data),
        "--from",
        "2008-04-01",
        "--to",
        "2008-06-30",
    )
    assert code == 0, err
    assert "5 entries added" in out  # rental ×2 performers, streaming ×2, rental ×1
    code, out, err = cli(
        capsys, *db, "obligations", "force-majeure", str(STORY / "suspension.yaml")
    )
    assert code == 0, err
    assert "2 entries added" in out
    code, out, err = cli(capsys, *db, "remittances", "import", str(STORY / "remittances.csv"))
    assert code == 0, err
    return database_url


def test_reconciliation_finds_exactly_the_two_claims_and_the_late_payment(
    story: str, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = cli(
        capsys, "--db", story, "ledger", "reconcile", "--as-of", "2008-12-01", "--format", "json"
    )
    assert code == 0, err
    result = json.loads(out)
    found = [
        (
            s["employer"],
            s["production"],
            s["kind"],
            s["period"],
            s["owed_cents"],
            s["paid_cents"],
            s["interest_cents"],
        )
        for s in result["shortfalls"]
    ]
    assert found == [
        ("Meridian Pictures", 1, "streaming_fixed", "2008-04-01", 60_000, 0, 799),
        ("Northlight Television", 11, "force_majeure", "2007-11-15", 7_500_000, 0, 562_192),
        ("Northlight Television", 12, "force_majeure", "2007-11-15", 3_125_125, 0, 234_256),
    ]
    late = [
        (r["production"], r["kind"], r["late_cents"], r["days_late"], r["interest_cents"])
        for r in result["late"]
    ]
    assert late == [(2, "rental", 60_000, 23, 681)]
    assert result["overpayments"] == []
    assert result["unmatched"] == []
    # The payment for program 1's rental named no performer: split 1:2 by what each is owed.
    streaming = result["shortfalls"][0]["performers"]
    assert [(p["performer_id"], p["owed_cents"]) for p in streaming] == [
        (101, 20_000),
        (102, 40_000),
    ]


def _pdf_text(path: Path) -> str:
    from pypdf import PdfReader

    return "\n".join(page.extract_text() for page in PdfReader(path).pages)


def test_both_claims_are_filed_with_their_amounts_and_parties(
    story: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = ["--db", story, "ledger"]
    code, out, err = cli(
        capsys,
        *db,
        "claim",
        "open",
        "WGA-2008-NM",
        "--employer",
        "Meridian Pictures",
        "--as-of",
        "2008-12-01",
        "--format",
        "json",
    )
    assert code == 0, err
    wga = json.loads(out)
    assert (wga["unpaid_cents"], wga["interest_cents"], wga["claimed_cents"]) == (
        60_000,
        799,
        60_799,
    )
    assert wga["deadline"]["file_by"] is None  # the WGA's time limit is not sourced
    assert "no time limit to file is stated" in err
    code, out, err = cli(
        capsys,
        *db,
        "claim",
        "open",
        "SAG-FM-2008",
        "--employer",
        "Northlight Television",
        "--as-of",
        "2008-12-01",
        "--format",
        "json",
    )
    assert code == 0, err
    sag = json.loads(out)
    assert sag["unpaid_cents"] == 10_625_125
    assert sag["interest_cents"] == 562_192 + 234_256
    # 183 days from 2008-04-17: the SAG claim had to be filed by 2008-10-17.
    assert sag["deadline"]["file_by"] == "2008-10-17"
    assert "ran out on 2008-10-17" in err

    wga_files = tmp_path / "wga-filing"
    code, out, err = cli(capsys, *db, "file", "WGA-2008-NM", "--out", str(wga_files))
    assert code == 0, err
    text = _pdf_text(tmp_path / "wga-filing.pdf")
    for expected in (
        "Writers Guild of America",
        "Meridian Pictures",
        "Coastline",
        "$600.00",
        "$7.99",
        "$607.99",
        "2008-04-01",
        "WGA Theatrical and Television",
        "1.5% a month",
    ):
        assert expected in text, expected
    page = (tmp_path / "wga-filing.html").read_text()
    assert "Meridian Pictures" in page and "$607.99" in page and "<table>" in page

    code, _, err = cli(capsys, *db, "file", "SAG-FM-2008", "--out", str(tmp_path / "sag.pdf"))
    assert code == 0, err
    text = _pdf_text(tmp_path / "sag.pdf")
    for expected in (
        "Screen Actors Guild",
        "Northlight Television",
        "Harbor Lights",
        "The Night Desk",
        "$75,000.00",
        "$31,251.25",
        "$5,621.92",
        "$2,342.56",
        "Section 61(c)",
        "1% a month (uncertain)",
    ):
        assert expected in text.replace("\n", " "), expected
