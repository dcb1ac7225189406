"""JSON problems name the line and column; JSON Lines name the line."""

from __future__ import annotations

from guildhall.files.located_json import parse_json, parse_json_lines, parse_json_or_lines


def _refuse(text: str) -> None:
    raise ValueError(f"a float ({text}) where only integers are allowed")


def test_syntax_errors_are_located() -> None:
    value, problems = parse_json('{\n  "a": [1,]\n}', "b.json")
    assert value is None
    assert [str(p) for p in problems] == ["b.json:2:11: not valid JSON: Expecting value"]


def test_empty_and_deep_and_refused_floats() -> None:
    assert [p.what for p in parse_json("  \n", "e.json")[1]] == ["is empty; expected JSON"]
    assert [p.what for p in parse_json("[" * 200_000, "d.json")[1]] == [
        "not readable: JSON nested too deeply"
    ]
    assert [p.what for p in parse_json('{"x": 1.5}', "f.json", parse_float=_refuse)[1]] == [
        "a float (1.5) where only integers are allowed"
    ]


def test_json_lines_name_the_bad_line() -> None:
    values, problems = parse_json_lines('{"a": 1}\n\n{"a": \n{"b": 2}\n', "l.jsonl")
    assert values == [{"a": 1}, {"b": 2}]
    assert [str(p) for p in problems] == ["l.jsonl:3:7: not valid JSON: Expecting value"]


def test_one_value_or_lines() -> None:
    assert parse_json_or_lines('{\n "a": 1\n}\n', "x") == ([{"a": 1}], [])
    assert parse_json_or_lines('{"a": 1}\n{"a": 2}\n', "x") == ([{"a": 1}, {"a": 2}], [])
    assert [p.what for p in parse_json_or_lines("", "x")[1]] == ["is empty; expected JSON"]
