"""What the ballots services share: the store session, the clock, the case's rules, the manifest."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from datetime import datetime
from fractions import Fraction
from typing import Any

from guildhall.ballots.election import MAX_WINDOW_DAYS, Election
from guildhall.ballots.errors import WrongState
from guildhall.ballots.manifest import RATIFICATION, Manifest, trustees_from_json
from guildhall.bargaining.eventfile import read_event
from guildhall.core.clock import Clock, SystemClock
from guildhall.core.errors import InvalidInput
from guildhall.core.problems import Location, Problem
from guildhall.core.thresholds import Threshold
from guildhall.files.located_yaml import YamlDocument
from guildhall.files.shape import Shape
from guildhall.services import case_rules, cases
from guildhall.store import ballots_repo as repo
from guildhall.store import cases_repo
from guildhall.store.ballot_tables import ElectionRow
from guildhall.store.db import Session, store_for

RECORDED_BY = "guildhall ballots"
"""Who the case record says recorded a vote's events when no account is named (the CLI)."""

_manifests: dict[tuple[str, str], tuple[Manifest, str]] = {}


@contextmanager
def transaction(database_url: str) -> Iterator[Session]:
    """A transaction on the store for ``database_url``, opened and migrated once per process."""
    with store_for(database_url).session() as session:
        yield session


def current_time(clock: Clock | None) -> datetime:
    return (clock or SystemClock()).now()


def input_problem(what: str, field: str | None = None, hint: str | None = None) -> InvalidInput:
    return InvalidInput([Problem(Location(file="election", field=field), what, hint)])


def vote_rules(
    database_url: str, case_id: str | None, question: str
) -> tuple[Threshold, int, str | None]:
    """The threshold, longest window and SHA-256 of the rules file they come from: the
    case's rules, or for a vote without a case the ratification default (no file)."""
    if case_id is None:
        if question == "strike_authorization":
            raise input_problem("a strike authorization must be tied to a case", "case")
        return RATIFICATION, MAX_WINDOW_DAYS, None
    with transaction(database_url) as session:
        _case, rules_text = cases_repo.load_case(session, case_id)
    rules_sha256 = hashlib.sha256(rules_text.encode("utf-8")).hexdigest()
    votes = cases.rules_summary(database_url, case_id)["votes"]
    setting = votes.get(question)
    if setting is None:
        if question == "ratification":
            return RATIFICATION, MAX_WINDOW_DAYS, rules_sha256
        raise input_problem(f"the case's rules set no {question} vote", "question")
    days = setting.get("max_window_days") or MAX_WINDOW_DAYS
    threshold = Threshold(Fraction(setting["threshold"]), setting["comparison"])
    if question == "ratification" and threshold != RATIFICATION:
        raise input_problem("a ratification is decided by a simple majority (1/2, more_than)",
                            "question")  # fmt: skip
    return threshold, int(days), rules_sha256


def manifest_of(r: ElectionRow) -> Manifest:
    e = repo.election(r)
    public = trustees_from_json(r.trustees)
    return Manifest(
        id=r.id, case=r.case_id, question=r.question, text=r.text, options=tuple(r.options),
        allow_blank=r.allow_blank, eligible=r.eligible, threshold=e.threshold,
        opens_at=e.opens_at, closes_at=e.closes_at, trustees=public,
        public_key=bytes.fromhex(r.public_key), motion=r.motion, record_date=r.record_date,
        rules_sha256=r.rules_sha256, authority=bytes.fromhex(r.authority_key),
        board_key=bytes.fromhex(r.board_key),
    )  # fmt: skip


def case_event(e: Election, kind: str, now: datetime, extra: dict[str, Any],
                quote: str) -> dict[str, Any]:  # fmt: skip
    return {
        "date": now.date(),
        "kind": kind,
        "summary": quote,
        "certainty": "stated",
        "sources": [{"document": f"guildhall-election:{e.id}:{kind}", "quote": quote}],
        "documents": [
            {
                "id": f"guildhall-election:{e.id}:{kind}",
                "publisher": "Guildhall",
                "title": f"Election {e.id}: {kind.replace('_', ' ')}",
                "published_on": now.date(),
                "text": quote,
            }
        ],
        "by": "negotiating_committee",
        "vote": e.id,
        "question": e.question,
        **extra,
    }


def election_manifest(database_url: str, election_id: str) -> tuple[Manifest, str]:
    """The published manifest and election hash (they never change once published)."""
    cached = _manifests.get((database_url, election_id))
    if cached is not None:
        return cached
    with transaction(database_url) as session:
        lines = repo.entries_of(session, election_id, "election")
    if not lines:
        raise WrongState.because(election_id, "the election is not published yet")
    body = json.loads(lines[0])["body"]
    manifest = Manifest.from_json(body)
    _manifests[(database_url, election_id)] = (manifest, manifest.election_hash)
    return manifest, manifest.election_hash


def opened_event(e: Election, now: datetime) -> dict[str, Any]:
    """The case's ``vote_opened`` event for this election."""
    return case_event(
        e,
        "vote_opened",
        now,
        {"opens_on": e.opens_at.date(), "closes_on": e.closes_at.date()},
        f"Vote {e.id} ({e.question}) opened; closes {e.closes_at.isoformat()}.",
    )


def opening_refusals(session: Session, e: Election, now: datetime) -> list[str]:
    """The case's rules that would refuse this election's ``vote_opened`` event now."""
    if e.case_id is None:
        return []
    case, rules_text = cases_repo.load_case(session, e.case_id)
    rulebook = case_rules.rulebook_for(case, rules_text)
    data = opened_event(e, now)
    ids = {x.id: x.seq for x in case.events if x.id and x.seq is not None}
    documents = {d.id: d for d in case.all_documents()}
    event = read_event(Shape(YamlDocument("<event>", data)), data, (), guild=case.guild,
                       actors=case.actor_ids(), documents=documents, event_ids=ids)  # fmt: skip
    if event is None:
        return []
    event = replace(event, seq=cases_repo.next_seq(session, case.id))
    breaches = case_rules.new_breaches(rulebook, case.guild, case.events, (*case.events, event))
    return [f"the case's rule {b.refusal.rule} refuses it: {b.refusal.says}" for b in breaches]
