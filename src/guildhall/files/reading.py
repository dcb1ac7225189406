"""Reading a file a person names, safely: a regular file, of bounded size, decoded as UTF-8.

Every failure is a ``Problem`` naming the file (and, for text that is not UTF-8, the line
and column of the first bad byte), never an exception:

- a path that does not exist, a folder, a symlink loop, a pipe or a device is named as such
  (a pipe is never opened, so reading cannot hang);
- a file larger than the reader's limit is refused before it is read, with both sizes;
- a UTF-8 byte-order mark at the start is dropped.

>>> text, problems = decode(b"\\xef\\xbb\\xbfid\\nab\\xffc\\n", "x.csv")
>>> text, print(problems[0])
x.csv:2:3: not UTF-8 text: byte 0xff cannot be decoded (save the file as UTF-8)
(None, None)
"""

from __future__ import annotations

import codecs
import errno
import os
import stat
from pathlib import Path

from guildhall.core.errors import InvalidInput
from guildhall.core.problems import Location, Problem

MIB = 1 << 20

# The largest file each kind of reader accepts. Real files are far smaller (a case file is
# under 100 KiB, an agreement under 20 KiB); these bound what a mistaken or hostile file
# can make Guildhall hold in memory.
YAML_LIMIT = 8 * MIB
DOCUMENT_LIMIT = 8 * MIB
CSV_LIMIT = 512 * MIB
JSON_LIMIT = 64 * MIB
BALLOTS_LIMIT = 512 * MIB
BOARD_LIMIT = 8 * 1024 * MIB

BOM = codecs.BOM_UTF8
_CHUNK = 4 * MIB


def size_text(size: int) -> str:
    """``1234567`` → ``'1.2 MiB'``."""
    if size < 1024:
        return f"{size} bytes"
    value = size / 1024
    for unit in ("KiB", "MiB"):
        if value < 1024:
            return f"{value:.1f} {unit}"
        value /= 1024
    return f"{value:.1f} GiB"


def check_file(path: Path, *, limit: int | None = None) -> Problem | None:
    """Why ``path`` cannot be read as an input file, or ``None`` when it can."""
    where = Location(file=str(path))
    try:
        info = os.stat(path)
    except OSError as exc:
        return Problem(where, _os_reason(path, exc))
    if stat.S_ISDIR(info.st_mode):
        return Problem(where, "is a folder, not a file")
    if not stat.S_ISREG(info.st_mode):
        return Problem(where, "is not a regular file (a pipe, socket or device)")
    if limit is not None and info.st_size > limit:
        return Problem(
            where,
            f"is {size_text(info.st_size)}; the limit for this kind of file is {size_text(limit)}",
        )
    return None


def _os_reason(path: Path, exc: OSError) -> str:
    if exc.errno == errno.ELOOP:
        return "is a symlink loop"
    if exc.errno == errno.ENOENT:
        return "is a broken symlink" if os.path.lexists(path) else "no such file"
    if exc.errno == errno.ENOTDIR:
        return "no such file (a part of the path is not a folder)"
    if exc.errno == errno.EACCES:
        return "cannot be read: permission denied"
    if exc.errno == errno.EISDIR:
        return "is a folder, not a file"
    return f"cannot be read: {exc.strerror or exc}"


def read_bytes(path: Path, *, limit: int) -> tuple[bytes | None, list[Problem]]:
    """The bytes of the file at ``path`` (at most ``limit``), or the problem with it."""
    problem = check_file(path, limit=limit)
    if problem is not None:
        return None, [problem]
    try:
        with open(path, "rb") as handle:
            data = handle.read(limit + 1)
    except OSError as exc:
        return None, [Problem(Location(file=str(path)), _os_reason(path, exc))]
    if len(data) > limit:  # it grew after it was measured
        return None, [
            Problem(
                Location(file=str(path)),
                f"is larger than the limit for this kind of file, {size_text(limit)}",
            )
        ]
    return data, []


def decode(data: bytes, file: str) -> tuple[str | None, list[Problem]]:
    """UTF-8 text from ``data`` (a leading byte-order mark dropped), or where it is not."""
    body = data[len(BOM) :] if data.startswith(BOM) else data
    try:
        return body.decode("utf-8"), []
    except UnicodeDecodeError as exc:
        return None, [_decode_problem(file, body, exc.start)]


def _decode_problem(
    file: str, body: bytes, start: int, *, lines_before: int = 0, column_before: int = 0
) -> Problem:
    line_start = body.rfind(b"\n", 0, start) + 1
    line = lines_before + body.count(b"\n", 0, start) + 1
    column = len(body[line_start:start].decode("utf-8", errors="replace")) + 1
    if line_start == 0:
        column += column_before
    return Problem(
        Location(file=file, line=line, column=column),
        f"not UTF-8 text: byte 0x{body[start]:02x} cannot be decoded",
        hint="save the file as UTF-8",
    )


def read_text(path: Path, *, limit: int) -> tuple[str | None, list[Problem]]:
    """The UTF-8 text of the file at ``path``, or the problems with it."""
    data, problems = read_bytes(path, limit=limit)
    if data is None:
        return None, problems
    return decode(data, str(path))


def require_text(path: Path, *, limit: int) -> str:
    """``read_text`` that raises ``InvalidInput`` with the problems."""
    text, problems = read_text(path, limit=limit)
    if text is None:
        raise InvalidInput(problems)
    return text


def require_bytes(path: Path, *, limit: int) -> bytes:
    """``read_bytes`` that raises ``InvalidInput`` with the problems."""
    data, problems = read_bytes(path, limit=limit)
    if data is None:
        raise InvalidInput(problems)
    return data


def check_utf8_file(path: Path) -> Problem | None:
    """Whether a file too large to hold is UTF-8 throughout, read in chunks; ``None`` if so."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    lines_before = 0
    column_before = 0  # characters on the current line before this chunk
    first = True
    try:
        with open(path, "rb") as handle:
            while True:
                chunk = handle.read(_CHUNK)
                if first and chunk.startswith(BOM):
                    chunk = chunk[len(BOM) :]
                first = False
                try:
                    if not (chunk and chunk.isascii() and not decoder.getstate()[0]):
                        decoder.decode(chunk, final=not chunk)  # ASCII needs no decoding
                except UnicodeDecodeError as exc:
                    body = bytes(exc.object)  # the bytes held back from the last chunk, and this
                    return _decode_problem(
                        str(path), body, exc.start, lines_before=lines_before,
                        column_before=column_before,
                    )  # fmt: skip
                if not chunk:
                    return None
                # Counted in bytes (fast); a character cut at the chunk's end is counted with
                # the next chunk, whose decoding starts with the bytes held back.
                lines_before += chunk.count(b"\n")
                cut = chunk.rfind(b"\n")
                tail = len(chunk[cut + 1 :].decode("utf-8", errors="ignore"))
                column_before = tail if cut >= 0 else column_before + tail
    except OSError as exc:
        return Problem(Location(file=str(path)), _os_reason(path, exc))


def head_text(path: Path, size: int = MIB) -> str:
    """The first ``size`` bytes of a (checked) file as text, for a header; BOM dropped."""
    with open(path, "rb") as handle:
        data = handle.read(size)
    if data.startswith(BOM):
        data = data[len(BOM) :]
    return data.decode("utf-8", errors="replace")
