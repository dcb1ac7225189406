"""Find agreement files, resolve their ``based_on`` chains, and build ``Agreement`` records.

The pipeline, like every stage here, returns ``(result, problems)``:
parse each file in the chain → follow ``based_on`` (missing base, cycle) → lay each
file's parameters over its base's (an override replaces the base's whole value set and
must keep its unit), and add its formulas to its base's → check that every listed
formula finds the parameters it reads.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from types import MappingProxyType
from typing import Any

from guildhall.core.errors import InvalidInput, NotFound
from guildhall.core.problems import Location, Problem
from guildhall.files.reading import check_file
from guildhall.terms.formulas import FORMULAS
from guildhall.terms.parse import ParsedFile, parse_file
from guildhall.terms.records import Agreement, AgreementFile, Parameter


def default_directory() -> Path:
    """The repository's ``agreements/`` folder."""
    return Path(__file__).resolve().parents[3] / "agreements"


_PARSED: dict[tuple[str, int, int], tuple[ParsedFile | None, tuple[Problem, ...]]] = {}
_PARSED_KEPT = 512
"""Files parsed by this process, by path, size and modification time: a file is parsed
again only when it changes, so a web page does not parse every agreement on each request."""


def _parse_once(path: Path) -> tuple[ParsedFile | None, list[Problem]]:
    try:
        stat = path.stat()
    except OSError:
        return parse_file(path)
    key = (str(path.resolve()), stat.st_size, stat.st_mtime_ns)
    found = _PARSED.get(key)
    if found is None:
        parsed, problems = parse_file(path)
        found = (parsed, tuple(problems))
        if len(_PARSED) >= _PARSED_KEPT:
            _PARSED.clear()
        _PARSED[key] = found
    return found[0], list(found[1])


