"""Ballots v2: group elements are 33-byte secp256k1 points (66 hex characters).

The election key widens from 64 to 66 characters and a ballot's ciphertext (two points)
from 128 to 132. SQLite does not enforce ``VARCHAR`` lengths, so only PostgreSQL changes;
widening keeps every stored value.

Revision ID: 0003
Revises: 0002
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

WIDER = (("ballot_elections", "public_key", 64, 66), ("ballot_ballots", "ciphertext", 128, 132))


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    for table, column, old, new in WIDER:
        op.alter_column(table, column, type_=sa.String(new), existing_type=sa.String(old))


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    for table, column, old, new in WIDER:
        op.alter_column(table, column, type_=sa.String(old), existing_type=sa.String(new))
