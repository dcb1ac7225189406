"""The CSV header check names unknown, repeated and missing columns; rows know their line."""

from __future__ import annotations

from guildhall.files.csv_table import parse_csv

COLUMNS = ("member_id", "standing")


def _messages(text: str) -> list[str]:
    _, problems = parse_csv(text, "roll.csv", required=COLUMNS)
    return [str(p) for p in problems]


def test_a_good_table_keeps_lines_and_rows() -> None:
    table, problems = parse_csv(
        'member_id,standing\nM1,good\n\n"M\n2",lapsed\nM3,good\n', "roll.csv", required=COLUMNS
    )
    assert problems == [] and table is not None
    assert [(r.line, r.row, r.values["member_id"]) for r in table.rows] == [
        (2, 2, "M1"),
        (4, 3, "M\n2"),
        (6, 4, "M3"),
    ]


def test_a_byte_order_mark_is_not_part_of_the_first_column() -> None:
    table, problems = parse_csv("\ufeffmember_id,standing\nM1,good\n", "r", required=COLUMNS)
    assert problems == [] and table is not None and table.header == COLUMNS


def test_an_unknown_column_is_named() -> None:
    assert _messages("member_id,standing,email\nM1,good,a@b\n") == [
        "roll.csv:1: field 'email': unknown column 'email' (the columns are: member_id, standing)"
    ]


def test_missing_and_repeated_columns_are_named() -> None:
    assert _messages("member_id,member_id\n") == [
        "roll.csv:1: field 'member_id': column 'member_id' appears twice in the header",
        "roll.csv:1: the header lacks standing",
    ]


def test_an_empty_file_asks_for_a_header() -> None:
    for text in ("", "\n\n", "\ufeff"):
        assert _messages(text) == [
            "roll.csv:1: the file is empty; its first line must be a header: member_id, standing"
        ]


def test_a_row_of_the_wrong_width_is_a_problem_at_its_line() -> None:
    table, problems = parse_csv("member_id,standing\nM1\nM2,good\n", "roll.csv", required=COLUMNS)
    assert table is not None and [r.values["member_id"] for r in table.rows] == ["M2"]
    assert [str(p) for p in problems] == [
        "roll.csv:2: row 2: the row has 1 fields; the header has 2"
    ]


def test_a_field_over_the_csv_limit_is_a_problem() -> None:
    messages = _messages("member_id,standing\n" + "x" * 200_000 + ",good\n")
    assert len(messages) == 1 and "not valid CSV: field larger than field limit" in messages[0]
