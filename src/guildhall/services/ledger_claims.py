"""Claims services: open a claim on an employer's shortfalls, move it a step, show it,
and write its arbitration filing. Each step is one journal entry in one transaction."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path
from typing import Any

from guildhall.core.clock import Clock, SystemClock
from guildhall.core.errors import Conflict, InvalidInput, NotFound
from guildhall.core.problems import Location, Problem
from guildhall.ledger import journal
from guildhall.ledger.claims import OPENED, Claim, check_step, from_entries
from guildhall.ledger.records import FORCE_MAJEURE, Entry
from guildhall.ledger.terms import TIME_LIMIT
from guildhall.services.ledger import journal_entries, reading_day
from guildhall.services.ledger_reconcile import reconcile_journal
from guildhall.store import ledger_repo
from guildhall.store.db import store_for
from guildhall.terms import FORMULAS, load
from guildhall.terms.records import NoValue

CLAIM_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$")


def _key(row: dict[str, Any]) -> tuple[str, int, str, str]:
    period = row["period"]
    return (row["employer"], row["production"], str(period), row["kind"])


def _entry_key(e: Entry) -> tuple[str, int, str, str]:
    return (e.employer, e.production_id or 0, str(e.period_start), e.payment_kind or "")


def _parameters_of(kind: str) -> tuple[str, ...]:
    from guildhall.costing.formulas import PARAMETERS_OF_KIND

    if kind == FORCE_MAJEURE:
        return FORMULAS["force_majeure_suspension_pay"].reads_parameters
    return PARAMETERS_OF_KIND.get(kind, ())


def _terms_cited(agreement_id: str, kinds: set[str]) -> dict[str, Any]:
    """The agreement and the terms behind the claimed kinds, each with its source."""
    agreement = load(agreement_id)
    day = reading_day(agreement)
    names = [n for kind in sorted(kinds) for n in _parameters_of(kind)]
    names += [
        "late_payment_interest_percent_per_month",
        "late_payment_grace_days",
        "residual_payment_due_days",
        TIME_LIMIT,
    ]
    cited = []
    for name in dict.fromkeys(names):
        if name not in agreement.parameters:
            continue
        parameter = agreement.parameter(name)
        try:
            dated = parameter.dated(day)
        except NoValue:
            cited.append(
                {
                    "name": name,
                    "description": parameter.description,
                    "value": None,
                    "uncertain": True,
                    "missing": parameter.missing,
                    "document": None,
                    "where": None,
                    "quote": None,
                }
            )
            continue
        cited.append(
            {
                "name": name,
                "description": parameter.description,
                "value": str(dated.value),
                "uncertain": parameter.is_uncertain,
                "missing": parameter.missing,
                "document": dated.source.document,
                "where": dated.source.section or dated.source.url,
                "quote": dated.source.quote.strip(),
            }
        )
    return {
        "id": agreement.id,
        "name": agreement.name,
        "guild": agreement.guild,
        "employers": list(agreement.employers),
        "term": [agreement.term_start, agreement.term_end],
        "files": [{"path": f.path, "sha256": f.sha256} for f in agreement.files],
        "read_on": day,
        "terms": cited,
    }


def _time_limit(agreements: list[dict[str, Any]], earliest_due: date) -> dict[str, Any]:
    """The shortest time limit any of the claim's agreements states, with its source."""
    best: dict[str, Any] | None = None
    for agreement in agreements:
        for term in agreement["terms"]:
            if term["name"] != TIME_LIMIT:
                continue
            entry = {
                "value": term["value"],
                "source": f"{agreement['id']}: {term['document']}, {term['where']}: "
                f'"{term["quote"]}"'
                if term["document"]
                else f"{agreement['id']}: none stated",
                "uncertain": term["uncertain"],
                "missing": term["missing"],
                "counted_from": earliest_due.isoformat(),
            }
            if (
                term["value"] is not None
                and (
                    best is None or best["value"] is None or int(term["value"]) < int(best["value"])
                )
            ) or best is None:
                best = entry
    return best or {
        "value": None,
        "source": "none of the agreements states a time limit",
        "uncertain": True,
        "missing": f"no {TIME_LIMIT} in " + ", ".join(a["id"] for a in agreements),
        "counted_from": earliest_due.isoformat(),
    }


