"""Guildhall's exceptions, one tree for every part.

::

    GuildhallError
     ├── InvalidInput        input a person gave was wrong; carries Problems (exit 2, HTTP 422)
     │    └── RuleRefused    an event the bargaining rules do not allow now (HTTP 409)
     ├── NotFound            a case, agreement or election that does not exist (exit 2, 404)
     ├── Conflict            the store already holds what was to be created (exit 2, 409)
     ├── NotSignedIn         the web action needs a signed-in account (HTTP 401)
     ├── NotAllowed          the signed-in role may not do this (HTTP 403)
     └── TooManyAttempts     too many failed sign-ins; wait (HTTP 429)

Programming errors are left as Python's own exceptions.
"""

from __future__ import annotations

from collections.abc import Iterable

from guildhall.core.problems import Problem


class GuildhallError(Exception):
    """The root of Guildhall's exceptions."""


class InvalidInput(GuildhallError):
    """One or more problems in input a person gave; nothing was written."""

    def __init__(self, problems: Iterable[Problem]) -> None:
        self.problems: tuple[Problem, ...] = tuple(problems)
        if not self.problems:
            raise ValueError("InvalidInput needs at least one problem")
        super().__init__("\n".join(str(p) for p in self.problems))


class RuleRefused(InvalidInput):
    """An event the rules refuse; each problem names the rule it broke."""


class NotFound(GuildhallError):
    """A named thing is not in the store or on disk."""


class Conflict(GuildhallError):
    """The thing to be created exists already."""


class NotSignedIn(GuildhallError):
    """The action needs a signed-in account and there is none (HTTP 401)."""


class NotAllowed(GuildhallError):
    """The signed-in account's role may not do this (HTTP 403)."""


class TooManyAttempts(GuildhallError):
    """Too many failed sign-ins for an account or from an address; try again later (429)."""

    def __init__(self, message: str, retry_after_seconds: int) -> None:
        self.retry_after_seconds = retry_after_seconds
        super().__init__(message)
