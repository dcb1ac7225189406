"""YAML cannot make the reader hold more than the file: aliases and nesting are bounded."""

from __future__ import annotations

import resource
import time
from pathlib import Path

from guildhall.files.located_yaml import MAX_DEPTH, parse_yaml, read_yaml

# The 342-byte "billion laughs": nine levels of nine aliases, 9**9 strings when expanded.
BOMB = """\
a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]
b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]
c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]
d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]
e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]
f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]
g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]
h: &h [*g,*g,*g,*g,*g,*g,*g,*g,*g]
i: &i [*h,*h,*h,*h,*h,*h,*h,*h,*h]
"""


def test_the_alias_bomb_is_refused_quickly_and_small() -> None:
    assert len(BOMB.encode()) == 342
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    started = time.monotonic()
    doc, problems = parse_yaml(BOMB, "bomb.yaml")
    assert time.monotonic() - started < 5
    grown_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before
    assert grown_kib < 200 * 1024  # under 200 MiB more, where expanding it takes gigabytes
    assert doc.data is None
    assert len(problems) == 1
    assert problems[0].what == "refused: aliases repeat more than 10,000 values"
    # e: [*d, ...] is the first list whose aliases expand past the bound (9**5 values)
    assert str(problems[0].where) == "bomb.yaml:5:4"
    assert "write the values out" in (problems[0].hint or "")


def test_a_few_aliases_are_still_read() -> None:
    doc, problems = parse_yaml("base: &b {x: 1}\nother: *b\n", "x.yaml")
    assert problems == []
    assert doc.data == {"base": {"x": 1}, "other": {"x": 1}}


def test_an_alias_inside_what_it_names_is_refused() -> None:
    doc, problems = parse_yaml("a: &a [1, *a]\n", "loop.yaml")
    assert doc.data is None
    assert [str(p) for p in problems] == [
        "loop.yaml:1:4: refused: an alias refers to a node that contains it"
    ]


def test_too_many_aliases_are_refused() -> None:
    text = "a: &a 1\nb: [" + ", ".join(["*a"] * 1001) + "]\n"
    _, problems = parse_yaml(text, "many.yaml")
    assert [p.what for p in problems] == ["refused: more than 1,000 aliases (*name)"]
    assert problems[0].where.line == 2


def test_deep_nesting_is_refused_not_a_recursion_error() -> None:
    for text in ("[" * 5000 + "]" * 5000, "a:\n" + "".join(" " * i + "- \n" for i in range(2000))):
        doc, problems = parse_yaml(text, "deep.yaml")
        assert doc.data is None
        assert len(problems) == 1
        assert problems[0].what in (
            f"refused: nested more than {MAX_DEPTH} levels deep",
        ) or problems[0].what.startswith("not valid YAML")


def test_a_character_yaml_does_not_allow_is_located() -> None:
    _, problems = parse_yaml("a: 1\nb: x\x00y\n", "nul.yaml")
    assert [str(p) for p in problems] == ["nul.yaml:2:5: a character YAML does not allow: '\\x00'"]


def test_read_yaml_uses_the_safe_reader(tmp_path: Path) -> None:
    _, problems = read_yaml(tmp_path)
    assert [p.what for p in problems] == ["is a folder, not a file"]
    big = tmp_path / "big.yaml"
    big.write_text("a: " + "x" * 2000 + "\n")
    _, problems = read_yaml(big, limit=1000)
    assert [p.what for p in problems] == [
        "is 2.0 KiB; the limit for this kind of file is 1000 bytes"
    ]
    bad = tmp_path / "bad.yaml"
    bad.write_bytes(b"a: 1\nb: \xff\n")
    _, problems = read_yaml(bad)
    assert [str(p.where) for p in problems] == [f"{bad}:2:4"]
