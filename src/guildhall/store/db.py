"""Opening the store: an engine for a URL, migrated to the newest schema, and sessions."""

from __future__ import annotations

import ast
import functools
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import Engine, create_engine, event, inspect, text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker

MIGRATIONS = Path(__file__).parent / "migrations"


def normalise_url(url: str) -> str:
    """PostgreSQL URLs use the psycopg 3 driver; SQLite file folders are created."""
    parsed = make_url(url)
    if parsed.drivername in ("postgresql", "postgres"):
        parsed = parsed.set(drivername="postgresql+psycopg")
    if parsed.drivername.startswith("sqlite") and parsed.database not in (None, "", ":memory:"):
        Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
    return parsed.render_as_string(hide_password=False)


def _sqlite_pragmas(dbapi_connection: object, _record: object) -> None:
    cursor = dbapi_connection.cursor()  # type: ignore[attr-defined]
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


def make_engine(url: str) -> Engine:
    engine = create_engine(normalise_url(url), future=True)
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _sqlite_pragmas)
    return engine


def _assigned(tree: ast.Module, name: str) -> object:
    for node in tree.body:
        if isinstance(node, ast.Assign):
            targets, value = node.targets, node.value
        elif isinstance(node, ast.AnnAssign) and node.value is not None:
            targets, value = [node.target], node.value
        else:
            continue
        if any(isinstance(t, ast.Name) and t.id == name for t in targets):
            return ast.literal_eval(value)
    raise LookupError(name)


def _names(value: object) -> set[str]:
    if value is None:
        return set()
    if isinstance(value, str):
        return {value}
    if isinstance(value, tuple | list) and all(isinstance(v, str) for v in value):
        return {str(v) for v in value}
    raise TypeError(f"not a revision: {value!r}")


@functools.cache
def head_revision() -> str | None:
    """The newest migration's id, read from the migration files without importing Alembic
    (which takes about a second to import); None when it cannot be told that way."""
    revisions: set[str] = set()
    downs: set[str] = set()
    try:
        for path in (MIGRATIONS / "versions").glob("*.py"):
            tree = ast.parse(path.read_text(encoding="utf-8"))
            revisions.add(str(_assigned(tree, "revision")))
            downs |= _names(_assigned(tree, "down_revision"))
    except (LookupError, ValueError, SyntaxError, OSError, TypeError):
        return None
    heads = revisions - downs
    return heads.pop() if len(heads) == 1 else None


def _is_current(engine: Engine) -> bool:
    head = head_revision()
    if head is None:
        return False
    with engine.connect() as connection:
        if not inspect(connection).has_table("alembic_version"):
            return False
        found = [
            row[0] for row in connection.execute(text("SELECT version_num FROM alembic_version"))
        ]
    return found == [head]


def migrate(engine: Engine) -> None:
    """Bring the schema to the newest migration (creating it on a new database).

    A database already at the newest migration is left as it is without loading Alembic."""
    if _is_current(engine):
        return
    from alembic import command
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "head")


class Store:
    """An open, migrated database and a factory of sessions on it."""

    def __init__(self, url: str, *, migrate_schema: bool = True) -> None:
        self.url = url
        self.engine = make_engine(url)
        if migrate_schema:
            migrate(self.engine)
        self._sessions = sessionmaker(self.engine, expire_on_commit=False)

    @contextmanager
    def session(self) -> Iterator[Session]:
        """A unit of work: committed when the block ends, rolled back whole on any error."""
        with self._sessions() as session, session.begin():
            yield session

    def close(self) -> None:
        self.engine.dispose()


_opened: dict[str, tuple[Store, tuple[int, int] | None]] = {}


def _file_identity(url: str) -> tuple[int, int] | None:
    """The device and inode of a SQLite store's file (``None`` for other databases)."""
    parsed = make_url(url)
    if not parsed.drivername.startswith("sqlite") or parsed.database in (None, "", ":memory:"):
        return None
    try:
        found = Path(parsed.database).stat()
    except FileNotFoundError:
        return (-1, -1)
    return (found.st_dev, found.st_ino)


def store_for(url: str) -> Store:
    """The process's open store for ``url``: opened and migrated on first use, then kept;
    opened afresh when a SQLite file was removed or replaced since."""
    kept = _opened.get(url)
    identity = _file_identity(url)
    if kept is not None and kept[1] == identity:
        return kept[0]
    if kept is not None:
        kept[0].close()
    store = Store(url)
    _opened[url] = (store, _file_identity(url))
    return store


__all__ = ["MIGRATIONS", "Session", "Store", "make_engine", "migrate", "normalise_url", "store_for"]
