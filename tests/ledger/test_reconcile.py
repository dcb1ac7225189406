"""Reconciliation: shortfalls, late payments with interest computed by hand, overpayments,
unmatched remittances, and payments for a whole production split among its performers."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from guildhall.services import ledger
from guildhall.services.ledger_reconcile import reconcile_journal

from .helpers import CLOCK, HEADER, LATER, cli, owed


def _owe(url: str, *obligations: object) -> None:
    ledger.record_obligations(
        url,
        [(o, {}) for o in obligations],  # type: ignore[misc]
        source_key="test",
        source_kind="costing",
        description={},
        by="staff",
        clock=CLOCK,
    )


def _pay(url: str, tmp_path: Path, *rows: str) -> None:
    path = tmp_path / f"paid-{len(list(tmp_path.iterdir()))}.csv"
    path.write_text(HEADER + "".join(r + "\n" for r in rows))
    ledger.import_remittances(url, path, by="staff", clock=LATER)


def test_interest_on_a_late_payment_as_computed_by_hand(database_url: str, tmp_path: Path) -> None:
    # $10,000.00 due 2008-10-28 under wga-2008 (1.5% a month, 7 days' grace), paid
    # 2009-01-04: 68 days after the due date, 61 after the grace period.
    # 1,000,000 cents × 61 days × 18% a year / 365 = 30,082.19 cents → $300.82.
    _owe(database_url, owed(1, None, 1_000_000))
    _pay(database_url, tmp_path, "Studio A,1,,2008-04-01,rental,10000.00,2009-01-04,R-1")
    result = reconcile_journal(database_url, date(2009, 2, 1))
    assert result["shortfalls"] == []
    assert result["late"] == [
        {
            "employer": "Studio A",
            "production": 1,
            "kind": "rental",
            "period": date(2008, 4, 1),
            "owed_cents": 1_000_000,
            "late_cents": 1_000_000,
            "days_late": 61,
            "interest_cents": 30_082,
            "due_on": date(2008, 10, 28),
            "agreement": "wga-2008",
        }
    ]
    # Within the grace period: no interest, not late.
    assert (
        reconcile_journal(database_url, date(2008, 11, 4))["shortfalls"][0]["interest_cents"] == 0
    )


def test_part_paid_on_time_part_late_the_rest_unpaid_and_overpaid_elsewhere(
    database_url: str, tmp_path: Path
) -> None:
    _owe(
        database_url,
        owed(1, 10, 60_000),
        owed(1, 11, 40_000),
        owed(2, 12, 10_000),
        owed(3, 13, 5_000, due=date(2009, 6, 1)),  # not due on the day of reconciliation
    )
    _pay(
        database_url,
        tmp_path,
        "Studio A,1,,2008-04-01,rental,300.00,2008-10-20,A",  # on time, for the production
        "Studio A,1,,2008-04-01,rental,500.00,2008-11-14,B",  # 17 days after due, 10 of interest
        "Studio A,2,12,2008-04-01,rental,130.00,2008-10-01,C",  # 30.00 over
        "Studio A,1,99,2008-04-01,rental,1.00,2008-10-01,D",  # a performer not owed on it
        "Studio A,1,,2008-04-01,streaming_fixed,2.00,2008-10-01,E",  # a kind not owed
        "Studio B,1,,2008-04-01,rental,3.00,2008-10-01,F",  # another employer
    )
    result = reconcile_journal(database_url, date(2008, 12, 1))
    (short,) = result["shortfalls"]
    # Unpaid $200.00 for 34 days after the grace period (due 2008-10-28, grace to 11-04):
    # 20,000 × 27 × 0.18 / 365 = 266.30 cents → 266.
    assert (short["production"], short["owed_cents"], short["paid_cents"]) == (1, 100_000, 80_000)
    assert (short["unpaid_cents"], short["days_late"], short["interest_cents"]) == (20_000, 27, 266)
    # The payments naming no performer are split 60:40 by what each is owed.
    assert short["performers"] == [
        {
            "performer_id": 10,
            "owed_cents": 60_000,
            "paid_named_cents": 0,
            "paid_allocated_cents": 48_000,
        },
        {
            "performer_id": 11,
            "owed_cents": 40_000,
            "paid_named_cents": 0,
            "paid_allocated_cents": 32_000,
        },
    ]
    (late,) = result["late"]
    # $500.00 paid 17 days after due, 10 after the grace: 50,000 × 10 × 0.18 / 365 = 246.58.
    assert (late["late_cents"], late["days_late"], late["interest_cents"]) == (50_000, 10, 247)
    (over,) = result["overpayments"]
    assert (over["production"], over["overpaid_cents"]) == (2, 3_000)
    assert [(u["reference"], u["why"][:10]) for u in result["unmatched"]] == [
        ("D", "names a pe"),
        ("E", "no obligat"),
        ("F", "no obligat"),
    ]
    assert result["totals"]["unpaid_cents"] == 20_000


def test_a_reversed_remittance_no_longer_pays(database_url: str, tmp_path: Path) -> None:
    _owe(database_url, owed(1, 10, 60_000))
    _pay(database_url, tmp_path, "Studio A,1,10,2008-04-01,rental,600.00,2008-10-20,A")
    assert reconcile_journal(database_url, date(2008, 12, 1))["shortfalls"] == []
    (paid,) = ledger.journal_entries(database_url, kind="remittance")
    ledger.reverse_entry(
        database_url, paid.seq, reason="the cheque bounced", by="staff", clock=CLOCK
    )
    (short,) = reconcile_journal(database_url, date(2008, 12, 1))["shortfalls"]
    assert (short["owed_cents"], short["paid_cents"]) == (60_000, 0)


def test_reconcile_from_the_command_line(
    database_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _owe(database_url, owed(1, 10, 60_000))
    db = ["--db", database_url, "ledger", "reconcile"]
    code, out, err = cli(capsys, *db, "--as-of", "2008-12-01", "--format", "json")
    assert code == 0, err
    (short,) = json.loads(out)["shortfalls"]
    assert {
        k: short[k]
        for k in ("employer", "production", "kind", "period", "owed_cents", "paid_cents")
    } == {
        "employer": "Studio A",
        "production": 1,
        "kind": "rental",
        "period": "2008-04-01",
        "owed_cents": 60_000,
        "paid_cents": 0,
    }
    assert short["interest_cents"] == 799  # 60,000 × 27 × 0.18 / 365 = 798.90
    code, out, _ = cli(capsys, *db, "--as-of", "2008-12-01", "--format", "csv")
    assert out.splitlines()[1].startswith(
        "shortfall,Studio A,1,2008-04-01,rental,60000,0,60000,799"
    )
    code, out, _ = cli(capsys, *db, "--as-of", "2008-12-01")
    assert "owed $600.00, unpaid $600.00, interest $7.99" in out
    target = tmp_path / "report.json"
    target.write_text("keep")
    code, _, err = cli(capsys, *db, "--as-of", "2008-12-01", "--output", str(target))
    assert code == 2 and "exists already" in err and target.read_text() == "keep"
    code, _, err = cli(capsys, *db, "--as-of", "2008-12-32")
    assert code == 2 and "'2008-12-32' is not a date" in err
    code, _, err = cli(capsys, *db, "--as-of", "2008-12-01", "--format", "xml")
    assert code == 2
