"""Ledger services: record what employers owe and pay, correct entries, reconcile.

One function per user action, each one transaction on the store: committed whole or not
at all. The CLI and the web app call these.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date, datetime
from itertools import groupby
from pathlib import Path
from typing import Any

from guildhall.core.clock import Clock, SystemClock
from guildhall.core.errors import InvalidInput, NotFound
from guildhall.core.problems import Location, Problem
from guildhall.files.output import write_text
from guildhall.ledger import journal
from guildhall.ledger.obligations import (
    StrikeDays,
    Suspension,
    force_majeure,
    read_suspension,
    within_strike,
)
from guildhall.ledger.records import Entry, Obligation, Remittance
from guildhall.ledger.remittances import quarantine_csv, read_remittances
from guildhall.ledger.terms import LedgerTerms, ledger_terms
from guildhall.store import ledger_repo
from guildhall.store.db import Session, store_for
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
    with store_for(database_url).session() as session:
        added, already = _append_obligations(
            session, obligations, source_key, source_kind, description, at=at, by=by
        )
    return Recorded(added, already, source_key)


def _append_obligations(
    session: Session,
    obligations: list[tuple[Obligation, dict[str, Any]]],
    source_key: str,
    source_kind: str,
    description: dict[str, Any],
    *,
    at: datetime,
    by: str,
) -> tuple[int, int]:
    """Append ``obligations`` under their source in ``session``: (added, already there)."""
    entries = [obligation_entry(o, at=at, by=by, details=d) for o, d in obligations]
    source = ledger_repo.source_pk(session, source_key, source_kind, description, at=at, by=by)
    fresh = ledger_repo.append(session, entries, source)
    return len(fresh), len(entries) - len(fresh)


def agreement_terms(agreement_id: str, on: date) -> tuple[Any, LedgerTerms]:
    agreement = load(agreement_id)
    terms, problems = ledger_terms(agreement, on)
    if terms is None:
        raise InvalidInput(problems)
    return agreement, terms


def _from_case(database_url: str, suspension: Suspension) -> tuple[Suspension, dict[str, Any]]:
    """The suspension with its dates and agreement checked against, or taken from, the
    strike the case records and the agreement it puts in force; what the case said."""
    from guildhall.services.cases import get_case
    from guildhall.services.ledger_in_force import agreement_on_day, strike

    assert suspension.case is not None and suspension.event is not None
    here = suspension.where.get("event", Location(file=suspension.path))
    try:
        case = get_case(database_url, suspension.case)
    except NotFound:
        raise InvalidInput(
            [
                Problem(
                    suspension.where.get("case", here),
                    f"case {suspension.case!r} is not in the store",
                    hint="load it first: guildhall case load CASE.yaml",
                )
            ]
        ) from None
    found, why = strike(case, suspension.event)
    if found is None:
        raise InvalidInput([Problem(here, why or "not a strike")])
    days = StrikeDays(
        found.started.date,
        found.last_day,
        found.started.label(),
        found.ended.label() if found.ended else None,
    )
    first = suspension.suspended_from or days.first
    span, problems = agreement_on_day(case, first)
    why_agreement = (
        f"{span.since}; events {', '.join(e.label() for e in span.events)}"
        if span is not None
        else "; ".join(p.what for p in problems)
    )
    resolved, problems = within_strike(
        suspension, days, span.agreement if span else None, why_agreement
    )
    if resolved is None:
        raise InvalidInput(problems)
    said = {
        "strike": {"started": days.started_by, "ended": days.ended_by},
        "in_force": {
            "agreement": span.agreement if span else None,
            "events": [e.label() for e in span.events] if span else [],
            "reason": why_agreement,
        },
    }
    return resolved, said


def record_force_majeure(
    database_url: str, path: Path, *, by: str, clock: Clock | None = None
) -> Recorded:
    """The force majeure pay a suspension file creates, appended as obligations. A file
    that names its case and strike is checked against them: its dates must fall within
    the strike, its agreement must be the one the case puts in force; the dates and the
    agreement it leaves out are taken from the case."""
    suspension, problems = read_suspension(path)
    if suspension is None:
        raise InvalidInput(problems)
    said: dict[str, Any] = {}
    if suspension.case is not None:
        suspension, said = _from_case(database_url, suspension)
    assert suspension.agreement and suspension.suspended_from and suspension.suspended_to
    agreement, terms = agreement_terms(suspension.agreement, suspension.suspended_from)
    owed = force_majeure(suspension, agreement, terms)
    if not owed:
        raise InvalidInput(
            [
                Problem(
                    suspension.where.get("agreement", Location(file=str(path), field="agreement")),
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
        **said,
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


def source_descriptions(database_url: str) -> dict[str, dict[str, Any]]:
    """What each recording's source says, by its key: the agreement, the data set, the
    case and the events that put the agreement in force."""
    with store_for(database_url).session() as session:
        return ledger_repo.source_descriptions(session)


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


@dataclass(frozen=True)
class _Costing:
    """A data set opened for costing: its tables and checksum."""

    path: Path
    tables: Any
    checksum: str


def _open_costing(data: Path) -> _Costing:
    from guildhall.costing.backends import connect
    from guildhall.costing.engine import open_tables
    from guildhall.costing.provenance import data_checksum
    from guildhall.services.costing import _data_set, _memory_limit

    data_set = _data_set(data)
    tables = open_tables(connect("duckdb", memory_limit=_memory_limit()), data_set)
    return _Costing(data, tables, data_checksum(data_set))


@dataclass(frozen=True)
class _Costed:
    """One agreement's obligations over some periods, with the source that says why."""

    obligations: list[tuple[Obligation, dict[str, Any]]]
    key: str
    description: dict[str, Any]


