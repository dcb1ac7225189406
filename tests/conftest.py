"""Fixtures shared by every test: fresh stores on SQLite and, when configured, PostgreSQL.

``GUILDHALL_TEST_DATABASE_URL`` names a PostgreSQL server database (for example
``postgresql://postgres@127.0.0.1:5432/test``). Each test that asks for ``database_url``
then runs twice: once on a new SQLite file and once on a new PostgreSQL database created
for it on that server and dropped afterwards.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from guildhall.store.db import normalise_url

POSTGRES_URL = os.environ.get("GUILDHALL_TEST_DATABASE_URL")
BACKENDS = ["sqlite", "postgresql"] if POSTGRES_URL else ["sqlite"]


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'guildhall.db'}"


@pytest.fixture
def postgres_url() -> Iterator[str]:
    """A new, empty PostgreSQL database on the configured server, dropped after the test."""
    if not POSTGRES_URL:
        pytest.fail("GUILDHALL_TEST_DATABASE_URL is not set")
    server = make_url(normalise_url(POSTGRES_URL))
    name = f"guildhall_t_{uuid.uuid4().hex[:12]}"
    admin = create_engine(server, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield server.set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture(params=BACKENDS)
def database_url(request: pytest.FixtureRequest) -> str:
    """A fresh, empty database URL: SQLite always, PostgreSQL when configured."""
    name = "sqlite_url" if request.param == "sqlite" else "postgres_url"
    return str(request.getfixturevalue(name))


REPO = Path(__file__).resolve().parents[1]
