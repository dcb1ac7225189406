"""Guildhall's configuration, declared once.

==========================  =========================================  =============================
setting                     environment variable                       default
==========================  =========================================  =============================
database_url                ``GUILDHALL_DATABASE_URL``                 ``sqlite:///var/guildhall.db``
data_dir                    ``GUILDHALL_DATA_DIR``                     ``var/data``
agreements_dir              ``GUILDHALL_AGREEMENTS``                   ``<checkout>/agreements``
duckdb_memory_limit         ``GUILDHALL_DUCKDB_MEMORY_LIMIT``          DuckDB's own (80% of memory)
==========================  =========================================  =============================

Relative paths are taken from the working directory. A ``--db`` option on the command
line wins over the environment.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

DEFAULT_DATABASE_URL = "sqlite:///var/guildhall.db"
DEFAULT_DATA_DIR = "var/data"


@dataclass(frozen=True)
class Settings:
    database_url: str = DEFAULT_DATABASE_URL
    data_dir: Path = Path(DEFAULT_DATA_DIR)
    agreements_dir: Path | None = None
    duckdb_memory_limit: str | None = None

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> Settings:
        source = os.environ if env is None else env
        return cls(
            database_url=source.get("GUILDHALL_DATABASE_URL") or DEFAULT_DATABASE_URL,
            data_dir=Path(source.get("GUILDHALL_DATA_DIR") or DEFAULT_DATA_DIR),
            agreements_dir=Path(a) if (a := source.get("GUILDHALL_AGREEMENTS")) else None,
            duckdb_memory_limit=source.get("GUILDHALL_DUCKDB_MEMORY_LIMIT") or None,
        )


def repository_root() -> Path:
    """The checkout Guildhall runs from (where ``agreements/``, ``cases/`` and ``rules/`` live)."""
    here = Path(__file__).resolve()
    for parent in here.parents:
        if (parent / "pyproject.toml").is_file() and (parent / "cases").is_dir():
            return parent
    return Path.cwd()
