"""Output is never written over what exists without force, and is moved in only whole."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest

from guildhall.core.errors import InvalidInput
from guildhall.files.output import output_file, output_folder, refuse_existing, write_text


class Boom(Exception):
    pass


def _leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if ".partial-" in p.name)


def test_a_new_file_is_written_whole(tmp_path: Path) -> None:
    target = tmp_path / "sub" / "out.txt"
    write_text(target, "hello\n")
    assert target.read_text() == "hello\n"
    assert stat.S_IMODE(target.stat().st_mode) == 0o644
    assert _leftovers(target.parent) == []


def test_a_private_file_is_readable_by_its_owner_only(tmp_path: Path) -> None:
    target = write_text(tmp_path / "key.json", "{}", private=True)
    assert stat.S_IMODE(target.stat().st_mode) == 0o600


def test_an_existing_file_is_refused_and_kept(tmp_path: Path) -> None:
    target = tmp_path / "notes.txt"
    target.write_text("mine")
    with pytest.raises(InvalidInput) as caught:
        write_text(target, "theirs")
    assert "exists already" in str(caught.value) and "--force" in str(caught.value)
    assert str(target) in str(caught.value)
    assert target.read_text() == "mine"
    assert _leftovers(tmp_path) == []


def test_force_replaces_a_file(tmp_path: Path) -> None:
    target = tmp_path / "out.txt"
    target.write_text("old")
    write_text(target, "new", force=True)
    assert target.read_text() == "new"


def test_a_file_is_never_written_over_a_folder_even_with_force(tmp_path: Path) -> None:
    (tmp_path / "out").mkdir()
    (tmp_path / "out" / "keep").write_text("k")
    with pytest.raises(InvalidInput, match="is a folder"):
        write_text(tmp_path / "out", "x", force=True)
    assert (tmp_path / "out" / "keep").read_text() == "k"


def test_a_failure_mid_write_leaves_the_earlier_file_whole(tmp_path: Path) -> None:
    target = tmp_path / "chart.png"
    target.write_bytes(b"earlier")
    with pytest.raises(Boom), output_file(target, force=True) as partial:
        assert partial.suffix == ".png" and partial.parent == tmp_path
        partial.write_bytes(b"half")
        raise Boom
    assert target.read_bytes() == b"earlier"
    assert _leftovers(tmp_path) == []


def test_a_file_that_appears_during_the_write_is_not_clobbered(tmp_path: Path) -> None:
    target = tmp_path / "out.txt"
    with pytest.raises(InvalidInput), output_file(target) as partial:
        partial.write_text("mine")
        target.write_text("someone else's")
    assert target.read_text() == "someone else's"


def test_a_folder_is_moved_in_only_when_complete(tmp_path: Path) -> None:
    target = tmp_path / "data"
    with output_folder(target) as partial:
        (partial / "a.parquet").write_text("a")
        assert not target.exists()
    assert (target / "a.parquet").read_text() == "a"
    assert _leftovers(tmp_path) == []


def test_an_empty_folder_may_be_filled(tmp_path: Path) -> None:
    target = tmp_path / "data"
    target.mkdir()
    with output_folder(target) as partial:
        (partial / "a").write_text("a")
    assert (target / "a").read_text() == "a"


def test_a_folder_with_something_in_it_is_refused_and_kept(tmp_path: Path) -> None:
    target = tmp_path / "data"
    target.mkdir()
    (target / "notes.txt").write_text("my notes")
    with pytest.raises(InvalidInput, match="not empty"):
        refuse_existing(target, folder=True)
    with pytest.raises(InvalidInput, match="not empty"), output_folder(target):
        pass
    assert (target / "notes.txt").read_text() == "my notes"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["data"]


def test_a_folder_never_replaces_a_file(tmp_path: Path) -> None:
    target = tmp_path / "data"
    target.write_text("a file")
    with pytest.raises(InvalidInput, match="is a file"), output_folder(target, force=True):
        pass
    assert target.read_text() == "a file"


def test_force_replaces_a_folder_whole(tmp_path: Path) -> None:
    target = tmp_path / "data"
    target.mkdir()
    (target / "old").write_text("old")
    with output_folder(target, force=True) as partial:
        (partial / "new").write_text("new")
    assert sorted(p.name for p in target.iterdir()) == ["new"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["data"]


def test_a_failure_mid_folder_leaves_the_earlier_folder_whole(tmp_path: Path) -> None:
    target = tmp_path / "data"
    target.mkdir()
    (target / "old").write_text("old")
    with pytest.raises(Boom), output_folder(target, force=True) as partial:
        (partial / "new").write_text("half")
        raise Boom
    assert sorted(p.name for p in target.iterdir()) == ["old"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["data"]


def test_force_replaces_a_link_to_a_folder_and_leaves_the_folder_it_named(tmp_path: Path) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "keep").write_text("k")
    link = tmp_path / "data"
    link.symlink_to(elsewhere)
    with pytest.raises(InvalidInput, match="not empty"), output_folder(link):
        pass
    with output_folder(link, force=True) as partial:
        (partial / "new").write_text("new")
    assert not link.is_symlink() and sorted(p.name for p in link.iterdir()) == ["new"]
    assert (elsewhere / "keep").read_text() == "k"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["data", "elsewhere"]
