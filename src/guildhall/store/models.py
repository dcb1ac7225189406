"""Every table of the store, gathered on one metadata for Alembic."""

from __future__ import annotations

from guildhall.store import account_tables as account_tables
from guildhall.store import ballot_tables as ballot_tables
from guildhall.store import case_tables as case_tables
from guildhall.store import ledger_tables as ledger_tables
from guildhall.store.base import Base

metadata = Base.metadata
