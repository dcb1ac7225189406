"""Shared pieces of the ledger tests: a fixed clock and obligation records."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

from guildhall.core.clock import FixedClock
from guildhall.ledger.records import Obligation

CLOCK = FixedClock(datetime(2008, 12, 1, 12, 0, tzinfo=UTC))
LATER = FixedClock(datetime(2009, 6, 1, 12, 0, tzinfo=UTC))


def owed(
    production: int,
    performer: int | None,
    cents: int,
    *,
    employer: str = "Studio A",
    agreement: str = "wga-2008",
    period: date = date(2008, 4, 1),
    kind: str = "rental",
    due: date = date(2008, 10, 28),
) -> Obligation:
    return Obligation(employer, agreement, production, performer, period, kind, cents, due)


def cli(capsys: object, *args: str) -> tuple[int, str, str]:
    """Run ``guildhall ARGS`` and return its exit code, standard output and error."""
    from guildhall.cli.app import run

    code = run(list(args))
    out, err = capsys.readouterr()  # type: ignore[attr-defined]
    return code, out, err


CASE = Path(__file__).resolve().parents[2] / "cases" / "sag-2008" / "case.yaml"


def load_case(capsys: object, database_url: str, path: Path = CASE) -> None:
    """Store the sag-2008 case (or the case file at ``path``), whose events the ledger reads."""
    code, _, err = cli(capsys, "--db", database_url, "case", "load", str(path))
    assert code == 0, err


HEADER = "employer,production_id,performer_id,period_start,kind,amount,paid_on,reference\n"