def _agreement_for_ledger(agreement_id: str) -> tuple[Any, date, LedgerTerms]:
    agreement = load(agreement_id)
    day = reading_day(agreement)
    terms, problems = ledger_terms(agreement, day)
    if terms is None:
        raise InvalidInput(problems)
    return agreement, day, terms


def _cost(
    costing: _Costing,
    agreement_id: str,
    *,
    start: date | None,
    end: date | None,
    periods: list[date] | None = None,
    details: dict[str, Any] | None = None,
) -> _Costed:
    """Cost ``agreement_id`` over the data set for the periods from ``start`` to ``end``
    (and, when given, only ``periods``): its obligations per performer, production, period
    and kind, and the description of the recording's source."""
    from guildhall.costing.allocation import obligations as per_performer
    from guildhall.costing.engine import production_amounts
    from guildhall.costing.params import terms_from_agreement
    from guildhall.ledger.obligations import obligations_table

    agreement, day, terms = _agreement_for_ledger(agreement_id)
    tables = costing.tables
    costing_terms = terms_from_agreement(agreement)
    amounts = production_amounts(tables, [costing_terms])
    if start:
        amounts = amounts.filter(amounts.period_start >= start)
    if end:
        amounts = amounts.filter(amounts.period_start <= end)
    if periods is not None:
        amounts = amounts.filter(amounts.period_start.isin(periods))
    owed = per_performer(amounts, tables.credits)
    present = [
        r["period_start"] for r in owed.select("period_start").distinct().to_pyarrow().to_pylist()
    ]
    rows = obligations_table(owed, tables.productions, terms, present).to_pyarrow().to_pylist()
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
            {"title": titles.get(r["production_id"]), **(details or {})},
        )
        for r in rows
    ]
    files = [{"path": f.path, "sha256": f.sha256} for f in agreement.files]
    description = {
        "agreement": agreement.id,
        "agreement_files": files,
        "read_on": day.isoformat(),
        "data": {"path": str(costing.path), "sha256": costing.checksum},
        "periods": [start.isoformat() if start else None, end.isoformat() if end else None],
        "parameters": {
            name: {"value": _plain(value), "source": costing_terms.sources.get(name)}
            for name, value in costing_terms.values.items()
        },
        "terms": [t.as_dict() for t in terms.terms()],
    }
    key = f"costing:{files[0]['sha256'][:16]}:{costing.checksum[:16]}:{start}:{end}"
    return _Costed(obligations, key, description)


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
    agreement, _, _ = _agreement_for_ledger(agreement_id)
    start = start or agreement.term_start
    end = end or agreement.term_end
    if start and end and end < start:
        raise InvalidInput([Problem(Location(field="to"), f"{end} is before {start}")])
    costed = _cost(_open_costing(data), agreement_id, start=start, end=end)
    return record_obligations(
        database_url,
        costed.obligations,
        source_key=costed.key,
        source_kind="costing",
        description=costed.description,
        by=by,
        clock=clock,
    )


