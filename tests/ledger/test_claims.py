"""Claims: the steps in order, each a journal entry; time limits with their source; a
shortfall claimed once; filings that refuse to overwrite and never read names as markup."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest

from guildhall.core.errors import Conflict, InvalidInput
from guildhall.ledger.claims import Deadline
from guildhall.services import ledger
from guildhall.services import ledger_claims as claims

from .helpers import CLOCK, LATER, cli, owed

HOSTILE = '<script>alert(1)</script> #panic("x") $x$ *bold* Studio'


def _owe(url: str, employer: str = "Studio A") -> None:
    ledger.record_obligations(
        url,
        [
            (owed(1, 10, 60_000, employer=employer, agreement="sag-2005"), {"title": "Show <b>"}),
            (owed(2, 11, 40_000, employer=employer, agreement="sag-2005"), {}),
        ],
        source_key="test",
        source_kind="costing",
        description={},
        by="staff",
        clock=CLOCK,
    )


def _open(url: str, claim: str = "C-1", **kwargs: object) -> claims.Claim:
    return claims.open_claim(
        url,
        claim,
        employer=str(kwargs.pop("employer", "Studio A")),
        as_of=date(2008, 12, 1),
        by="staff",
        clock=LATER,
        **kwargs,  # type: ignore[arg-type]
    )


def test_a_claim_moves_through_its_steps_in_order_each_a_journal_entry(database_url: str) -> None:
    _owe(database_url)
    claim = _open(database_url)
    assert claim.state == "opened"
    before = len(ledger.journal_entries(database_url))

    def step(name: str, on: date, amount: int | None = None) -> claims.Claim:
        return claims.advance_claim(
            database_url, "C-1", name, on=on, amount_cents=amount, by="staff", clock=LATER
        )

    with pytest.raises(InvalidInput, match="it may move to demand"):
        step("grievance", date(2008, 12, 5))
    step("demand", date(2008, 12, 5))
    with pytest.raises(InvalidInput, match="before the claim's last step"):
        step("grievance", date(2008, 12, 4))
    with pytest.raises(InvalidInput, match="after today"):
        step("grievance", date(2009, 7, 1))
    step("grievance", date(2008, 12, 20))
    step("arbitration_filed", date(2009, 1, 10))
    with pytest.raises(InvalidInput, match="states the amount"):
        step("settlement", date(2009, 4, 7))
    settled = step("settlement", date(2009, 4, 7), 33_000)  # 33 cents on the dollar
    with pytest.raises(InvalidInput, match="may move to paid"):
        step("award", date(2009, 4, 8), 100_000)
    paid = step("paid", date(2009, 5, 12), 33_000)
    assert [s.name for s in paid.steps] == [
        "demand",
        "grievance",
        "arbitration_filed",
        "settlement",
        "paid",
    ]
    assert settled.steps[-1].amount_cents == 33_000
    assert len(ledger.journal_entries(database_url)) == before + 5
    with pytest.raises(InvalidInput, match="the claim is paid"):
        step("demand", date(2009, 5, 13))


def test_a_shortfall_is_claimed_once(database_url: str) -> None:
    _owe(database_url)
    _open(database_url, productions=[1])
    with pytest.raises(InvalidInput, match="is in claim C-1 already"):
        _open(database_url, "C-2")
    assert _open(database_url, "C-3", productions=[2]).claimed_cents > 40_000
    with pytest.raises(Conflict):
        _open(database_url, "C-3", productions=[2])
    with pytest.raises(InvalidInput, match="no shortfall"):
        _open(database_url, "C-4", employer="Nobody")
    with pytest.raises(InvalidInput, match="not a claim id"):
        _open(database_url, "no spaces allowed")


def test_the_time_limit_warns_before_it_runs_out() -> None:
    limit = Deadline(date(2008, 10, 17), 183, date(2008, 4, 17), "sag-2005: 6 months", False, None)
    assert limit.warning(date(2008, 9, 1), filed=False) is None
    assert limit.warning(date(2008, 10, 1), filed=False) == (
        "the time limit to file runs out on 2008-10-17: 16 days left"
    )
    assert "ran out on 2008-10-17 (1 days ago)" in str(
        limit.warning(date(2008, 10, 18), filed=False)
    )
    assert limit.warning(date(2008, 10, 18), filed=True) is None
    unknown = Deadline(None, None, date(2008, 4, 17), "none", True, "not found")
    assert "no time limit to file is stated (not found)" in str(
        unknown.warning(date(2008, 1, 1), False)
    )


def test_the_claim_carries_the_sag_time_limit_from_its_source(database_url: str) -> None:
    _owe(database_url)
    claim = _open(database_url)
    assert claim.deadline.file_by == date(2008, 10, 28) + timedelta(days=183)
    assert "6 months to file" in claim.deadline.source
    view = claims.claim_view(claim, date(2009, 4, 1))
    assert view["warning"] == "the time limit to file runs out on 2009-04-29: 28 days left"


def test_the_filing_refuses_to_overwrite_and_reads_no_name_as_markup(
    database_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from pypdf import PdfReader

    _owe(database_url, employer=HOSTILE)
    _open(database_url, employer=HOSTILE)
    target = tmp_path / "filing"
    (tmp_path / "filing.pdf").write_bytes(b"mine")
    code, _, err = cli(capsys, "--db", database_url, "ledger", "file", "C-1", "--out", str(target))
    assert code == 2 and "exists already" in err
    assert not (tmp_path / "filing.html").exists()
    assert (tmp_path / "filing.pdf").read_bytes() == b"mine"
    code, _, err = cli(
        capsys, "--db", database_url, "ledger", "file", "C-1", "--out", str(target), "--force"
    )
    assert code == 0, err
    page = (tmp_path / "filing.html").read_text()
    assert "<script>" not in page and "&lt;script&gt;" in page
    assert "Show &lt;b&gt;" in page
    text = " ".join(p.extract_text() for p in PdfReader(tmp_path / "filing.pdf").pages)
    assert '#panic("x") $x$ *bold* Studio' in text
    code, _, err = cli(capsys, "--db", database_url, "ledger", "file", "NONE", "--out", str(target))
    assert code == 2 and "no claim 'NONE'" in err
