"""Guildhall's configuration, declared once.

==========================  =========================================  =============================
setting                     environment variable                       default
==========================  =========================================  =============================
database_url                ``GUILDHALL_DATABASE_URL``                 ``sqlite:///var/guildhall.db``
data_dir                    ``GUILDHALL_DATA_DIR``                     ``var/data``
agreements_dir              ``GUILDHALL_AGREEMENTS``                   ``<checkout>/agreements``
duckdb_memory_limit         ``GUILDHALL_DUCKDB_MEMORY_LIMIT``          DuckDB's own (80% of memory)
environment                 ``GUILDHALL_ENV``                          ``development``
secret_key                  ``GUILDHALL_SECRET_KEY``                   none (development: generated
                                                                       once per process)
mail_dir                    ``GUILDHALL_MAIL_DIR``                     none: sign-in links go to the
                                                                       console
board_key                   ``GUILDHALL_BOARD_KEY``                    none: the web app cannot
                                                                       certify a vote
==========================  =========================================  =============================

Outside ``development`` (``GUILDHALL_ENV=production``, say) the web app refuses to start
without a secret key of at least 32 characters that is not a known placeholder, and its
cookies are always ``Secure``.

Relative paths are taken from the working directory. A ``--db`` option on the command
line wins over the environment.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

DEFAULT_DATABASE_URL = "sqlite:///var/guildhall.db"
DEFAULT_DATA_DIR = "var/data"
DEVELOPMENT = "development"
MIN_SECRET_LENGTH = 32
PLACEHOLDER_SECRETS = frozenset(
    {"", "secret", "changeme", "change-me", "change_me", "development", "dev", "guildhall"}
)


class SettingsError(ValueError):
    """A setting that may not be used where it is (a missing or default secret in production)."""


@dataclass(frozen=True)
class Settings:
    database_url: str = DEFAULT_DATABASE_URL
    data_dir: Path = Path(DEFAULT_DATA_DIR)
    agreements_dir: Path | None = None
    duckdb_memory_limit: str | None = None
    environment: str = DEVELOPMENT
    secret_key: str | None = None
    mail_dir: Path | None = None
    board_key: Path | None = None
    """The board server's private key file (``guildhall ballots identity new board``): it
    signs the certified result of a vote certified from the web app."""

    @property
    def development(self) -> bool:
        return self.environment == DEVELOPMENT

    def web_secret(self) -> str:
        """The key that signs CSRF tokens; outside development a weak or missing one is refused.

        In development a missing key is generated for the process, never a fixed default.
        """
        key = self.secret_key
        if self.development:
            return key or secrets.token_urlsafe(48)
        if key is None or key.strip().lower() in PLACEHOLDER_SECRETS:
            raise SettingsError(
                f"GUILDHALL_SECRET_KEY must be set to a random value in {self.environment!r}"
            )
        if len(key) < MIN_SECRET_LENGTH:
            raise SettingsError(
                f"GUILDHALL_SECRET_KEY is {len(key)} characters; at least "
                f"{MIN_SECRET_LENGTH} are needed in {self.environment!r}"
            )
        return key

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> Settings:
        source = os.environ if env is None else env
        return cls(
            database_url=source.get("GUILDHALL_DATABASE_URL") or DEFAULT_DATABASE_URL,
            data_dir=Path(source.get("GUILDHALL_DATA_DIR") or DEFAULT_DATA_DIR),
            agreements_dir=Path(a) if (a := source.get("GUILDHALL_AGREEMENTS")) else None,
            duckdb_memory_limit=source.get("GUILDHALL_DUCKDB_MEMORY_LIMIT") or None,
            environment=(source.get("GUILDHALL_ENV") or DEVELOPMENT).strip().lower(),
            secret_key=source.get("GUILDHALL_SECRET_KEY"),
            mail_dir=Path(m) if (m := source.get("GUILDHALL_MAIL_DIR")) else None,
            board_key=Path(k) if (k := source.get("GUILDHALL_BOARD_KEY")) else None,
        )


def repository_root() -> Path:
    """The checkout Guildhall runs from (where ``agreements/``, ``cases/`` and ``rules/`` live)."""
    here = Path(__file__).resolve()
    for parent in here.parents:
        if (parent / "pyproject.toml").is_file() and (parent / "cases").is_dir():
            return parent
    return Path.cwd()
