"""Progress bars: always on standard error, so that standard output stays the data."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from rich.progress import Progress


def progress_bar(*, transient: bool = False) -> Progress:
    """A bar (description, bar, done of total, elapsed) drawn on standard error only.

    When standard error is not a terminal, rich draws nothing until the end, so logs stay
    readable; standard output is never touched.
    """
    from rich.console import Console
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TextColumn,
        TimeElapsedColumn,
    )

    return Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=Console(stderr=True),
        transient=transient,
    )
