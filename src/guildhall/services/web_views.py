"""What the web pages for terms, costing and ballots show, composed from the other services.

Each function returns plain data (or raises ``NotFound`` / ``InvalidInput`` for a person's
mistake), so a page and its JSON twin show the same thing.
"""

from __future__ import annotations

import datetime as dt
from collections import OrderedDict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from guildhall.core.errors import InvalidInput, NotFound
from guildhall.core.problems import Location, Problem
from guildhall.costing.compare import Comparison
from guildhall.costing.data.schema import TABLES, DataSet
from guildhall.services import ballots, costing
from guildhall.terms import load

DEFAULT_AGREEMENTS = ("sag-2005", "amptp-2008-final-offer", "sag-2008-threshold-proposals")
"""The comparison the costing page opens with: the 2005 contract, the offer, the answer."""

DEFAULT_DIFF = ("amptp-2008-final-offer", "sag-2008-threshold-proposals")
"""The diff the terms pages link to first: the studios' offer against the guild's answer."""


def plain(data: Any) -> Any:
    """Data as JSON shows it, the way the CLI writes it: dates ISO, ``Decimal`` as text."""
    if isinstance(data, Mapping):
        return {str(k): plain(v) for k, v in data.items()}
    if isinstance(data, list | tuple | set | frozenset):
        return [plain(v) for v in data]
    if isinstance(data, dt.date | dt.datetime):
        return data.isoformat()
    if isinstance(data, Decimal):
        return str(data)
    return data


def parse_readings(values: Sequence[str], field: str = "reading") -> dict[str, str]:
    """``PARAMETER=READING`` pairs, as a query string gives them."""
    out: dict[str, str] = {}
    problems = []
    for value in values:
        name, _, reading = value.partition("=")
        if not name or not reading:
            problems.append(Problem(Location(field=field), f"{value!r} is not PARAMETER=READING"))
        else:
            out[name] = reading
    if problems:
        raise InvalidInput(problems)
    return out


def parse_agreement_ids(text: str, field: str = "agreements") -> list[str]:
    """A comma-separated list of agreement ids, each named once."""
    ids = [part.strip() for part in text.split(",") if part.strip()]
    if not ids:
        raise InvalidInput([Problem(Location(field=field), "name at least one agreement")])
    repeated = sorted({i for i in ids if ids.count(i) > 1})
    if repeated:
        raise InvalidInput(
            [Problem(Location(field=field), f"{', '.join(repeated)} named more than once")]
        )
    return ids


# ---------------------------------------------------------------------------- costing


def missing_tables(data_dir: Path) -> list[str]:
    """The tables a data set in ``data_dir`` lacks (all of them when there is none)."""
    return DataSet(data_dir).missing() if data_dir.is_dir() else list(TABLES)


def _require_data(data_dir: Path) -> None:
    missing = missing_tables(data_dir)
    if missing:
        raise NotFound(
            f"no complete earnings data set has been loaded (it lacks {', '.join(missing)})"
        )


def _fingerprint(data_dir: Path) -> tuple[tuple[str, int, int], ...]:
    """Names, sizes and modification times of the data set's files: a cheap change check."""
    files = sorted(p for p in data_dir.rglob("*.parquet") if p.is_file())
    return tuple((str(p), p.stat().st_size, p.stat().st_mtime_ns) for p in files)


def _agreement_files(agreement_ids: Sequence[str]) -> tuple[tuple[str, ...], ...]:
    """The content hashes of each agreement's files, its chain of bases included: an
    edited agreement (or one it is based on) is a new costing. Files are parsed once per
    process until they change, so this costs a look at their hashes."""
    directory = costing.agreements_directory()
    return tuple(tuple(f.sha256 for f in load(i, directory).files) for i in agreement_ids)


@dataclass(frozen=True)
class _Key:
    ids: tuple[str, ...]
    readings: tuple[tuple[str, str], ...]
    performer_id: int | None
    data: tuple[tuple[str, int, int], ...]
    agreement_files: tuple[tuple[str, ...], ...]


_CACHE: OrderedDict[_Key, Comparison] = OrderedDict()
_CACHE_SIZE = 8


def compare(
    data_dir: Path,
    agreement_ids: Sequence[str],
    readings: dict[str, str] | None = None,
    performer_id: int | None = None,
) -> Comparison:
    """Cost the agreements over the data set; the page and its chart share one computation."""
    _require_data(data_dir)
    key = _Key(
        tuple(agreement_ids),
        tuple(sorted((readings or {}).items())),
        performer_id,
        _fingerprint(data_dir),
        _agreement_files(agreement_ids),
    )
    found = _CACHE.get(key)
    if found is not None:
        _CACHE.move_to_end(key)
        return found
    result = costing.cost_agreements(
        list(agreement_ids), data_dir, performer_id=performer_id, readings=readings
    )
    _CACHE[key] = result
    while len(_CACHE) > _CACHE_SIZE:
        _CACHE.popitem(last=False)
    return result


def performer(
    data_dir: Path,
    agreement_ids: Sequence[str],
    performer_id: int,
    readings: dict[str, str] | None = None,
) -> dict[str, Any]:
    """One member's projection under each agreement; ``NotFound`` if they have no credits."""
    result = compare(data_dir, agreement_ids, readings, performer_id)
    view = result.performer
    if view is None or view["credits"] == 0:
        raise NotFound(f"performer {performer_id} has no credits in the data set")
    base = view["agreements"][0]["total_cents"]
    rows = [{**row, "change_cents": row["total_cents"] - base} for row in view["agreements"]]
    return {
        "performer_id": performer_id,
        "credits": view["credits"],
        "baseline": rows[0]["id"],
        "agreements": rows,
        "provenance": result.provenance,
    }


# ---------------------------------------------------------------------------- ballots


def list_elections(database_url: str) -> list[dict[str, Any]]:
    """Every election, newest first, with its state and live turnout (never a result)."""
    return [
        {**ballots.status(database_url, election_id), "text": text}
        for election_id, text in ballots.list_elections(database_url)
    ]


def election_view(database_url: str, election_id: str) -> dict[str, Any]:
    """Status, the checklist of what blocks opening and turnout; the result once tallied."""
    view = ballots.status(database_url, election_id)
    view["text"] = dict(ballots.list_elections(database_url, election_id)).get(election_id)
    tallied = view["timestamps"]["tallied_at"] is not None
    view["result"] = ballots.result(database_url, election_id) if tallied else None
    return view


def track(database_url: str, election_id: str, tracker: str) -> dict[str, Any]:
    """Where a ballot with this tracker sits on the public board, if it is there."""
    tracker = tracker.strip()
    if not tracker:
        raise InvalidInput([Problem(Location(field="tracker"), "give the tracker to look for")])
    seq = ballots.find_tracker(database_url, election_id, tracker)
    return {"election": election_id, "tracker": tracker, "found": seq is not None, "seq": seq}
