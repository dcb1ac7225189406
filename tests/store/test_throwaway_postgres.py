"""The throwaway PostgreSQL the tests start when no server is configured: a real server,
on a socket in its own folder only, never as root, gone when the run ends."""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable
from pathlib import Path

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from guildhall.store.db import Store, normalise_url


def test_a_throwaway_server_starts_serves_and_is_removed(
    start_throwaway_postgres: Callable[[], contextlib.AbstractContextManager[str]],
) -> None:
    with start_throwaway_postgres() as url:
        folder = Path(str(make_url(url).query["host"]))
        assert folder.is_dir() and folder.parent == Path("/tmp")
        engine = create_engine(normalise_url(url))
        with engine.connect() as conn:
            assert conn.execute(text("SHOW listen_addresses")).scalar() == ""  # no TCP port
            data = Path(str(conn.execute(text("SHOW data_directory")).scalar()))
        engine.dispose()
        assert data.is_relative_to(folder)
        if os.geteuid() == 0:
            assert data.stat().st_uid != 0  # the server does not run as root
        store = Store(url)  # Guildhall's own store migrates on it
        store.close()
    assert not folder.exists()
