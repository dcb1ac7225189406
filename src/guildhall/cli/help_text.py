"""Help text in a person's words: TEXT, INTEGER, PATH, text|json, never a Python type.

Typer labels a parameter with its annotation (``<str>``, ``<list[Path]>``, ``<bool>``);
``plain_type_labels`` replaces that label for every command, those added later included.
"""

from __future__ import annotations

import datetime as dt
import enum
from pathlib import Path, PurePath
from typing import Any, get_args, get_origin

from typer.core import TyperArgument, TyperOption

_NAMES: dict[type, str] = {
    str: "TEXT",
    int: "INTEGER",
    float: "NUMBER",
    dt.datetime: "TIME",
    dt.date: "DATE",
}


def _label(annotation: Any) -> str:
    args = [a for a in get_args(annotation) if a is not type(None)]
    if get_origin(annotation) in (list, tuple) or (args and len(args) == 1):
        return _label(args[0]) if args else "VALUE"
    if annotation is bool:
        return ""
    if isinstance(annotation, type):
        if issubclass(annotation, enum.Enum):
            return "|".join(str(member.value) for member in annotation)
        if issubclass(annotation, PurePath | Path):
            return "PATH"
        for kind, name in _NAMES.items():
            if issubclass(annotation, kind):
                return name
    return "VALUE"


def plain_label(param: TyperOption | TyperArgument) -> str:
    """What the help shows for ``param``'s value: '' for a flag, else a word like PATH."""
    if isinstance(param, TyperOption) and (param.is_flag or param.count):
        return ""
    descriptor = param.type_descriptor
    if descriptor.is_choice and descriptor.choices is not None:
        return "|".join(
            str(c.value) if isinstance(c, enum.Enum) else str(c) for c in descriptor.choices
        )
    return _label(descriptor.annotation)


def _display_type(self: Any, ctx: Any) -> str:
    return plain_label(self)


def plain_type_labels() -> None:
    """Label every option and argument of every Typer command with ``plain_label``."""
    TyperOption.display_type = _display_type  # type: ignore[method-assign]
    TyperArgument.display_type = _display_type  # type: ignore[method-assign]
