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


def test_the_head_read_from_the_files_is_alembics_head() -> None:
    from alembic.config import Config
    from alembic.script import ScriptDirectory

    from guildhall.store.db import MIGRATIONS, head_revision

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    assert head_revision() == ScriptDirectory.from_config(config).get_current_head()


def test_a_store_at_the_head_opens_without_loading_alembic(tmp_path: object) -> None:
    import subprocess
    import sys

    url = f"sqlite:///{tmp_path}/guildhall.db"
    program = (
        "import sys; from guildhall.store.db import Store; Store(sys.argv[1]).close(); "
        "print('alembic' in sys.modules)"
    )
    first = subprocess.run([sys.executable, "-c", program, url], capture_output=True, text=True)
    assert first.returncode == 0 and first.stdout.strip() == "True", first.stderr  # migrated
    again = subprocess.run([sys.executable, "-c", program, url], capture_output=True, text=True)
    assert again.returncode == 0 and again.stdout.strip() == "False", again.stderr


def test_a_store_behind_the_head_is_still_migrated(database_url: str) -> None:
    from alembic import command
    from alembic.config import Config

    from guildhall.store.db import MIGRATIONS, head_revision

    store = Store(database_url)
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    with store.engine.begin() as connection:
        config.attributes["connection"] = connection
        command.downgrade(config, "0001")
    store.close()
    store = Store(database_url)
    try:
        with store.engine.connect() as conn:
            assert MigrationContext.configure(conn).get_current_heads() == (head_revision(),)
    finally:
        store.close()