def _json(value: Any) -> Any:
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, dict):
        return {k: _json(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_json(v) for v in value]
    return value


def open_claim(
    database_url: str,
    claim_id: str,
    *,
    employer: str,
    as_of: date,
    productions: list[int] | None = None,
    kinds: list[str] | None = None,
    by: str,
    clock: Clock | None = None,
) -> Claim:
    """Open a claim on ``employer``'s shortfalls as of ``as_of`` (optionally only some
    productions or kinds), with its evidence. A shortfall already in another claim is
    refused."""
    now = clock or SystemClock()
    if not CLAIM_ID.fullmatch(claim_id):
        raise InvalidInput(
            [
                Problem(
                    Location(field="claim"),
                    f"{claim_id!r} is not a claim id (letters, digits, - _ .)",
                )
            ]
        )
    if as_of > now.today():
        raise InvalidInput([Problem(Location(field="as_of"), f"{as_of} is after today")])
    entries = journal_entries(database_url)
    if from_entries(claim_id, entries) is not None:
        raise Conflict(f"claim {claim_id!r} exists already")
    result = reconcile_journal(database_url, as_of)
    chosen = [
        s
        for s in result["shortfalls"]
        if s["employer"] == employer
        and (not productions or s["production"] in productions)
        and (not kinds or s["kind"] in kinds)
    ]
    if not chosen:
        raise InvalidInput(
            [
                Problem(
                    Location(field="employer"),
                    f"{employer} has no shortfall as of {as_of} to claim",
                )
            ]
        )
    keys = {_key(s) for s in chosen}
    claimed_elsewhere = []
    for other_id in sorted({e.claim_id for e in entries if e.claim_id}):
        other = from_entries(other_id, entries)
        if other is None or other.state == "paid":
            continue
        overlap = keys & {_key(s) for s in other.evidence["shortfalls"]}
        claimed_elsewhere += [
            Problem(
                Location(field="claim"),
                f"the shortfall of {k[0]} on production {k[1]}, {k[2]}, {k[3]} is in claim "
                f"{other_id} already",
            )
            for k in sorted(overlap)
        ]
    if claimed_elsewhere:
        raise InvalidInput(claimed_elsewhere)
    in_effect = journal.in_effect(entries)
    obligations = [e for e in in_effect if e.kind == "obligation" and _entry_key(e) in keys]
    remittances = [e for e in in_effect if e.kind == "remittance" and _entry_key(e) in keys]
    agreement_ids = sorted({e.agreement for e in obligations if e.agreement})
    agreements = [
        _terms_cited(a, {e.payment_kind or "" for e in obligations if e.agreement == a})
        for a in agreement_ids
    ]
    with store_for(database_url).session() as session:
        descriptions = ledger_repo.source_descriptions(session)
    sources = {e.source: descriptions.get(e.source, {}) for e in obligations}
    earliest = min(date.fromisoformat(str(s["due_on"])) for s in chosen)
    evidence = _json(
        {
            "as_of": as_of,
            "employer": employer,
            "guild": sorted({a["guild"] for a in agreements}),
            "shortfalls": chosen,
            "obligations": [
                {
                    "entry": e.seq,
                    "agreement": e.agreement,
                    "production": e.production_id,
                    "performer": e.performer_id,
                    "period": e.period_start,
                    "kind": e.payment_kind,
                    "amount_cents": e.amount_cents,
                    "due_on": e.due_on,
                    "source": e.source,
                    "how": e.details,
                }
                for e in obligations
            ],
            "remittances": [
                {
                    "entry": e.seq,
                    "reference": e.reference,
                    "production": e.production_id,
                    "performer": e.performer_id,
                    "period": e.period_start,
                    "kind": e.payment_kind,
                    "amount_cents": e.amount_cents,
                    "paid_on": e.paid_on,
                }
                for e in remittances
            ],
            "agreements": agreements,
            "sources": sources,
            "allocation": result["allocation"],
            "time_limit": _time_limit(agreements, earliest),
        }
    )
    claimed = sum(s["unpaid_cents"] + s["interest_cents"] for s in chosen)
    entry = Entry(
        seq=0,
        key=f"claim:{claim_id}:{OPENED}",
        kind="claim",
        employer=employer,
        production_id=None,
        performer_id=None,
        period_start=None,
        payment_kind=None,
        amount_cents=claimed,
        recorded_at=now.now(),
        by=by,
        source="",
        claim_id=claim_id,
        details={"step": OPENED, "on": as_of.isoformat(), "evidence": evidence},
    )
    _append(database_url, entry, by=by, at=now.now())
    return show_claim(database_url, claim_id)


def _append(database_url: str, entry: Entry, *, by: str, at: Any) -> None:
    with store_for(database_url).session() as session:
        source = ledger_repo.source_pk(
            session, f"claim:{entry.claim_id}", "claim", {"claim": entry.claim_id}, at=at, by=by
        )
        if not ledger_repo.append(session, [entry], source):
            raise Conflict(f"claim {entry.claim_id} has that step already")


def show_claim(database_url: str, claim_id: str) -> Claim:
    with store_for(database_url).session() as session:
        entries = ledger_repo.entries(session, claim_id=claim_id)
    claim = from_entries(claim_id, entries)
    if claim is None:
        raise NotFound(f"no claim {claim_id!r} in the ledger")
    return claim


def list_claims(database_url: str) -> list[Claim]:
    entries = journal_entries(database_url, kind="claim")
    ids = sorted({e.claim_id for e in entries if e.claim_id})
    return [c for c in (from_entries(i, entries) for i in ids) if c is not None]


def advance_claim(
    database_url: str,
    claim_id: str,
    step: str,
    *,
    on: date,
    amount_cents: int | None = None,
    note: str | None = None,
    by: str,
    clock: Clock | None = None,
) -> Claim:
    """Move a claim one step (demand → grievance → arbitration filing → award or
    settlement → paid); a step out of order, dated before the last or after today is
    refused."""
    now = clock or SystemClock()
    claim = show_claim(database_url, claim_id)
    problems = check_step(claim, step, on, now.today(), amount_cents)
    if problems:
        raise InvalidInput(problems)
    details: dict[str, Any] = {"step": step, "on": on.isoformat()}
    if note:
        details["note"] = note
    entry = Entry(
        seq=0,
        key=f"claim:{claim_id}:{step}",
        kind="claim",
        employer=claim.employer,
        production_id=None,
        performer_id=None,
        period_start=None,
        payment_kind=None,
        amount_cents=amount_cents or 0,
        recorded_at=now.now(),
        by=by,
        source="",
        claim_id=claim_id,
        details=details,
    )
    _append(database_url, entry, by=by, at=now.now())
    return show_claim(database_url, claim_id)


def claim_view(claim: Claim, today: date) -> dict[str, Any]:
    """A claim as data: its state, amounts, steps, deadline and any warning."""
    deadline = claim.deadline
    return {
        "claim": claim.id,
        "employer": claim.employer,
        "state": claim.state,
        "opened_on": claim.opened_on,
        "claimed_cents": claim.claimed_cents,
        "unpaid_cents": sum(s["unpaid_cents"] for s in claim.evidence["shortfalls"]),
        "interest_cents": sum(s["interest_cents"] for s in claim.evidence["shortfalls"]),
        "steps": [
            {
                "step": s.name,
                "on": s.on,
                "amount_cents": s.amount_cents,
                "note": s.note,
                "entry": s.seq,
                "by": s.by,
            }
            for s in claim.steps
        ],
        "next": list(_next(claim)),
        "deadline": deadline.as_dict(),
        "warning": deadline.warning(today, claim.filed()),
        "shortfalls": claim.evidence["shortfalls"],
        "agreements": [a["id"] for a in claim.evidence["agreements"]],
    }


def _next(claim: Claim) -> tuple[str, ...]:
    from guildhall.ledger.claims import NEXT

    return NEXT[claim.state]


def write_filing(
    database_url: str, claim_id: str, out: Path, *, force: bool = False, clock: Clock | None = None
) -> list[Path]:
    """Write the claim's arbitration filing as ``out``.html and ``out``.pdf; an existing
    file is refused unless ``force``, and neither is written if either is refused."""
    from guildhall.files.output import refuse_existing, write_bytes, write_text
    from guildhall.ledger.filing import filing_document, html, pdf

    now = clock or SystemClock()
    claim = show_claim(database_url, claim_id)
    base = out.with_suffix("") if out.suffix.lower() in (".html", ".pdf") else out
    targets = [base.with_name(base.name + ".html"), base.with_name(base.name + ".pdf")]
    refuse_existing(*targets, force=force)
    document = filing_document(claim, now.today())
    page = html(document)
    printed = pdf(document)
    write_text(targets[0], page, force=force)
    write_bytes(targets[1], printed, force=force)
    return targets


def filing_page(database_url: str, claim_id: str, *, clock: Clock | None = None) -> str:
    """The claim's filing as an HTML page, for the web app to serve."""
    from guildhall.ledger.filing import filing_document, html

    today = (clock or SystemClock()).today()
    return html(filing_document(show_claim(database_url, claim_id), today))


def filing_pdf(database_url: str, claim_id: str, *, clock: Clock | None = None) -> bytes:
    """The claim's filing as PDF bytes, for the web app to serve."""
    from guildhall.ledger.filing import filing_document, pdf

    today = (clock or SystemClock()).today()
    return pdf(filing_document(show_claim(database_url, claim_id), today))