class Library:
    """The agreement files in one folder, parsed on demand and at most once."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self.paths = {path.stem: path for path in sorted(directory.glob("*.yaml"))}
        self._parsed: dict[str, tuple[ParsedFile | None, list[Problem]]] = {}

    def parsed(self, agreement_id: str) -> tuple[ParsedFile | None, list[Problem]]:
        if agreement_id not in self._parsed:
            self._parsed[agreement_id] = _parse_once(self.paths[agreement_id])
        return self._parsed[agreement_id]

    def resolve(self, agreement_id: str) -> tuple[Agreement | None, list[Problem]]:
        """The agreement ``agreement_id`` with its chain resolved, and every problem found."""
        chain, problems = self._chain(agreement_id)
        if chain is None or problems:
            return None, _unique(problems)
        agreement, merge_problems = _merge(chain)
        problems.extend(merge_problems)
        return (agreement if not problems else None), _unique(problems)

    def _chain(self, agreement_id: str) -> tuple[list[ParsedFile] | None, list[Problem]]:
        chain: list[ParsedFile] = []
        problems: list[Problem] = []
        current: str | None = agreement_id
        while current is not None:
            parsed, found = self.parsed(current)
            problems.extend(found)
            if parsed is None:
                return None, problems
            chain.append(parsed)
            base = parsed.based_on
            if base is None:
                break
            if base in (link.id for link in chain):
                cycle = " → ".join([*(link.id for link in chain), base])
                problems.append(Problem(chain[0].based_on_at, f"based_on forms a cycle: {cycle}"))
                return None, problems
            if base not in self.paths:
                problems.append(
                    Problem(
                        parsed.based_on_at,
                        f"based_on {base!r}: no such agreement in {self.directory}",
                        hint=f"expected a file {base}.yaml next to this one",
                    )
                )
                return None, problems
            current = base
        chain.reverse()
        return chain, problems


def _merge(chain: list[ParsedFile]) -> tuple[Agreement, list[Problem]]:
    """Lay each file over its base, root first."""
    problems: list[Problem] = []
    fields: dict[str, Any] = {}
    parameters: dict[str, Parameter] = {}
    formulas: tuple[str, ...] = ()
    formulas_at = Location()
    for parsed in chain:
        for key in ("guild", "employers", "term", "description"):
            if key in parsed.fields:
                fields[key] = parsed.fields[key]
        for key in ("name", "kind", "status"):
            fields[key] = parsed.fields.get(key)
        fields["missing"] = parsed.fields.get("missing")
        for name, parameter in parsed.parameters.items():
            base = parameters.get(name)
            if base is not None and base.unit != parameter.unit:
                problems.append(
                    Problem(
                        parameter.where,
                        f"{name} is in {parameter.unit} here but in {base.unit} "
                        f"in {base.defined_in}; an override must keep the unit",
                    )
                )
            parameters[name] = parameter
        if parsed.formulas is not None:
            # A file's formulas add to its base's: an agreement silent on a market keeps
            # what the agreement it is based on pays there (pattern bargaining).
            added = tuple(f for f in parsed.formulas if f not in formulas)
            formulas, formulas_at = formulas + added, parsed.formulas_at
    for name in formulas:
        for needed in FORMULAS[name].reads_parameters:
            if needed not in parameters:
                problems.append(
                    Problem(
                        formulas_at,
                        f"formula {name} reads {needed}, which {chain[-1].id} does not define",
                    )
                )
    leaf = chain[-1]
    term_start, term_end = fields.get("term", (None, None))
    agreement = Agreement(
        id=leaf.id,
        name=fields.get("name") or leaf.id,
        guild=fields.get("guild") or "",
        employers=fields.get("employers", ()),
        kind=fields.get("kind") or "",
        status=fields.get("status") or "",
        term_start=term_start,
        term_end=term_end,
        based_on=leaf.based_on,
        description=fields.get("description") or "",
        missing=fields.get("missing"),
        formulas=formulas,
        parameters=MappingProxyType(parameters),
        files=tuple(AgreementFile(p.id, p.path, p.sha256) for p in chain),
        overrides=frozenset(leaf.parameters),
    )
    return agreement, problems


def _unique(problems: Iterable[Problem]) -> list[Problem]:
    seen: set[str] = set()
    out: list[Problem] = []
    for problem in problems:
        if str(problem) not in seen:
            seen.add(str(problem))
            out.append(problem)
    return out


def _locate(id_or_path: str | Path, directory: Path | None) -> tuple[Library, str]:
    text = str(id_or_path)
    if isinstance(id_or_path, Path) or text.endswith(".yaml") or "/" in text:
        path = Path(text)
        if not path.is_file() or path.suffix != ".yaml":
            raise NotFound(f"no agreement file {text}")
        return Library(path.parent), path.stem
    library = Library(directory or default_directory())
    if text not in library.paths:
        raise NotFound(f"no agreement {text!r} in {library.directory}")
    return library, text


def load(id_or_path: str | Path, directory: Path | None = None) -> Agreement:
    """The agreement with this id (in ``directory``) or at this path; raises ``InvalidInput``."""
    library, agreement_id = _locate(id_or_path, directory)
    agreement, problems = library.resolve(agreement_id)
    if problems or agreement is None:
        raise InvalidInput(problems)
    return agreement


def list_agreements(directory: Path | None = None) -> tuple[Agreement, ...]:
    """Every agreement in ``directory``, resolved; raises ``InvalidInput`` on any problem."""
    library = Library(directory or default_directory())
    out: list[Agreement] = []
    problems: list[Problem] = []
    for agreement_id in library.paths:
        agreement, found = library.resolve(agreement_id)
        problems.extend(found)
        if agreement is not None:
            out.append(agreement)
    if problems:
        raise InvalidInput(_unique(problems))
    return tuple(out)


def check(path: Path | None = None) -> tuple[tuple[Agreement, ...], list[Problem]]:
    """Check one file (with its chain) or every file in a folder; never raises on bad input."""
    target = path or default_directory()
    if target.is_dir():
        library = Library(target)
        ids = list(library.paths)
        if not ids:
            return (), [Problem(Location(str(target)), "holds no agreement files (*.yaml)")]
    elif target.is_file():
        if target.suffix != ".yaml":
            return (), [Problem(Location(str(target)), "an agreement file must end in .yaml")]
        library = Library(target.parent)
        ids = [target.stem]
    else:
        reason = check_file(target)  # a symlink loop, a broken link, a pipe
        if reason is None or reason.what == "no such file":
            reason = Problem(Location(str(target)), "no such file or folder")
        return (), [reason]
    agreements: list[Agreement] = []
    problems: list[Problem] = []
    for agreement_id in ids:
        agreement, found = library.resolve(agreement_id)
        problems.extend(found)
        if agreement is not None:
            agreements.append(agreement)
    return tuple(agreements), _unique(problems)
