"""Reconciling the journal: obligations in effect against remittances, as of a date.

The journal's entries go to DuckDB as Arrow tables and through the same Ibis expressions
(``guildhall.ledger.reconcile``) that reconcile Parquet files at scale.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from typing import Any

import ibis
import pyarrow as pa

from guildhall.core.errors import InvalidInput
from guildhall.core.problems import Location, Problem
from guildhall.ledger import journal
from guildhall.ledger.allocation import split
from guildhall.ledger.reconcile import ALLOCATION, collect, reconcile
from guildhall.ledger.records import Entry
from guildhall.ledger.terms import LedgerTerms, ledger_terms
from guildhall.services.ledger import journal_entries, reading_day
from guildhall.terms import load

OBLIGATIONS = pa.schema(
    [
        ("employer", pa.string()),
        ("agreement", pa.string()),
        ("production_id", pa.int64()),
        ("performer_id", pa.int64()),
        ("period_start", pa.date32()),
        ("kind", pa.string()),
        ("amount_cents", pa.int64()),
        ("due_on", pa.date32()),
        ("rate_ppm", pa.int64()),
        ("grace_days", pa.int64()),
    ]
)
REMITTANCES = pa.schema(
    [
        ("employer", pa.string()),
        ("production_id", pa.int64()),
        ("performer_id", pa.int64()),
        ("period_start", pa.date32()),
        ("kind", pa.string()),
        ("amount_cents", pa.int64()),
        ("paid_on", pa.date32()),
        ("reference", pa.string()),
    ]
)

Key = tuple[str, int, date, str]


def terms_of(agreements: set[str]) -> dict[str, LedgerTerms]:
    out = {}
    for agreement_id in sorted(agreements):
        agreement = load(agreement_id)
        terms, problems = ledger_terms(agreement, reading_day(agreement))
        if terms is None:
            raise InvalidInput(problems)
        out[agreement_id] = terms
    return out


def _key(entry: Entry) -> Key:
    return (
        entry.employer,
        entry.production_id or 0,
        entry.period_start or date.min,
        entry.payment_kind or "",
    )


def _tables(
    obligations: list[Entry], remittances: list[Entry], terms: dict[str, LedgerTerms]
) -> tuple[pa.Table, pa.Table]:
    owed = pa.Table.from_pylist(
        [
            {
                "employer": e.employer,
                "agreement": e.agreement,
                "production_id": e.production_id,
                "performer_id": e.performer_id,
                "period_start": e.period_start,
                "kind": e.payment_kind,
                "amount_cents": e.amount_cents,
                "due_on": e.due_on,
                "rate_ppm": terms[e.agreement or ""].rate_ppm_per_month,
                "grace_days": int(terms[e.agreement or ""].grace_days.value or 0),
            }
            for e in obligations
        ],
        schema=OBLIGATIONS,
    )
    paid = pa.Table.from_pylist(
        [
            {
                "employer": e.employer,
                "production_id": e.production_id,
                "performer_id": e.performer_id,
                "period_start": e.period_start,
                "kind": e.payment_kind,
                "amount_cents": e.amount_cents,
                "paid_on": e.paid_on,
                "reference": e.reference,
            }
            for e in remittances
        ],
        schema=REMITTANCES,
    )
    return owed, paid


def _performers(
    rows: list[dict[str, Any]], obligations: list[Entry], remittances: list[Entry], as_of: date
) -> None:
    """Add to each shortfall what each performer was owed and paid: named payments as
    named, a payment naming no performer split by ``allocation.split``."""
    owed: dict[Key, dict[int, int]] = defaultdict(lambda: defaultdict(int))
    for e in obligations:
        if e.performer_id is not None:
            owed[_key(e)][e.performer_id] += e.amount_cents
    named: dict[Key, dict[int, int]] = defaultdict(lambda: defaultdict(int))
    unnamed: dict[Key, int] = defaultdict(int)
    for e in remittances:
        if e.paid_on is not None and e.paid_on > as_of:
            continue
        if e.performer_id is None:
            unnamed[_key(e)] += e.amount_cents
        else:
            named[_key(e)][e.performer_id] += e.amount_cents
    for row in rows:
        key = (row["employer"], row["production_id"], row["period_start"], row["kind"])
        if key not in owed:
            continue
        shares = split(unnamed.get(key, 0), owed[key])
        row["performers"] = [
            {
                "performer_id": p,
                "owed_cents": cents,
                "paid_named_cents": named[key].get(p, 0),
                "paid_allocated_cents": shares.get(p, 0),
            }
            for p, cents in sorted(owed[key].items())
        ]
        row["paid_unnamed_cents"] = unnamed.get(key, 0)


def reconcile_journal(database_url: str, as_of: date) -> dict[str, Any]:
    """Shortfalls, late payments with interest, overpayments and unmatched remittances."""
    entries = journal.in_effect(journal_entries(database_url))
    obligations = [e for e in entries if e.kind == "obligation"]
    remittances = [e for e in entries if e.kind == "remittance"]
    if not obligations and not remittances:
        raise InvalidInput(
            [
                Problem(
                    Location(field="journal"), "the ledger holds no obligations or remittances yet"
                )
            ]
        )
    terms = terms_of({e.agreement for e in obligations if e.agreement})
    owed, paid = _tables(obligations, remittances, terms)
    result = collect(reconcile(ibis.memtable(owed), ibis.memtable(paid), as_of))
    _performers(result["shortfalls"], obligations, remittances, as_of)
    return report(result, as_of, terms)


KEY_COLUMNS = ("employer", "production", "kind", "period")
SHORTFALL_COLUMNS = (*KEY_COLUMNS, "owed_cents", "paid_cents", "unpaid_cents", "interest_cents",
                     "due_on", "days_late", "agreement", "performers?",
                     "paid_unnamed_cents?")  # fmt: skip
LATE_COLUMNS = (*KEY_COLUMNS, "owed_cents", "late_cents", "days_late", "interest_cents",
                "due_on", "agreement")  # fmt: skip
OVERPAYMENT_COLUMNS = (*KEY_COLUMNS, "owed_cents", "paid_cents", "overpaid_cents", "agreement")
UNMATCHED_COLUMNS = ("employer", "production", "performer", "kind", "period", "amount_cents",
                     "paid_on", "reference", "why")  # fmt: skip
"""The report's fields in order; a trailing ``?`` marks one present only where the row has it."""

