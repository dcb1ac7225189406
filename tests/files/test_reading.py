"""The safe reader: what is not a regular file, too large, or not UTF-8 is a named problem."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from guildhall.core.errors import InvalidInput
from guildhall.files.reading import (
    check_utf8_file,
    decode,
    read_bytes,
    read_text,
    require_text,
    size_text,
)


def _what(path: Path, limit: int = 1000) -> str:
    text, problems = read_text(path, limit=limit)
    assert text is None
    assert len(problems) == 1
    assert problems[0].where.file == str(path)
    return problems[0].what


def test_a_folder_is_named_as_a_folder(tmp_path: Path) -> None:
    assert _what(tmp_path) == "is a folder, not a file"


def test_a_symlink_loop_is_named_as_a_loop(tmp_path: Path) -> None:
    loop = tmp_path / "loop.yaml"
    os.symlink(loop, loop)
    assert _what(loop) == "is a symlink loop"
    a, b = tmp_path / "a.csv", tmp_path / "b.csv"
    os.symlink(b, a)
    os.symlink(a, b)
    assert _what(a) == "is a symlink loop"


def test_a_missing_file_and_a_broken_link(tmp_path: Path) -> None:
    assert _what(tmp_path / "nothing.yaml") == "no such file"
    link = tmp_path / "dangling.yaml"
    os.symlink(tmp_path / "gone", link)
    assert _what(link) == "is a broken symlink"
    plain = tmp_path / "plain"
    plain.write_text("x")
    assert _what(plain / "below.yaml") == "no such file (a part of the path is not a folder)"


def test_a_pipe_is_refused_without_opening_it(tmp_path: Path) -> None:
    fifo = tmp_path / "fifo.csv"
    os.mkfifo(fifo)
    # Opening a pipe with no writer would block forever; the reader never opens it.
    assert _what(fifo) == "is not a regular file (a pipe, socket or device)"


def test_a_file_over_the_limit_is_refused_with_both_sizes(tmp_path: Path) -> None:
    big = tmp_path / "big.yaml"
    big.write_bytes(b"a" * 3 * 1024 * 1024)
    what = _what(big, limit=1024 * 1024)
    assert what == "is 3.0 MiB; the limit for this kind of file is 1.0 MiB"
    data, problems = read_bytes(big, limit=3 * 1024 * 1024)
    assert problems == [] and data is not None and len(data) == 3 * 1024 * 1024


def test_bad_utf8_is_located_by_line_and_column(tmp_path: Path) -> None:
    path = tmp_path / "roll.csv"
    path.write_bytes(
        "member_id\nM1\nMé\xff!\n".encode("utf-8", "surrogateescape").replace(
            "\xff".encode(), b"\xff"
        )
    )
    text, problems = read_text(path, limit=1000)
    assert text is None
    assert [str(p) for p in problems] == [
        f"{path}:3:3: not UTF-8 text: byte 0xff cannot be decoded (save the file as UTF-8)"
    ]


def test_a_byte_order_mark_is_dropped() -> None:
    assert decode(b"\xef\xbb\xbfmember_id\n", "x") == ("member_id\n", [])
    assert decode(b"member_id\n", "x") == ("member_id\n", [])


def test_require_text_raises_invalid_input(tmp_path: Path) -> None:
    with pytest.raises(InvalidInput) as caught:
        require_text(tmp_path, limit=10)
    assert str(caught.value) == f"{tmp_path}: is a folder, not a file"


def test_the_chunked_check_finds_a_bad_byte_across_chunks(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from guildhall.files import reading

    monkeypatch.setattr(reading, "_CHUNK", 7)
    path = tmp_path / "events.csv"
    # "é" is two bytes; the chunk edge falls between them, which is fine; 0xfe is not.
    path.write_bytes(b"\xef\xbb\xbfab\ncd\xc3\xa9e\nfghij\nkl\xfe\n")
    problem = check_utf8_file(path)
    assert problem is not None
    assert str(problem.where) == f"{path}:4:3"
    good = tmp_path / "good.csv"
    good.write_bytes(b"ab\ncd\xc3\xa9e\n" * 20)
    assert check_utf8_file(good) is None
    cut = tmp_path / "cut.csv"
    cut.write_bytes(b"ab\xc3")  # a truncated character at the very end
    problem = check_utf8_file(cut)
    assert problem is not None and str(problem.where) == f"{cut}:1:3"


@pytest.mark.parametrize(
    ("size", "text"),
    [(10, "10 bytes"), (2048, "2.0 KiB"), (5 << 20, "5.0 MiB"), (8 << 30, "8.0 GiB")],
)
def test_sizes_read_as_people_say_them(size: int, text: str) -> None:
    assert size_text(size) == text
