"""Counts and outcomes: threshold edges, blank ballots, trustee subsets."""

from __future__ import annotations

import itertools
from collections.abc import Callable
from fractions import Fraction

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from guildhall.core.thresholds import Threshold

AT_LEAST = Threshold(Fraction(3, 4), "at_least")
MORE_THAN = Threshold(Fraction(3, 4), "more_than")


@pytest.mark.parametrize(
    ("yes", "no", "threshold", "passed"),
    [
        (15, 5, AT_LEAST, True),  # exactly 75%
        (15, 5, MORE_THAN, False),
        (14, 5, AT_LEAST, False),  # one vote short (73.7%)
        (16, 5, MORE_THAN, True),  # one vote over (76.2%)
        (3, 1, AT_LEAST, True),
        (2, 1, AT_LEAST, False),
    ],
)
def test_threshold_edges(
    election: Callable[..., object], yes: int, no: int, threshold: Threshold, passed: bool
) -> None:
    run = election(["yes"] * yes + ["no"] * no, threshold=threshold)
    assert run.outcome.counts == {"yes": yes, "no": no}  # type: ignore[attr-defined]
    assert run.outcome.passed is passed  # type: ignore[attr-defined]


def test_no_votes_cast_never_passes(election: Callable[..., object]) -> None:
    run = election([], eligible=5)
    assert run.outcome.cast == 0 and run.outcome.passed is False  # type: ignore[attr-defined]


def test_blank_ballots_count_in_turnout_not_in_the_threshold(
    election: Callable[..., object],
) -> None:
    run = election(["yes"] * 3 + ["no"] + ["blank"] * 4, allow_blank=True, eligible=10)
    out = run.outcome  # type: ignore[attr-defined]
    assert (out.counts["yes"], out.counts["no"], out.blank, out.cast) == (3, 1, 4, 8)
    assert out.passed is True  # 3 of 4 votes is exactly 75%


def test_only_blank_ballots_do_not_pass(election: Callable[..., object]) -> None:
    out = election(["blank"] * 3, allow_blank=True).outcome  # type: ignore[attr-defined]
    assert (out.blank, out.votes, out.passed) == (3, 0, False)


def test_any_quorum_of_trustees_decrypts_the_same(election: Callable[..., object]) -> None:
    choices = ["yes", "no", "yes", "yes"]
    for subset in itertools.combinations(range(1, 6), 3):
        out = election(choices, n=5, k=3, deciding=subset).outcome  # type: ignore[attr-defined]
        assert out.counts == {"yes": 3, "no": 1}


@settings(
    max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    choices=st.lists(st.sampled_from(["yes", "no", "blank"]), max_size=12),
    n=st.integers(1, 5),
    data=st.data(),
)
def test_decrypted_tally_equals_the_plaintext_count(
    election: Callable[..., object], choices: list[str], n: int, data: st.DataObject
) -> None:
    k = data.draw(st.integers(1, n))
    subset = sorted(data.draw(st.sets(st.integers(1, n), min_size=k, max_size=n)))
    out = election(choices, allow_blank=True, n=n, k=k, deciding=subset).outcome  # type: ignore[attr-defined]
    assert out.counts == {"yes": choices.count("yes"), "no": choices.count("no")}
    assert out.blank == choices.count("blank")
