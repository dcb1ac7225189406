"""The SAG rules: which event may follow which, and the rule that says no."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from guildhall.bargaining.records import Event
from guildhall.bargaining.rulebook import Rulebook, parse_rulebook
from guildhall.bargaining.rules import check, next_steps, vote_passed

from .helpers import event

RULES = Path(__file__).resolve().parents[2] / "rules" / "sag.yaml"


def rulebook(**overrides: object) -> Rulebook:
    book, problems = parse_rulebook(RULES.read_text(), str(RULES), overrides or None)
    assert problems == [] and book is not None
    return book


MEDIATION = [
    event("mediation_requested", "2008-10-19", by="sag"),
    event("mediation_accepted", "2008-10-22", by="amptp"),
]
DETERMINED = [
    *MEDIATION,
    event("mediation_failed_determination", "2008-11-25", by="negotiating_committee"),
]
OPENED = [
    *DETERMINED,
    event(
        "vote_opened",
        "2008-12-01",
        by="negotiating_committee",
        vote="sa-1",
        question="strike_authorization",
        closes_on="2009-01-10",
    ),
]


def closed(yes: int, no: int, on: str = "2009-01-10", **extra: object) -> Event:
    return event(
        "vote_closed", on, vote="sa-1", question="strike_authorization", yes=yes, no=no, **extra
    )


def rules_broken(history: list[Event], new: Event, book: Rulebook | None = None) -> list[str]:
    return [r.rule for r in check(book or rulebook(), "sag", history, new)]


def test_strike_authorization_before_the_committees_determination_is_refused() -> None:
    vote = OPENED[-1]
    assert rules_broken(MEDIATION, vote) == ["strike-authorization-after-failed-mediation"]


def test_strike_authorization_after_the_determination_is_allowed() -> None:
    assert rules_broken(DETERMINED, OPENED[-1]) == []


def test_only_the_committee_sends_a_strike_authorization() -> None:
    vote = event(
        "vote_opened",
        "2008-12-01",
        by="national_board",
        vote="sa-1",
        question="strike_authorization",
        closes_on="2008-12-20",
    )
    assert rules_broken(DETERMINED, vote) == ["strike-authorization-after-failed-mediation"]


@pytest.mark.parametrize(
    ("closes_on", "broken"),
    [
        ("2009-01-15", []),
        ("2009-01-16", ["strike-authorization-window"]),
    ],
)
def test_a_strike_authorization_runs_at_most_45_days(closes_on: str, broken: list[str]) -> None:
    vote = event(
        "vote_opened",
        "2008-12-01",
        by="negotiating_committee",
        vote="sa-1",
        question="strike_authorization",
        closes_on=closes_on,
    )
    assert rules_broken(DETERMINED, vote) == broken


def test_a_strike_call_with_no_passed_authorization_is_refused() -> None:
    call = event("board_strike_decision", "2009-01-12", by="national_board", decision="strike")
    assert rules_broken(DETERMINED, call) == ["strike-call-needs-passed-authorization"]
    failed = [*OPENED, closed(740, 260)]
    assert rules_broken(failed, call) == ["strike-call-needs-passed-authorization"]


def test_a_strike_call_after_a_passed_authorization_is_allowed() -> None:
    call = event("board_strike_decision", "2009-01-12", by="national_board", decision="strike")
    assert rules_broken([*OPENED, closed(750, 250)], call) == []


def test_only_the_national_board_calls_a_strike() -> None:
    call = event(
        "board_strike_decision", "2009-01-12", by="negotiating_committee", decision="strike"
    )
    assert rules_broken([*OPENED, closed(900, 100)], call) == [
        "strike-called-only-by-national-board"
    ]


@pytest.mark.parametrize(
    ("comparison", "yes", "no", "passes"),
    [
        ("at_least", 750, 250, True),
        ("at_least", 749, 251, False),
        ("more_than", 750, 250, False),
        ("more_than", 751, 249, True),
        ("at_least", 0, 0, False),
    ],
)
def test_the_threshold_reading_is_a_setting(
    comparison: str, yes: int, no: int, passes: bool
) -> None:
    book = rulebook(strike_authorization={"comparison": comparison})
    assert vote_passed(book, closed(yes, no)) is passes


def test_blank_ballots_are_not_votes_cast() -> None:
    assert vote_passed(rulebook(), closed(75, 25, blank=400)) is True


def test_a_stated_result_that_contradicts_the_count_is_refused() -> None:
    assert rules_broken(OPENED, closed(749, 251, passed=True)) == ["vote-outcome-follows-threshold"]


def test_a_vote_cannot_close_after_its_window() -> None:
    assert rules_broken(OPENED, closed(900, 100, on="2009-01-16")) == [
        "strike-authorization-closes-within-window"
    ]


def test_a_vote_must_be_open_to_close_and_opens_once() -> None:
    assert rules_broken(DETERMINED, closed(1, 0)) == ["vote-closes-an-open-vote"]
    assert rules_broken(OPENED, OPENED[-1]) == ["vote-opened-once"]


def test_more_ballots_than_members_is_refused() -> None:
    assert rules_broken(OPENED, closed(600, 500, eligible=1000)) == ["votes-within-roll"]


def test_other_unions_events_are_not_bound_by_the_guilds_rules() -> None:
    strike = event("strike_started", "2007-11-05", union="wga")
    assert rules_broken([], strike) == []
    assert rules_broken([], event("strike_started", "2009-01-01")) == [
        "strike-starts-on-board-call"
    ]


def test_next_steps_list_refusals_with_their_rules() -> None:
    steps = {s.label: s for s in next_steps(rulebook(), "sag", MEDIATION, date(2008, 11, 1))}
    sa = steps["vote_opened (question=strike_authorization)"]
    assert not sa.allowed
    assert [r.rule for r in sa.refusals] == ["strike-authorization-after-failed-mediation"]
    assert steps["mediation_failed_determination"].allowed
    strike = steps["board_strike_decision (decision=strike)"]
    assert [r.rule for r in strike.refusals] == ["strike-call-needs-passed-authorization"]
    after = {s.label: s for s in next_steps(rulebook(), "sag", DETERMINED, date(2008, 11, 26))}
    assert after["vote_opened (question=strike_authorization)"].allowed


def test_a_bad_threshold_in_a_rules_file_names_its_line() -> None:
    text = RULES.read_text().replace('threshold: "3/4"', 'threshold: "five"')
    _, problems = parse_rulebook(text, "sag.yaml")
    assert len(problems) == 1
    assert str(problems[0]).startswith("sag.yaml:")
    assert "not a threshold" in problems[0].what
