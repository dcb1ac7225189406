"""A problem in input: where it is, what is wrong, and what to do about it."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Location:
    """Where a problem is: a file with line and column, or a table row and field."""

    file: str | None = None
    line: int | None = None
    column: int | None = None
    row: int | None = None
    field: str | None = None

    def __str__(self) -> str:
        parts: list[str] = []
        if self.file:
            parts.append(self.file)
        if self.line is not None:
            parts.append(str(self.line))
            if self.column is not None:
                parts.append(str(self.column))
        text = ":".join(parts)
        extras = []
        if self.row is not None:
            extras.append(f"row {self.row}")
        if self.field:
            extras.append(f"field {self.field!r}")
        if extras:
            text = f"{text}: {', '.join(extras)}" if text else ", ".join(extras)
        return text or "<input>"

    def as_dict(self) -> dict[str, str | int]:
        out: dict[str, str | int] = {}
        for name in ("file", "line", "column", "row", "field"):
            value = getattr(self, name)
            if value is not None:
                out[name] = value
        return out


@dataclass(frozen=True)
class Problem:
    """One thing wrong with an input, with where and, when known, what to do."""

    where: Location
    what: str
    hint: str | None = None
    rule: str | None = field(default=None)

    def __str__(self) -> str:
        text = f"{self.where}: {self.what}"
        if self.rule:
            text += f" [rule {self.rule}]"
        if self.hint:
            text += f" ({self.hint})"
        return text

    def as_dict(self) -> dict[str, object]:
        out: dict[str, object] = {"where": self.where.as_dict(), "what": self.what}
        if self.hint:
            out["hint"] = self.hint
        if self.rule:
            out["rule"] = self.rule
        return out
