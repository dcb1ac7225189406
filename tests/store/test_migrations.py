"""The migrations build exactly the schema the models describe, on every database."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect

from guildhall.store.db import Store
from guildhall.store.models import metadata


def test_migrations_match_the_models(database_url: str) -> None:
    store = Store(database_url)
    try:
        with store.engine.connect() as conn:
            context = MigrationContext.configure(conn, opts={"compare_type": False})
            differences = compare_metadata(context, metadata)
        assert differences == []
        tables = set(inspect(store.engine).get_table_names())
        assert {"cases", "case_events", "case_event_sources", "alembic_version"} <= tables
    finally:
        store.close()


def test_opening_a_store_twice_migrates_once(database_url: str) -> None:
    Store(database_url).close()
    store = Store(database_url)
    try:
        with store.engine.connect() as conn:
            version = MigrationContext.configure(conn).get_current_heads()
        assert len(version) == 1
    finally:
        store.close()
