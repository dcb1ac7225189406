"""YAML with positions: every value and key keeps its line and column.

Numbers with a fraction part are read as ``Decimal``, never as binary floats, and a
mapping that repeats a key is a problem rather than a silent overwrite.

A file cannot make the reader hold more than it is: at most ``MAX_ALIASES`` aliases, which
together may repeat at most ``MAX_REPEATED_NODES`` nodes (a 342-byte "billion laughs" file
of nested aliases would otherwise expand to gigabytes), no alias inside what it names, and
at most ``MAX_DEPTH`` levels of nesting. Each breach is a problem at the alias or the level.

>>> doc, problems = parse_yaml("a:\\n  b: 0.36\\n", "x.yaml")
>>> doc.data["a"]["b"], str(doc.where(("a", "b"))), problems
(Decimal('0.36'), 'x.yaml:2:6', [])
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

import yaml

from guildhall.core.problems import Location, Problem
from guildhall.files.reading import YAML_LIMIT, read_text

PathKey = tuple[str | int, ...]

MAX_ALIASES = 1_000
MAX_REPEATED_NODES = 10_000
MAX_DEPTH = 100


class _TooMuch(Exception):
    """The document breaks a bound; carries where and why."""

    def __init__(self, line: int, column: int, what: str) -> None:
        super().__init__(what)
        self.line, self.column, self.what = line, column, what


class _BoundedLoader(yaml.SafeLoader):
    """PyYAML's safe loader, counting aliases and nesting as it composes the node graph."""

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self._aliases = 0
        self._depth = 0

    def compose_node(self, parent: yaml.Node | None, index: Any) -> yaml.Node | None:
        event = self.peek_event()  # type: ignore[no-untyped-call]
        line, column = event.start_mark.line + 1, event.start_mark.column + 1
        if isinstance(event, yaml.AliasEvent):
            self._aliases += 1
            if self._aliases > MAX_ALIASES:
                raise _TooMuch(line, column, f"more than {MAX_ALIASES:,} aliases (*name)")
            return super().compose_node(parent, index)
        self._depth += 1
        try:
            if self._depth > MAX_DEPTH:
                raise _TooMuch(line, column, f"nested more than {MAX_DEPTH} levels deep")
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1


@dataclass(frozen=True)
class YamlDocument:
    """Plain data (dicts, lists, scalars) with the position of every node in it."""

    file: str
    data: Any
    value_at: Mapping[PathKey, tuple[int, int]] = field(default_factory=dict)
    key_at: Mapping[PathKey, tuple[int, int]] = field(default_factory=dict)

    def where(self, path: PathKey, *, key: bool = False) -> Location:
        """The location of the value at ``path`` (or of its key); the nearest known ancestor."""
        if not self.value_at and not self.key_at:
            # data that came from no file (a request's JSON body): name the field instead
            return Location(field=".".join(str(p) for p in path) or None)
        table = self.key_at if key else self.value_at
        probe = tuple(path)
        while probe:
            if probe in table:
                line, column = table[probe]
                return Location(self.file, line, column)
            if probe in self.value_at:
                line, column = self.value_at[probe]
                return Location(self.file, line, column)
            probe = probe[:-1]
        line, column = self.value_at.get((), (1, 1))
        return Location(self.file, line, column)

    def problem(
        self, path: PathKey, what: str, *, hint: str | None = None, key: bool = False
    ) -> Problem:
        return Problem(self.where(path, key=key), what, hint)


def _mark(node: yaml.Node) -> tuple[int, int]:
    return node.start_mark.line + 1, node.start_mark.column + 1


