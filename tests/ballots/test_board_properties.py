"""Properties over random elections: the verified count is the plaintext count, whatever
quorum of trustees decrypts, and any change to a single field of a board fails."""

from __future__ import annotations

import json
from typing import Any

from ballot_boards import edit, run_election, verify
from hypothesis import given, settings
from hypothesis import strategies as st

BOARD = run_election(["yes", "no", "blank", "yes"], eligible=6, allow_blank=True, spoil=1,
                     seed=11).lines()  # fmt: skip


def _leaves(value: Any, path: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    if isinstance(value, dict):
        return [p for k in sorted(value) for p in _leaves(value[k], (*path, k))]
    if isinstance(value, list):
        return [p for i, v in enumerate(value) for p in _leaves(v, (*path, i))] or [path]
    return [path]


def _changed(value: Any, draw: st.DataObject) -> Any:
    if isinstance(value, bool):
        return not value
    if isinstance(value, int):
        return value + draw.draw(st.sampled_from([1, -1]))
    if isinstance(value, str) and value:
        i = draw.draw(st.integers(0, len(value) - 1))
        replacement = draw.draw(st.sampled_from("0123456789abcdefxyz-:T+ ").filter(
            lambda c: c != value[i]))  # fmt: skip
        return value[:i] + replacement + value[i + 1 :]
    if isinstance(value, list):
        return value[1:]
    return 0 if value is None else None


@settings(max_examples=60, deadline=None)
@given(data=st.data())
def test_any_single_field_change_fails_verification(data: st.DataObject) -> None:
    index = data.draw(st.integers(0, len(BOARD) - 1), label="entry")
    body = json.loads(BOARD[index])["body"]
    path = data.draw(st.sampled_from(_leaves(body)), label="field")
    target = body
    for key in path[:-1]:
        target = target[key]
    new = _changed(target[path[-1]], data)

    def change(b: dict[str, Any]) -> None:
        t = b
        for key in path[:-1]:
            t = t[key]
        t[path[-1]] = new

    report = verify(edit(BOARD, index, change))
    assert not report.is_valid, (index, path, new)


def test_the_unchanged_board_verifies() -> None:
    assert verify(BOARD).is_valid


@settings(max_examples=8, deadline=None)
@given(
    choices=st.lists(st.sampled_from(["yes", "no", "blank"]), max_size=8),
    n=st.integers(1, 4),
    data=st.data(),
)
def test_random_elections_verify_with_the_plaintext_count(
    choices: list[str], n: int, data: st.DataObject
) -> None:
    k = data.draw(st.integers(1, n))
    subset = sorted(data.draw(st.sets(st.integers(1, n), min_size=k, max_size=n)))
    run = run_election(choices, eligible=len(choices) + 1, allow_blank=True, n=n, k=k,
                       deciding=subset)  # fmt: skip
    report = verify(run.lines())
    assert report.is_valid, report.failures
    assert report.result is not None
    assert report.result["counts"] == {"yes": choices.count("yes"), "no": choices.count("no")}
    assert report.result["blank"] == choices.count("blank")
