"""Writing output files safely: never over a file that exists unless asked, and never
half-written (each file is written beside its target and moved into place whole)."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterable
from pathlib import Path

from guildhall.core.errors import InvalidInput
from guildhall.core.problems import Location, Problem


def refuse_existing(paths: Iterable[Path], *, force: bool) -> None:
    """``InvalidInput`` naming every path that exists (or is a folder) unless ``force``."""
    problems = []
    for path in paths:
        if path.is_dir():
            problems.append(Problem(Location(file=str(path)), "is a folder, not a file"))
        elif path.exists() and not force:
            problems.append(
                Problem(
                    Location(file=str(path)), "exists already", hint="pass --force to replace it"
                )
            )
    if problems:
        raise InvalidInput(problems)


def write_new(path: Path, content: bytes | str, *, force: bool = False) -> None:
    """Write ``content`` to ``path`` whole; refuse a file that exists unless ``force``."""
    refuse_existing([path], force=force)
    path.parent.mkdir(parents=True, exist_ok=True)
    data = content.encode("utf-8") if isinstance(content, str) else content
    handle, staging = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
        os.replace(staging, path)
    except BaseException:
        Path(staging).unlink(missing_ok=True)
        raise
