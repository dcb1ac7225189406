"""A whole election on an in-memory board (``ballot_boards.run_election``), for tests that
need no database. The tests here import ``ballot_boards`` from this folder."""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))

from ballot_boards import Run, run_election


@pytest.fixture
def election() -> Callable[..., Run]:
    return run_election
