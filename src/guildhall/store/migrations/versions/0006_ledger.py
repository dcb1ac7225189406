"""The ledger: its sources and its append-only journal of entries.

Revision ID: 0006
Revises: 0004
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0004"
branch_labels = None
depends_on = None

APPEND_ONLY = ("ledger_sources", "ledger_entries")


def upgrade() -> None:
    op.create_table(
        "ledger_sources",
        sa.Column("pk", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("key", sa.String(200), nullable=False),
        sa.Column("kind", sa.String(32), nullable=False),
        sa.Column("description", sa.JSON(), nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("by", sa.String(120), nullable=False),
        sa.UniqueConstraint("key", name="uq_ledger_sources_key"),
    )
    op.create_table(
        "ledger_entries",
        sa.Column("seq", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("key", sa.String(400), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False, index=True),
        sa.Column(
            "source_pk",
            sa.Integer(),
            sa.ForeignKey("ledger_sources.pk", ondelete="RESTRICT"),
            nullable=False,
            index=True,
        ),
        sa.Column(
            "reverses", sa.Integer(), sa.ForeignKey("ledger_entries.seq", ondelete="RESTRICT")
        ),
        sa.Column("employer", sa.String(200), nullable=False, index=True),
        sa.Column("agreement", sa.String(120)),
        sa.Column("production_id", sa.BigInteger()),
        sa.Column("performer_id", sa.BigInteger()),
        sa.Column("period_start", sa.Date()),
        sa.Column("payment_kind", sa.String(64)),
        sa.Column("amount_cents", sa.BigInteger(), nullable=False),
        sa.Column("due_on", sa.Date()),
        sa.Column("paid_on", sa.Date()),
        sa.Column("reference", sa.String(200)),
        sa.Column("claim_id", sa.String(64), index=True),
        sa.Column("details", sa.JSON(), nullable=False),
        sa.Column("note", sa.Text()),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("by", sa.String(120), nullable=False),
        sa.UniqueConstraint("key", name="uq_ledger_entries_key"),
        sa.UniqueConstraint("reverses", name="uq_ledger_entries_reverses"),
    )
    _forbid_changes()


def _forbid_changes() -> None:
    """Append-only in the database itself. PostgreSQL reuses the trigger function of the
    case log (migration 0001)."""
    dialect = op.get_bind().dialect.name
    for table in APPEND_ONLY:
        if dialect == "sqlite":
            for action in ("UPDATE", "DELETE"):
                op.execute(
                    f"CREATE TRIGGER {table}_no_{action.lower()} BEFORE {action} ON {table} "
                    f"BEGIN SELECT RAISE(ABORT, '{table} is append-only'); END"
                )
        elif dialect == "postgresql":
            op.execute(
                f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} "
                "FOR EACH ROW EXECUTE FUNCTION guildhall_append_only()"
            )


def downgrade() -> None:
    dialect = op.get_bind().dialect.name
    for table in APPEND_ONLY:
        if dialect == "postgresql":
            op.execute(f"DROP TRIGGER IF EXISTS {table}_append_only ON {table}")
        elif dialect == "sqlite":
            for action in ("update", "delete"):
                op.execute(f"DROP TRIGGER IF EXISTS {table}_no_{action}")
    op.drop_table("ledger_entries")
    op.drop_table("ledger_sources")