class _Builder:
    def __init__(self, loader: yaml.SafeLoader, file: str) -> None:
        self.loader = loader
        self.file = file
        self.value_at: dict[PathKey, tuple[int, int]] = {}
        self.key_at: dict[PathKey, tuple[int, int]] = {}
        self.problems: list[Problem] = []
        self._built: set[int] = set()
        self._open: set[int] = set()
        self._written: list[tuple[int, int]] = [(1, 1)]
        self._repeated = 0

    def build(self, node: yaml.Node, path: PathKey) -> Any:
        mark = _mark(node)
        self.value_at[path] = mark
        if id(node) in self._open:
            raise _TooMuch(*mark, "an alias refers to a node that contains it")
        repeated = id(node) in self._built  # reached through an alias: built again here
        if repeated:
            self._repeated += 1
            if self._repeated > MAX_REPEATED_NODES:
                # Where the alias is written: in the innermost node not itself repeated.
                raise _TooMuch(
                    *self._written[-1], f"aliases repeat more than {MAX_REPEATED_NODES:,} values"
                )
        self._built.add(id(node))
        if not isinstance(node, yaml.MappingNode | yaml.SequenceNode):
            return self._scalar(node)
        self._open.add(id(node))
        if not repeated:
            self._written.append(mark)
        try:
            if isinstance(node, yaml.MappingNode):
                return self._mapping(node, path)
            return [self.build(item, (*path, i)) for i, item in enumerate(node.value)]
        finally:
            self._open.discard(id(node))
            if not repeated:
                self._written.pop()

    def _mapping(self, node: yaml.MappingNode, path: PathKey) -> dict[Any, Any]:
        out: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            if key_node.tag == "tag:yaml.org,2002:merge":
                line, column = _mark(key_node)
                self.problems.append(
                    Problem(Location(self.file, line, column), "merge keys (<<) are not supported")
                )
                continue
            # Keys are text as written: YAML 1.1 would read `on:` or `no:` as booleans.
            key = str(key_node.value) if isinstance(key_node, yaml.ScalarNode) else None
            if key is None:
                line, column = _mark(key_node)
                self.problems.append(
                    Problem(Location(self.file, line, column), "a key must be plain text")
                )
                continue
            child = (*path, key)
            if key in out:
                line, column = _mark(key_node)
                first_line = self.key_at[child][0]
                self.problems.append(
                    Problem(
                        Location(self.file, line, column),
                        f"key {key!r} appears twice in this mapping (first on line {first_line})",
                    )
                )
                continue
            self.key_at[child] = _mark(key_node)
            out[key] = self.build(value_node, child)
        return out

    def _scalar(self, node: yaml.Node) -> Any:
        if node.tag == "tag:yaml.org,2002:float":
            text = str(node.value).replace("_", "")
            try:
                return Decimal(text)
            except InvalidOperation:
                line, column = _mark(node)
                self.problems.append(
                    Problem(Location(self.file, line, column), f"{node.value!r} is not a number")
                )
                return None
        try:
            return self.loader.construct_object(node, deep=True)
        except (ValueError, yaml.YAMLError):
            # An impossible date or the like: keep the text; the reader's checks say why.
            return node.value


def parse_yaml(text: str, file: str) -> tuple[YamlDocument, list[Problem]]:
    """Parse one YAML document; syntax errors come back as problems with line and column."""
    try:
        loader = _BoundedLoader(text)  # the reader checks every character here
    except yaml.reader.ReaderError as exc:
        at_line, at_column = _position(text, exc.position)
        what = f"a character YAML does not allow: {chr(exc.character)!r}"
        return YamlDocument(file, None), [Problem(Location(file, at_line, at_column), what)]
    try:
        node = loader.get_single_node()
    except _TooMuch as exc:
        return YamlDocument(file, None), [_bound_problem(file, exc)]
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        column = mark.column + 1 if mark else None
        what = f"not valid YAML: {exc.problem or exc.context}"
        return YamlDocument(file, None), [Problem(Location(file, line, column), what)]
    except yaml.YAMLError as exc:
        return YamlDocument(file, None), [Problem(Location(file), f"not valid YAML: {exc}")]
    finally:
        loader.dispose()
    if node is None:
        return YamlDocument(file, None), [Problem(Location(file, 1, 1), "the file is empty")]
    builder = _Builder(loader, file)
    try:
        data = builder.build(node, ())
    except _TooMuch as exc:
        return YamlDocument(file, None), [_bound_problem(file, exc)]
    return YamlDocument(file, data, builder.value_at, builder.key_at), builder.problems


def _bound_problem(file: str, exc: _TooMuch) -> Problem:
    return Problem(
        Location(file, exc.line, exc.column),
        f"refused: {exc.what}",
        hint="write the values out instead of repeating them with aliases"
        if "repeat" in exc.what
        else None,
    )


def _position(text: str, index: int) -> tuple[int, int]:
    line_start = text.rfind("\n", 0, index) + 1
    return text.count("\n", 0, index) + 1, index - line_start + 1


def read_yaml(path: Path, *, limit: int = YAML_LIMIT) -> tuple[YamlDocument, list[Problem]]:
    """Read and parse a YAML file; an unreadable file is a problem, not an exception."""
    text, problems = read_text(path, limit=limit)
    if text is None:
        return YamlDocument(str(path), None), problems
    return parse_yaml(text, str(path))
