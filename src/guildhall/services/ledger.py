"""Ledger services: record what employers owe and pay, correct entries, reconcile.

One function per user action, each one transaction on the store: committed whole or not
at all. The CLI and the web app call these.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path
from typing import Any

from guildhall.core.clock import Clock, SystemClock
from guildhall.core.errors import InvalidInput, NotFound
from guildhall.core.problems import Location, Problem
from guildhall.files.output import write_text
from guildhall.ledger import journal
from guildhall.ledger.obligations import force_majeure, read_suspension
from guildhall.ledger.records import Entry, Obligation, Remittance
from guildhall.ledger.remittances import quarantine_csv, read_remittances
from guildhall.ledger.terms import LedgerTerms, ledger_terms
from guildhall.store import ledger_repo
from guildhall.store.db import store_for
from guildhall.terms import load


def _clock(clock: Clock | None) -> Clock:
    return clock or SystemClock()


def obligation_entry(
    obligation: Obligation, *, at: Any, by: str, details: dict[str, Any] | None = None
) -> Entry:
    return Entry(
        seq=0,
        key=obligation.key(),
        kind="obligation",
        employer=obligation.employer,
        production_id=obligation.production_id,
        performer_id=obligation.performer_id,
        period_start=obligation.period_start,
        payment_kind=obligation.kind,
        amount_cents=obligation.amount_cents,
        recorded_at=at,
        by=by,
        source="",
        agreement=obligation.agreement,
        due_on=obligation.due_on,
        details=details or {},
    )


def remittance_entry(remittance: Remittance, *, at: Any, by: str, details: dict[str, Any]) -> Entry:
    return Entry(
        seq=0,
        key=remittance.key(),
        kind="remittance",
        employer=remittance.employer,
        production_id=remittance.production_id,
        performer_id=remittance.performer_id,
        period_start=remittance.period_start,
        payment_kind=remittance.kind,
        amount_cents=remittance.amount_cents,
        recorded_at=at,
        by=by,
        source="",
        paid_on=remittance.paid_on,
        reference=remittance.reference,
        details=details,
    )


@dataclass(frozen=True)
class Recorded:
    """What a recording did: entries added, and how many were in the journal already."""

    added: int
    already: int
    source: str
    details: dict[str, Any] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        return {"added": self.added, "already": self.already, "source": self.source, **self.details}


def record_obligations(
    database_url: str,
    obligations: list[tuple[Obligation, dict[str, Any]]],
    *,
    source_key: str,
    source_kind: str,
    description: dict[str, Any],
    by: str,
    clock: Clock | None = None,
) -> Recorded:
    """Append obligations to the journal; those whose key is there already add nothing."""
    at = _clock(clock).now()
    entries = [obligation_entry(o, at=at, by=by, details=d) for o, d in obligations]
    with store_for(database_url).session() as session:
        source = ledger_repo.source_pk(session, source_key, source_kind, description, at=at, by=by)
        added = ledger_repo.append(session, entries, source)
    return Recorded(len(added), len(entries) - len(added), source_key)


def agreement_terms(agreement_id: str, on: date) -> tuple[Any, LedgerTerms]:
    agreement = load(agreement_id)
    terms, problems = ledger_terms(agreement, on)
    if terms is None:
        raise InvalidInput(problems)
    return agreement, terms


def record_force_majeure(
    database_url: str, path: Path, *, by: str, clock: Clock | None = None
) -> Recorded:
    """The force majeure pay a suspension file creates, appended as obligations."""
    suspension, problems = read_suspension(path)
    if suspension is None:
        raise InvalidInput(problems)
    agreement, terms = agreement_terms(suspension.agreement, suspension.suspended_from)
    owed = force_majeure(suspension, agreement, terms)
    if not owed:
        raise InvalidInput(
            [
                Problem(
                    Location(file=str(path), field="agreement"),
                    f"{agreement.id} owes no force majeure pay for this suspension",
                    hint="an agreement without the clause (force_majeure_in_agreement) owes none",
                )
            ]
        )
    files = [{"path": f.path, "sha256": f.sha256} for f in agreement.files]
    description = {
        "file": str(path),
        "case": suspension.case,
        "event": suspension.event,
        "agreement": agreement.id,
        "agreement_files": files,
        "terms": [t.as_dict() for t in terms.terms()],
        "suspended_from": suspension.suspended_from.isoformat(),
        "suspended_to": suspension.suspended_to.isoformat(),
    }
    key = (
        f"suspension:{suspension.employer}:{agreement.id}:"
        f"{suspension.suspended_from}:{suspension.suspended_to}"
    )
    return record_obligations(
        database_url,
        owed,
        source_key=key,
        source_kind="suspension",
        description=description,
        by=by,
        clock=clock,
    )


@dataclass(frozen=True)
class Imported:
    """What an import of a remittance file did."""

    file: str
    rows: int
    added: int
    already: int
    quarantined: int
    quarantine: str | None
    problems: tuple[Problem, ...]

    def as_dict(self) -> dict[str, Any]:
        return {
            "file": self.file,
            "rows": self.rows,
            "added": self.added,
            "already_in_journal": self.already,
            "quarantined_rows": self.quarantined,
            "quarantine": self.quarantine,
            "problems": [p.as_dict() for p in self.problems],
        }


def import_remittances(
    database_url: str,
    path: Path,
    *,
    quarantine: Path | None = None,
    force: bool = False,
    by: str,
    clock: Clock | None = None,
) -> Imported:
    """Import a remittance file. With any bad row and no quarantine file, nothing is
    written; with one, the good rows are imported and every bad row goes to it. A row
    whose reference the employer has used already adds nothing; the same reference with
    different content is a bad row."""
    now = _clock(clock)
    read = read_remittances(path, now.today())
    if read.file_problems:
        raise InvalidInput(read.file_problems)
    at = now.now()
    keys = [g.remittance.key() for g in read.good]
    with store_for(database_url).session() as session:
        present = {e.key: e for e in _entries_by_key(session, keys)}
        clashes: list[tuple[Any, str]] = []
        fresh = []
        already = 0
        for good in read.good:
            old = present.get(good.remittance.key())
            if old is None:
                fresh.append(good)
            elif _same(old, good.remittance):
                already += 1
            else:
                clashes.append(
                    (
                        good,
                        f"reference {good.remittance.reference!r} of {good.remittance.employer}"
                        f" is in the journal already (entry {old.seq}) with other values",
                    )
                )
        clash_problems = tuple(
            Problem(Location(file=str(path), line=g.line, row=g.row, field="reference"), why)
            for g, why in clashes
        )
        problems = read.problems + clash_problems
        if problems and quarantine is None:
            raise InvalidInput(problems)
        if quarantine is not None and problems:
            write_text(quarantine, quarantine_csv(read.bad, clashes), force=force)
        source_key = f"remittances:{path.name}:{at.isoformat()}"
        source = ledger_repo.source_pk(
            session, source_key, "remittance_file", {"file": str(path)}, at=at, by=by
        )
        entries = [
            remittance_entry(g.remittance, at=at, by=by, details={"file": str(path), "row": g.row})
            for g in fresh
        ]
        added = ledger_repo.append(session, entries, source) if entries else []
    rows = len(read.good) + len(read.bad)
    quarantined = len(read.bad) + len(clashes)
    return Imported(
        str(path),
        rows,
        len(added),
        already,
        quarantined,
        str(quarantine) if quarantine is not None and problems else None,
        problems,
    )


def _entries_by_key(session: Any, keys: list[str]) -> list[Entry]:
    present = ledger_repo.existing_keys(session, keys)
    if not present:
        return []
    return [e for e in ledger_repo.entries(session, kind="remittance") if e.key in present]


def _same(entry: Entry, remittance: Remittance) -> bool:
    return (
        entry.production_id == remittance.production_id
        and entry.performer_id == remittance.performer_id
        and entry.period_start == remittance.period_start
        and entry.payment_kind == remittance.kind
        and entry.amount_cents == remittance.amount_cents
        and entry.paid_on == remittance.paid_on
    )


def reverse_entry(
    database_url: str, seq: int, *, reason: str, by: str, clock: Clock | None = None
) -> Entry:
    """Append the entry that cancels entry ``seq``: the same keys, the opposite amount."""
    if not reason.strip():
        raise InvalidInput([Problem(Location(field="reason"), "say why the entry is reversed")])
    at = _clock(clock).now()
    with store_for(database_url).session() as session:
        found = ledger_repo.entries(session, seq=seq)
        if not found:
            raise NotFound(f"no entry {seq} in the journal")
        target = found[0]
        problems = journal.check_reversal(target, ledger_repo.entries(session, kind=target.kind))
        if problems:
            raise InvalidInput(problems)
        reversal = replace(
            target,
            seq=0,
            key=journal.reversal_key(target),
            amount_cents=-target.amount_cents,
            recorded_at=at,
            by=by,
            reverses=target.seq,
            reference=None,
            details={"note": reason.strip(), "reverses_key": target.key},
        )
        source = ledger_repo.source_pk(
            session, f"correction:{target.seq}", "correction", {"reason": reason}, at=at, by=by
        )
        added = ledger_repo.append(session, [reversal], source)
        return ledger_repo.entries(session, seq=added[0])[0]


def journal_entries(
    database_url: str, *, kind: str | None = None, employer: str | None = None
) -> list[Entry]:
    with store_for(database_url).session() as session:
        return ledger_repo.entries(session, kind=kind, employer=employer)


def obligations_in_effect(database_url: str, *, employer: str | None = None) -> list[Entry]:
    """Obligations neither reversed nor reversals, in journal order."""
    return journal.in_effect(journal_entries(database_url, kind="obligation", employer=employer))


def balances(database_url: str, as_of: date | None = None) -> list[journal.Balance]:
    return journal.balances(journal_entries(database_url), as_of)


def reading_day(agreement: Any) -> date:
    """The day an agreement's terms are read on for the ledger: as costing reads it."""
    day = agreement.term_start or agreement.term_end
    if day is None:
        raise InvalidInput([Problem(Location(field="agreement"), f"{agreement.id} has no term")])
    return day  # type: ignore[no-any-return]


