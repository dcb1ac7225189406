"""Loading a case file: check everything, then store it as a new case, or tell what differs
from the case already stored and, only when asked, store it as that case's next version."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Literal

from guildhall.bargaining.casefile import read_case
from guildhall.bargaining.diff import Difference, case_differences
from guildhall.bargaining.records import Case
from guildhall.bargaining.rules import check_log
from guildhall.core.clock import Clock, SystemClock
from guildhall.core.errors import InvalidInput, NotFound, RuleRefused
from guildhall.core.problems import Location
from guildhall.files.located_yaml import YamlDocument, read_yaml
from guildhall.files.reading import YAML_LIMIT, require_bytes
from guildhall.services import terms
from guildhall.services.case_rules import breach_problem, rulebook_for, rules_text_for
from guildhall.settings import repository_root
from guildhall.store import cases_repo
from guildhall.store.db import Store

Status = Literal["loaded", "unchanged", "differs", "replaced"]


@dataclass(frozen=True)
class LoadResult:
    """What loading did. ``differs``: nothing was stored; ``needs_force``: the file lacks
    events the stored case has, so even ``replace`` stores it only with ``force``."""

    case: Case
    status: Status
    version: int
    differences: tuple[Difference, ...] = ()
    needs_force: bool = False


def default_case_file(case_id: str) -> Path:
    return repository_root() / "cases" / case_id / "case.yaml"


def check_case_file(path: Path, *, today: date) -> tuple[Case, str]:
    """The case a file holds and the text of its rules, once every check passes: shape,
    sources, each event against the log, agreements, and the rules over the whole log."""
    doc, problems = read_yaml(path)
    if problems:
        raise InvalidInput(problems)
    case, problems = read_case(doc, path.parent, today=today)
    if problems or case is None:
        raise InvalidInput(problems)
    rules_text = rules_text_for(case, Location(str(path)))
    rulebook = rulebook_for(case, rules_text)
    _check_agreements(case, doc)
    breaches = check_log(rulebook, case.guild, case.events)
    if breaches:
        raise RuleRefused(
            [
                breach_problem(b, None, doc.where(("events", (b.event.seq or 1) - 1)))
                for b in breaches
            ]
        )
    return case, rules_text


def load_case_file(
    database_url: str,
    path: Path,
    *,
    recorded_by: str,
    replace: bool = False,
    force: bool = False,
    clock: Clock | None = None,
) -> LoadResult:
    """Check a case file and store it. A case already stored is left as it is unless
    ``replace`` (or ``force``, needed when the file drops events the store has) is given;
    then the file becomes its next version and the earlier one stays readable."""
    clock = clock or SystemClock()
    case, rules_text = check_case_file(path, today=clock.today())
    sha = hashlib.sha256(require_bytes(path, limit=YAML_LIMIT)).hexdigest()
    store = Store(database_url)
    try:
        with store.session() as session:
            if not cases_repo.case_exists(session, case.id):
                version = cases_repo.save_case(session, case, rules_text=rules_text,
                    source_file=str(path), source_sha256=sha, at=clock.now(),
                    by=recorded_by)  # fmt: skip
                return LoadResult(case, "loaded", version)
            cases_repo.lock_case(session, case.id)
            stored, stored_rules = cases_repo.load_case(session, case.id)
            current = cases_repo.current_version(session, case.id)
            differences = tuple(
                case_differences(stored, case, old_rules=stored_rules, new_rules=rules_text)
            )
            if not differences:
                return LoadResult(stored, "unchanged", current)
            drops = any(d.section == "events" and d.change == "-" for d in differences)
            if not (force or (replace and not drops)):
                return LoadResult(case, "differs", current, differences, needs_force=drops)
            version = cases_repo.save_case(session, case, rules_text=rules_text,
                source_file=str(path), source_sha256=sha, at=clock.now(), by=recorded_by,
                replace=True)  # fmt: skip
            return LoadResult(case, "replaced", version, differences)
    finally:
        store.close()


def _check_agreements(case: Case, doc: YamlDocument) -> None:
    """Every agreement the case names must be a terms file in ``agreements/``."""
    known = {a["id"] for a in terms.list_terms()}
    problems = [
        doc.problem(
            ("agreements", i, "id"),
            f"no agreement {a.id!r} in the terms files",
            hint="guildhall terms list shows them",
        )
        for i, a in enumerate(case.agreements)
        if a.id not in known
    ]
    problems += [
        doc.problem(
            ("events", i, "agreement"),
            f"no agreement {e.detail('agreement')!r} in the terms files",
            hint="guildhall terms list shows them",
        )
        for i, e in enumerate(case.events)
        if e.detail("agreement") is not None and e.detail("agreement") not in known
    ]
    if problems:
        raise InvalidInput(problems)


def load_demo_case(
    database_url: str, case_id: str = "sag-2008", *, recorded_by: str = "guildhall demo"
) -> Case:
    path = default_case_file(case_id)
    if not path.is_file():
        raise NotFound(f"no case file {path}")
    return load_case_file(database_url, path, recorded_by=recorded_by).case
