"""What can go wrong with a vote, as exceptions.

::

    GuildhallError                       (guildhall.core.errors)
     ├── InvalidInput
     │    ├── BallotRejected     a cast ballot failed a check; nothing was stored
     │    ├── WrongState         the election is not in the state the step needs
     │    └── RuleRefused        the case's rules refuse opening or recording a vote
     ├── NotFound                no such election
     ├── Conflict
     │    └── AlreadyVoted       the credential has cast its ballot already
     └── CryptoError             bytes that are not a valid group element, scalar,
                                 key or proof where one is required

Verification of a published board does not raise: it returns the failures it found.
"""

from __future__ import annotations

from guildhall.core.errors import Conflict, GuildhallError, InvalidInput
from guildhall.core.problems import Location, Problem


class CryptoError(GuildhallError):
    """A value that should be a group element, scalar, key or proof is not one."""


class BallotRejected(InvalidInput):
    """A ballot refused at casting, with the reason."""

    @classmethod
    def because(cls, what: str, *, field: str | None = None) -> BallotRejected:
        return cls([Problem(Location(file="ballot", field=field), what)])


class WrongState(InvalidInput):
    """A lifecycle step asked for when the election is not ready for it."""

    @classmethod
    def because(cls, election_id: str, what: str, hint: str | None = None) -> WrongState:
        return cls([Problem(Location(file=f"election {election_id}"), what, hint)])


class AlreadyVoted(Conflict):
    """The credential has already cast the one ballot it is allowed."""
