"""What the ballots services share: the store session, the clock, the case's rules, the manifest."""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from fractions import Fraction
from typing import Any

from guildhall.ballots.election import MAX_WINDOW_DAYS, Election
from guildhall.ballots.errors import WrongState
from guildhall.ballots.manifest import RATIFICATION, Manifest, trustees_from_json
from guildhall.core.clock import Clock, SystemClock
from guildhall.core.errors import InvalidInput
from guildhall.core.problems import Location, Problem
from guildhall.core.thresholds import Threshold
from guildhall.services import cases
from guildhall.store import ballots_repo as repo
from guildhall.store.ballot_tables import ElectionRow
from guildhall.store.db import Session, store_for

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


def vote_rules(database_url: str, case_id: str | None, question: str) -> tuple[Threshold, int]:
    """The threshold and longest window: from the case's rules, or the ratification default."""
    if case_id is None:
        if question == "strike_authorization":
            raise input_problem("a strike authorization must be tied to a case", "case")
        return RATIFICATION, MAX_WINDOW_DAYS
    votes = cases.rules_summary(database_url, case_id)["votes"]
    setting = votes.get(question)
    if setting is None:
        if question == "ratification":
            return RATIFICATION, MAX_WINDOW_DAYS
        raise input_problem(f"the case's rules set no {question} vote", "question")
    days = setting.get("max_window_days") or MAX_WINDOW_DAYS
    return Threshold(Fraction(setting["threshold"]), setting["comparison"]), int(days)


def manifest_of(r: ElectionRow) -> Manifest:
    e = repo.election(r)
    public = trustees_from_json(r.trustees)
    return Manifest(
        id=r.id, case=r.case_id, question=r.question, text=r.text, options=tuple(r.options),
        allow_blank=r.allow_blank, eligible=r.eligible, threshold=e.threshold,
        opens_at=e.opens_at, closes_at=e.closes_at, trustees=public,
        public_key=bytes.fromhex(r.public_key),
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