def _data_periods(costing: _Costing) -> tuple[date, date]:
    events = costing.tables.events
    row = events.aggregate(first=events.period_start.min(), last=events.period_start.max())
    found = row.to_pyarrow().to_pylist()[0]
    if found["first"] is None:
        raise InvalidInput(
            [Problem(Location(file=str(costing.path)), "the data set reports no revenue events")]
        )
    return found["first"], found["last"]


def record_case_obligations(
    database_url: str,
    case_id: str,
    data: Path,
    *,
    start: date | None = None,
    end: date | None = None,
    by: str,
    clock: Clock | None = None,
) -> Recorded:
    """Cost the data set period by period under the agreement the case's events put in
    force for each period, and append the obligations (by default for the periods the
    data's events report). Any period the case leaves without one agreement in force is a
    problem, and nothing is written. Each run of periods under one agreement is recorded
    with a source naming the case, the agreement and the events that put it in force; an
    obligation the journal holds under another agreement for the same production,
    performer, period and kind is refused (reverse it first)."""
    from guildhall.services.cases import get_case
    from guildhall.services.ledger_in_force import in_force_for, periods_between

    case = get_case(database_url, case_id)
    costing = _open_costing(data)
    if start is None or end is None:
        first, last = _data_periods(costing)
        start, end = start or first, end or last
    answers, problems = in_force_for(case, periods_between(start, end))
    if problems:
        raise InvalidInput(problems)
    # Each run of consecutive periods under one agreement, put in force by the same events.
    runs = [
        list(run)
        for _, run in groupby(answers, key=lambda a: (a.agreement, [e.seq for e in a.events]))
    ]
    costed: list[_Costed] = []
    for run in runs:
        agreement = run[0].agreement
        labels = [e.label() for e in run[0].events]
        part = _cost(
            costing,
            agreement,
            start=run[0].period_start,
            end=run[-1].period_start,
            periods=[a.period_start for a in run],
            details={"case": case.id, "in_force_by": labels},
        )
        seqs = "-".join(str(e.seq) for e in run[0].events)
        description = {
            **part.description,
            "case": case.id,
            "in_force": [a.as_dict() for a in run],
        }
        key = f"case:{case.id}:{agreement}:{seqs}:{part.key.removeprefix('costing:')}"
        costed.append(_Costed(part.obligations, key, description))
    return _record_runs(database_url, costed, by=by, clock=clock, case=case.id)


def _record_runs(
    database_url: str, runs: list[_Costed], *, by: str, clock: Clock | None, case: str
) -> Recorded:
    """Append every run's obligations in one transaction, after the check that none
    contradicts an obligation in effect under another agreement."""
    at = _clock(clock).now()
    added = already = 0
    with store_for(database_url).session() as session:
        held = {
            (e.production_id, e.performer_id, e.period_start, e.payment_kind): e
            for e in journal.in_effect(ledger_repo.entries(session, kind="obligation"))
        }
        problems: list[Problem] = []
        for run in runs:
            for obligation, _ in run.obligations:
                old = held.get(
                    (
                        obligation.production_id,
                        obligation.performer_id,
                        obligation.period_start,
                        obligation.kind,
                    )
                )
                if old is not None and old.agreement != obligation.agreement:
                    period = obligation.period_start
                    problems.append(
                        Problem(
                            Location(file=f"case {case}", field=f"period {period}"),
                            f"production {obligation.production_id}'s {obligation.kind} for the "
                            f"period {obligation.period_start} is owed under {old.agreement} in "
                            f"the journal (entry {old.seq}), but the case now puts "
                            f"{obligation.agreement} in force",
                            hint="reverse the earlier obligations (ledger reverse ENTRY "
                            "--reason ...) before recording under the case",
                        )
                    )
                    break
        if problems:
            raise InvalidInput(problems)
        sources = []
        for run in runs:
            fresh, there = _append_obligations(
                session, run.obligations, run.key, "costing", run.description, at=at, by=by
            )
            added += fresh
            already += there
            sources.append(run.key)
    return Recorded(
        added,
        already,
        sources[0] if len(sources) == 1 else f"case:{case}",
        {"sources": sources, "in_force": [a for r in runs for a in r.description["in_force"]]},
    )
