"""YAML with positions: every value and key keeps its line and column.

Numbers with a fraction part are read as ``Decimal``, never as binary floats, and a
mapping that repeats a key is a problem rather than a silent overwrite.

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

PathKey = tuple[str | int, ...]


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

    def build(self, node: yaml.Node, path: PathKey) -> Any:
        self.value_at[path] = _mark(node)
        if isinstance(node, yaml.MappingNode):
            return self._mapping(node, path)
        if isinstance(node, yaml.SequenceNode):
            return [self.build(item, (*path, i)) for i, item in enumerate(node.value)]
        return self._scalar(node)

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
        if isinstance(node, yaml.MappingNode | yaml.SequenceNode):
            return self.build(node, ())
        try:
            return self.loader.construct_object(node, deep=True)
        except (ValueError, yaml.YAMLError):
            # An impossible date or the like: keep the text; the reader's checks say why.
            return node.value


def parse_yaml(text: str, file: str) -> tuple[YamlDocument, list[Problem]]:
    """Parse one YAML document; syntax errors come back as problems with line and column."""
    loader = yaml.SafeLoader(text)
    try:
        node = loader.get_single_node()
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
    data = builder.build(node, ())
    return YamlDocument(file, data, builder.value_at, builder.key_at), builder.problems


def read_yaml(path: Path) -> tuple[YamlDocument, list[Problem]]:
    """Read and parse a YAML file; an unreadable file is a problem, not an exception."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return YamlDocument(str(path), None), [Problem(Location(str(path)), "no such file")]
    except UnicodeDecodeError as exc:
        return YamlDocument(str(path), None), [
            Problem(Location(str(path)), f"not UTF-8 text (byte {exc.start})")
        ]
    return parse_yaml(text, str(path))