def _plain(value: Any) -> Any:
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, tuple | list):
        return [_plain(v) for v in value]
    if isinstance(value, bool | int | str) or value is None:
        return value
    return str(value)


def record_costed_obligations(
    database_url: str,
    agreement_id: str,
    data: Path,
    *,
    start: date | None = None,
    end: date | None = None,
    by: str,
    clock: Clock | None = None,
) -> Recorded:
    """Cost ``agreement_id`` over the data set and append its obligations per performer,
    production, period and kind for the periods from ``start`` to ``end`` (by default the
    agreement's term). The source records the agreement files' SHA-256, the data set's
    checksum and every parameter value with its source."""
    from guildhall.costing.allocation import obligations as per_performer
    from guildhall.costing.backends import connect
    from guildhall.costing.engine import open_tables, production_amounts
    from guildhall.costing.params import terms_from_agreement
    from guildhall.costing.provenance import data_checksum
    from guildhall.ledger.obligations import obligations_table
    from guildhall.services.costing import _data_set, _memory_limit

    agreement = load(agreement_id)
    day = reading_day(agreement)
    terms, problems = ledger_terms(agreement, day)
    if terms is None:
        raise InvalidInput(problems)
    start = start or agreement.term_start
    end = end or agreement.term_end
    if start and end and end < start:
        raise InvalidInput([Problem(Location(field="to"), f"{end} is before {start}")])
    data_set = _data_set(data)
    costing_terms = terms_from_agreement(agreement)
    tables = open_tables(connect("duckdb", memory_limit=_memory_limit()), data_set)
    amounts = production_amounts(tables, [costing_terms])
    if start:
        amounts = amounts.filter(amounts.period_start >= start)
    if end:
        amounts = amounts.filter(amounts.period_start <= end)
    owed = per_performer(amounts, tables.credits)
    periods = [
        r["period_start"] for r in owed.select("period_start").distinct().to_pyarrow().to_pylist()
    ]
    rows = obligations_table(owed, tables.productions, terms, periods).to_pyarrow().to_pylist()
    names = tables.productions.select("production_id", "title").to_pyarrow().to_pylist()
    titles = {r["production_id"]: r["title"] for r in names}
    obligations: list[tuple[Obligation, dict[str, Any]]] = [
        (
            Obligation(
                employer=r["employer"],
                agreement=agreement.id,
                production_id=r["production_id"],
                performer_id=r["performer_id"],
                period_start=r["period_start"],
                kind=r["kind"],
                amount_cents=r["amount_cents"],
                due_on=r["due_on"],
            ),
            {"title": titles.get(r["production_id"])},
        )
        for r in rows
    ]
    checksum = data_checksum(data_set)
    files = [{"path": f.path, "sha256": f.sha256} for f in agreement.files]
    description = {
        "agreement": agreement.id,
        "agreement_files": files,
        "read_on": day.isoformat(),
        "data": {"path": str(data), "sha256": checksum},
        "periods": [start.isoformat() if start else None, end.isoformat() if end else None],
        "parameters": {
            name: {"value": _plain(value), "source": costing_terms.sources.get(name)}
            for name, value in costing_terms.values.items()
        },
        "terms": [t.as_dict() for t in terms.terms()],
    }
    key = f"costing:{files[0]['sha256'][:16]}:{checksum[:16]}:{start}:{end}"
    return record_obligations(
        database_url,
        obligations,
        source_key=key,
        source_kind="costing",
        description=description,
        by=by,
        clock=clock,
    )
