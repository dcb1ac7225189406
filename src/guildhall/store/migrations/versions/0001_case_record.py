"""The case record: cases and their append-only event log.

Revision ID: 0001
Revises:
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

APPEND_ONLY = ("case_events", "case_event_sources")


def upgrade() -> None:
    op.create_table(
        "cases",
        sa.Column("id", sa.String(64), primary_key=True),
        sa.Column("title", sa.String(300), nullable=False),
        sa.Column("guild", sa.String(64), nullable=False),
        sa.Column("rules", sa.String(300), nullable=False),
        sa.Column("description", sa.Text()),
        sa.Column("settings", sa.JSON(), nullable=False),
        sa.Column("record", sa.JSON(), nullable=False),
        sa.Column("source_file", sa.String(500)),
        sa.Column("source_sha256", sa.String(64)),
        sa.Column("loaded_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_table(
        "case_events",
        sa.Column("pk", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column(
            "case_id",
            sa.String(64),
            sa.ForeignKey("cases.id", ondelete="RESTRICT"),
            nullable=False,
            index=True,
        ),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("event_id", sa.String(120)),
        sa.Column("date", sa.Date(), nullable=False),
        sa.Column("kind", sa.String(64), nullable=False),
        sa.Column("union", sa.String(64), nullable=False),
        sa.Column("summary", sa.Text(), nullable=False),
        sa.Column("certainty", sa.String(16), nullable=False),
        sa.Column("assumption", sa.Text()),
        sa.Column("by", sa.String(64)),
        sa.Column("parties", sa.JSON(), nullable=False),
        sa.Column("details", sa.JSON(), nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.UniqueConstraint("case_id", "seq", name="uq_case_events_case_id"),
    )
    op.create_table(
        "case_event_sources",
        sa.Column("pk", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column(
            "event_pk",
            sa.Integer(),
            sa.ForeignKey("case_events.pk", ondelete="RESTRICT"),
            nullable=False,
            index=True,
        ),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("document", sa.String(200), nullable=False),
        sa.Column("quote", sa.Text(), nullable=False),
        sa.Column("url", sa.String(1000)),
    )
    _forbid_changes()


def _forbid_changes() -> None:
    """The log is append-only in the database itself, not only in Guildhall's code."""
    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        for table in APPEND_ONLY:
            for action in ("UPDATE", "DELETE"):
                op.execute(
                    f"CREATE TRIGGER {table}_no_{action.lower()} BEFORE {action} ON {table} "
                    f"BEGIN SELECT RAISE(ABORT, '{table} is append-only'); END"
                )
    elif dialect == "postgresql":
        op.execute(
            "CREATE FUNCTION guildhall_append_only() RETURNS trigger LANGUAGE plpgsql AS $$ "
            "BEGIN RAISE EXCEPTION '% is append-only', TG_TABLE_NAME; END $$"
        )
        for table in APPEND_ONLY:
            op.execute(
                f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} "
                "FOR EACH ROW EXECUTE FUNCTION guildhall_append_only()"
            )


def downgrade() -> None:
    dialect = op.get_bind().dialect.name
    if dialect == "postgresql":
        for table in APPEND_ONLY:
            op.execute(f"DROP TRIGGER IF EXISTS {table}_append_only ON {table}")
        op.execute("DROP FUNCTION IF EXISTS guildhall_append_only()")
    op.drop_table("case_event_sources")
    op.drop_table("case_events")
    op.drop_table("cases")
