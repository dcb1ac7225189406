"""Sending a person a message (a one-time sign-in link) through an interface a real
deployment replaces with its mail service.

Development sends to the console or to a folder (``GUILDHALL_MAIL_DIR``), one file a
message, readable only by the owner.
"""

from __future__ import annotations

import itertools
import os
import sys
from pathlib import Path
from typing import Protocol


class Mailer(Protocol):
    def send(self, to: str, subject: str, body: str) -> None: ...


class ConsoleMailer:
    """Writes each message to standard error."""

    def send(self, to: str, subject: str, body: str) -> None:
        sys.stderr.write(f"--- mail to {to}: {subject}\n{body}\n---\n")


class FileMailer:
    """Writes each message to a new file in ``folder`` (mode 0600), never over another."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def send(self, to: str, subject: str, body: str) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        for n in itertools.count(1):
            path = self.folder / f"{n:06d}.txt"
            try:
                fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            except FileExistsError:
                continue
            with os.fdopen(fd, "w", encoding="utf-8") as f:
                f.write(f"To: {to}\nSubject: {subject}\n\n{body}\n")
            return

    def messages(self) -> list[str]:
        """Every message written so far, oldest first."""
        if not self.folder.is_dir():
            return []
        return [p.read_text(encoding="utf-8") for p in sorted(self.folder.glob("*.txt"))]


def mailer_for(folder: Path | None) -> Mailer:
    return FileMailer(folder) if folder is not None else ConsoleMailer()