RENAMED = {"production": "production_id", "performer": "performer_id", "period": "period_start"}
"""Report fields named apart from the reconciliation's columns."""


def _rows(rows: list[dict[str, Any]], columns: tuple[str, ...]) -> list[dict[str, Any]]:
    out = []
    for r in rows:
        row: dict[str, Any] = {}
        for column in columns:
            name = column.rstrip("?")
            source = RENAMED.get(name, name)
            if column.endswith("?") and source not in r:
                continue
            row[name] = r[source]
        out.append(row)
    return out


def report(
    result: dict[str, list[dict[str, Any]]], as_of: date, terms: dict[str, LedgerTerms]
) -> dict[str, Any]:
    """The reconciliation as data: the issue's field names, totals, and the terms used."""
    shortfalls = _rows(result["shortfalls"], SHORTFALL_COLUMNS)
    late = _rows(result["late"], LATE_COLUMNS)
    over = _rows(result["overpayments"], OVERPAYMENT_COLUMNS)
    unmatched = _rows(result["unmatched"], UNMATCHED_COLUMNS)
    return {
        "as_of": as_of,
        "allocation": ALLOCATION,
        "shortfalls": shortfalls,
        "late": late,
        "overpayments": over,
        "unmatched": unmatched,
        "totals": {
            "unpaid_cents": sum(r["unpaid_cents"] for r in shortfalls),
            "interest_on_unpaid_cents": sum(r["interest_cents"] for r in shortfalls),
            "interest_on_late_cents": sum(r["interest_cents"] for r in late),
            "overpaid_cents": sum(r["overpaid_cents"] for r in over),
            "unmatched_cents": sum(r["amount_cents"] for r in unmatched),
        },
        "terms": {a: [t.as_dict() for t in lt.terms()] for a, lt in terms.items()},
    }
