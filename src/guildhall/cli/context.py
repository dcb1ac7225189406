"""What every command shares: the database URL chosen on the command line."""

from __future__ import annotations

from guildhall.settings import Settings

_database_url: str | None = None


def set_database(url: str | None) -> None:
    global _database_url
    _database_url = url


def database_url() -> str:
    return _database_url or Settings.from_env().database_url
