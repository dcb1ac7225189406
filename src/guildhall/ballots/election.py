"""An election's lifecycle: timestamps set once, guards, and what blocks opening.

``created_at`` → ``frozen_at`` (roll frozen, manifest published; then the authority's
credentials imported) →
``opened_at`` → ``closed_at`` → ``tallied_at`` → ``certified_at``. Times are passed in;
nothing here reads the clock.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from guildhall.ballots.errors import WrongState
from guildhall.core.thresholds import Threshold

MAX_WINDOW_DAYS = 45
STATES = ("draft", "frozen", "open", "closed", "tallied", "certified")


@dataclass(frozen=True)
class Election:
    id: str
    case_id: str | None
    question: str
    text: str
    options: tuple[str, ...]
    allow_blank: bool
    threshold: Threshold
    max_window_days: int
    opens_at: datetime
    closes_at: datetime
    trustees_n: int
    trustees_k: int
    eligible: int
    credentials_issued: int
    created_at: datetime
    frozen_at: datetime | None = None
    opened_at: datetime | None = None
    closed_at: datetime | None = None
    tallied_at: datetime | None = None
    certified_at: datetime | None = None

    @property
    def state(self) -> str:
        for name, at in (
            ("certified", self.certified_at), ("tallied", self.tallied_at),
            ("closed", self.closed_at), ("open", self.opened_at), ("frozen", self.frozen_at),
        ):  # fmt: skip
            if at is not None:
                return name
        return "draft"

    def require(self, *states: str, doing: str) -> None:
        if self.state not in states:
            raise WrongState.because(
                self.id, f"cannot {doing}: the election is {self.state}",
                f"this needs an election that is {' or '.join(states)}",
            )  # fmt: skip

    def window_problems(self) -> list[str]:
        problems = []
        if self.closes_at <= self.opens_at:
            problems.append("the vote closes before it opens")
        elif self.closes_at - self.opens_at > timedelta(days=self.max_window_days):
            problems.append(
                f"the voting window is longer than the {self.max_window_days} days the rules allow"
            )
        return problems

    def blockers(self, now: datetime) -> list[str]:
        """What stands between this election and opening, in words; empty when it may open."""
        problems = []
        if self.eligible == 0:
            problems.append("no roll has been imported")
        if self.frozen_at is None:
            problems.append("the roll is not frozen and the election is not published")
        elif self.credentials_issued != self.eligible:
            problems.append(
                "the credential authority's signed list is not imported "
                f"({self.credentials_issued} credentials for {self.eligible} members)"
            )
        problems += self.window_problems()
        if now >= self.closes_at:
            problems.append("the closing time has passed")
        if self.opened_at is not None:
            problems.append("the vote is already open")
        return problems

    def is_accepting(self, now: datetime) -> bool:
        return self.state == "open" and self.opens_at <= now < self.closes_at
