"""Writing output files and folders so that nothing a person has is destroyed.

Every writer goes through here:

- a path that exists is refused (``InvalidInput``, exit 2) unless ``force=True``;
- the output is written to a temporary sibling (``.NAME.partial-XXXX``) and moved into place
  only once it is complete, so a run that fails or is interrupted leaves the earlier output
  whole (an interrupted run may leave its ``.partial`` sibling behind; it is never read);
- with ``force=True`` the earlier output is replaced in one step, never deleted first.

An empty folder counts as nothing to lose: a command may fill a folder made for it.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

from guildhall.core.errors import InvalidInput
from guildhall.core.problems import Location, Problem

FORCE_HINT = "pass --force to replace it"


def _refusal(path: Path, what: str, hint: str | None = FORCE_HINT) -> InvalidInput:
    return InvalidInput([Problem(Location(file=str(path)), what, hint)])


def _is_empty_dir(path: Path) -> bool:
    return path.is_dir() and not path.is_symlink() and not any(path.iterdir())


def refuse_existing(*paths: Path, force: bool = False, folder: bool = False) -> None:
    """Refuse, before any work starts, a target that exists (unless ``force``).

    ``folder`` says the target is a folder: an empty one is allowed, a file is refused even
    with ``force`` (a folder never replaces a file). A file target never replaces a folder.
    """
    for path in paths:
        if not (path.exists() or path.is_symlink()):
            continue
        if folder:
            if not path.is_dir():
                raise _refusal(path, "is a file, not a folder; it is never replaced", None)
            if force or _is_empty_dir(path):
                continue
            raise _refusal(path, "exists already and is not empty; it is never overwritten")
        if path.is_dir() and not path.is_symlink():
            raise _refusal(path, "is a folder; a file is never written over it", None)
        if not force:
            raise _refusal(path, "exists already; it is never overwritten")


def _partial_name(path: Path) -> str:
    return f".{path.stem}.partial-"


@contextlib.contextmanager
def output_file(path: Path, *, force: bool = False, private: bool = False) -> Iterator[Path]:
    """Yield a temporary path to write; on success it becomes ``path``.

    The temporary file keeps ``path``'s suffix, so writers that choose a format by suffix
    (charts) write the right one. ``private`` makes it readable by its owner only.
    """
    refuse_existing(path, force=force)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, name = tempfile.mkstemp(prefix=_partial_name(path), suffix=path.suffix, dir=path.parent)
    os.close(fd)
    partial = Path(name)
    try:
        os.chmod(partial, 0o600 if private else 0o644)
        yield partial
        _commit_file(partial, path, force=force)
    finally:
        partial.unlink(missing_ok=True)


def _commit_file(partial: Path, path: Path, *, force: bool) -> None:
    with open(partial, "rb") as f:
        os.fsync(f.fileno())
    if force:
        refuse_existing(path, force=True)  # still not a folder
        os.replace(partial, path)
        return
    try:
        os.link(partial, path)  # fails if path appeared meanwhile: never clobbers
    except FileExistsError:
        raise _refusal(path, "exists already; it is never overwritten") from None
    except OSError:  # a file system without hard links
        refuse_existing(path)
        os.replace(partial, path)


def write_text(path: Path, text: str, *, force: bool = False, private: bool = False) -> Path:
    """Write ``text`` (UTF-8) to ``path`` whole, or not at all."""
    with output_file(path, force=force, private=private) as partial:
        partial.write_text(text, encoding="utf-8")
    return path


def write_bytes(path: Path, data: bytes, *, force: bool = False, private: bool = False) -> Path:
    """Write ``data`` to ``path`` whole, or not at all."""
    with output_file(path, force=force, private=private) as partial:
        partial.write_bytes(data)
    return path


@contextlib.contextmanager
def output_folder(path: Path, *, force: bool = False) -> Iterator[Path]:
    """Yield a temporary folder to fill; on success it becomes ``path``.

    With ``force`` an existing ``path`` is moved aside, the new folder moved in, and only
    then is the earlier one removed; if the move in fails, the earlier folder is put back.
    """
    refuse_existing(path, force=force, folder=True)
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = Path(tempfile.mkdtemp(prefix=_partial_name(path), dir=path.parent))
    try:
        yield partial
        _commit_folder(partial, path, force=force)
    finally:
        if partial.exists():
            shutil.rmtree(partial)


def _commit_folder(partial: Path, path: Path, *, force: bool) -> None:
    refuse_existing(path, force=force, folder=True)
    if not path.exists():
        os.rename(partial, path)
        return
    if _is_empty_dir(path):
        path.rmdir()
        os.rename(partial, path)
        return
    aside = Path(tempfile.mkdtemp(prefix=f".{path.name}.replaced-", dir=path.parent))
    aside.rmdir()
    os.rename(path, aside)
    try:
        os.rename(partial, path)
    except BaseException:
        os.rename(aside, path)
        raise
    if aside.is_symlink():  # the link is replaced; the folder it pointed to is left alone
        aside.unlink()
    else:
        shutil.rmtree(aside)
