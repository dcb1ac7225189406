"""Fixtures shared by every test: fresh stores on SQLite and on PostgreSQL.

Each test that asks for ``database_url`` runs twice: once on a new SQLite file and once on a
new PostgreSQL database created for it and dropped afterwards.

The PostgreSQL server is the one ``GUILDHALL_TEST_DATABASE_URL`` names, when it is set (for
example ``postgresql://postgres@127.0.0.1:5432/test``). When it is not set, the first test
that needs PostgreSQL starts a throwaway server of its own (``throwaway_server`` below: the
distribution's PostgreSQL, listening only on a socket in a temporary folder, run as an
unprivileged user when the tests run as root), and the server is stopped and its folder
removed when the test run ends.
"""

from __future__ import annotations

import contextlib
import glob
import os
import pwd
import shutil
import subprocess
import tempfile
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from guildhall.store.db import normalise_url

INSTALL_HINT = (
    "PostgreSQL's server programs (initdb, pg_ctl) were not found: install the `postgresql` "
    "package (`sh scripts/system-deps.sh` does it as root), or set "
    "GUILDHALL_TEST_DATABASE_URL to a server database"
)


def server_bindir() -> Path:
    """The folder holding ``initdb`` and ``pg_ctl``: on PATH, else Debian's newest."""
    on_path = shutil.which("initdb")
    if on_path and shutil.which("pg_ctl"):
        return Path(on_path).parent
    found = sorted(
        glob.glob("/usr/lib/postgresql/*/bin/initdb"),
        key=lambda p: int(Path(p).parts[-3]) if Path(p).parts[-3].isdigit() else 0,
    )
    if not found:
        raise RuntimeError(INSTALL_HINT)
    return Path(found[-1]).parent


def _run_as() -> str | None:
    if os.geteuid() != 0:
        return None
    for name in ("postgres", "nobody"):
        with contextlib.suppress(KeyError):
            pwd.getpwnam(name)
            return name
    raise RuntimeError("running as root, and there is no unprivileged user to run PostgreSQL")


def _run(args: list[str], user: str | None) -> None:
    done = subprocess.run(args, user=user, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"{' '.join(args)} failed:\n{done.stdout}{done.stderr}")


@contextlib.contextmanager
def throwaway_server() -> Iterator[str]:
    """Start a server, yield a URL of its ``postgres`` database, then stop and remove it."""
    bindir = server_bindir()
    user = _run_as()
    # A short path: a Unix socket's path is limited to about 100 bytes.
    root = Path(tempfile.mkdtemp(prefix="guildhall-pg-", dir="/tmp"))
    data = root / "data"
    try:
        if user is not None:
            entry = pwd.getpwnam(user)
            os.chown(root, entry.pw_uid, entry.pw_gid)
        _run(
            [str(bindir / "initdb"), "-D", str(data), "-U", "postgres", "--auth=trust",
             "--encoding=UTF8", "--no-sync"],
            user,
        )  # fmt: skip
        options = f"-c listen_addresses='' -c unix_socket_directories='{root}' -c fsync=off"
        _run(
            [str(bindir / "pg_ctl"), "-D", str(data), "-l", str(root / "log"), "-o", options,
             "-w", "-t", "60", "start"],
            user,
        )  # fmt: skip
        try:
            yield f"postgresql://postgres@/postgres?host={root}"
        finally:
            _run([str(bindir / "pg_ctl"), "-D", str(data), "-m", "fast", "-w", "stop"], user)
    finally:
        shutil.rmtree(root, ignore_errors=True)


BACKENDS = ["sqlite", "postgresql"]


@pytest.fixture(scope="session")
def start_throwaway_postgres() -> Callable[[], contextlib.AbstractContextManager[str]]:
    """``throwaway_server`` itself, for the test that checks it even when a server is set."""
    return throwaway_server


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[str]:
    """The URL of a PostgreSQL server database: the configured one, else a throwaway one."""
    configured = os.environ.get("GUILDHALL_TEST_DATABASE_URL")
    if configured:
        yield configured
        return
    with throwaway_server() as url:
        yield url


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'guildhall.db'}"


@pytest.fixture
def postgres_url(postgres_server: str) -> Iterator[str]:
    """A new, empty PostgreSQL database on the server, dropped after the test."""
    server = make_url(normalise_url(postgres_server))
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
    """A fresh, empty database URL: SQLite, and PostgreSQL."""
    name = "sqlite_url" if request.param == "sqlite" else "postgres_url"
    return str(request.getfixturevalue(name))


REPO = Path(__file__).resolve().parents[1]
