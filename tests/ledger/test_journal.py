"""The journal: append-only in the database, idempotent by key, corrected by reversal,
balances derived from the entries."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from guildhall.core.errors import InvalidInput, NotFound
from guildhall.services import ledger
from guildhall.store.db import store_for

from .helpers import CLOCK, owed


def _record(url: str, *obligations: object) -> ledger.Recorded:
    return ledger.record_obligations(
        url,
        [(o, {}) for o in obligations],  # type: ignore[misc]
        source_key="test:costing",
        source_kind="costing",
        description={"agreement": "wga-2008"},
        by="staff",
        clock=CLOCK,
    )


def test_recording_the_same_obligations_twice_adds_nothing(database_url: str) -> None:
    first = _record(database_url, owed(1, 10, 5_000), owed(1, 11, 7_000))
    again = _record(database_url, owed(1, 10, 5_000), owed(1, 11, 7_000), owed(2, 12, 1))
    assert (first.added, first.already) == (2, 0)
    assert (again.added, again.already) == (1, 2)
    assert [b.owed_cents for b in ledger.balances(database_url)] == [12_001]


def test_a_correction_is_a_reversing_entry_and_the_balance_follows(database_url: str) -> None:
    _record(database_url, owed(1, 10, 5_000), owed(1, 11, 7_000))
    target = ledger.obligations_in_effect(database_url)[0]
    reversal = ledger.reverse_entry(
        database_url, target.seq, reason="wrong units", by="staff", clock=CLOCK
    )
    assert reversal.reverses == target.seq
    assert reversal.amount_cents == -5_000
    entries = ledger.journal_entries(database_url)
    assert len(entries) == 3  # nothing was removed
    assert [e.performer_id for e in ledger.obligations_in_effect(database_url)] == [11]
    assert [b.owed_cents for b in ledger.balances(database_url)] == [7_000]
    with pytest.raises(InvalidInput, match="already reversed"):
        ledger.reverse_entry(database_url, target.seq, reason="again", by="staff", clock=CLOCK)
    with pytest.raises(InvalidInput, match="itself a reversal"):
        ledger.reverse_entry(database_url, reversal.seq, reason="undo", by="staff", clock=CLOCK)
    with pytest.raises(NotFound):
        ledger.reverse_entry(database_url, 999, reason="none", by="staff", clock=CLOCK)


def test_balances_as_of_a_date_count_what_was_due(database_url: str) -> None:
    _record(database_url, owed(1, 10, 5_000, due=date(2008, 10, 28)))
    _record(database_url, owed(1, 10, 9_000, period=date(2008, 7, 1), due=date(2009, 1, 28)))
    assert [b.owed_cents for b in ledger.balances(database_url, date(2008, 12, 1))] == [5_000]
    assert [b.owed_cents for b in ledger.balances(database_url)] == [14_000]


@pytest.mark.parametrize("table", ["ledger_entries", "ledger_sources"])
@pytest.mark.parametrize(
    "statement", ["UPDATE {table} SET by = 'someone else'", "DELETE FROM {table}"]
)
def test_the_database_refuses_to_change_or_remove_entries(
    database_url: str, table: str, statement: str
) -> None:
    _record(database_url, owed(1, 10, 5_000))
    store = store_for(database_url)
    with pytest.raises(DBAPIError, match="append-only"), store.engine.begin() as conn:
        conn.execute(text(statement.format(table=table)))
    assert [b.owed_cents for b in ledger.balances(database_url)] == [5_000]
