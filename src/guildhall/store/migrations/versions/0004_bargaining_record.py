"""The bargaining record: who recorded each event and when, corrections, documents that
events bring in, and the versions of a case.

``case_events`` gains ``recorded_by``, ``corrects_seq`` and ``version``; ``cases`` gains
``version`` and ``loaded_by``. Two new append-only tables: ``case_event_documents`` and
``case_versions`` (each case already stored becomes its version 1).

Revision ID: 0004
Revises: 0003
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

APPEND_ONLY = ("case_event_documents", "case_versions")


def upgrade() -> None:
    op.add_column("case_events", sa.Column("recorded_by", sa.String(200)))
    op.add_column("case_events", sa.Column("corrects_seq", sa.Integer()))
    op.add_column(
        "case_events", sa.Column("version", sa.Integer(), nullable=False, server_default="1")
    )
    op.add_column("cases", sa.Column("version", sa.Integer(), nullable=False, server_default="1"))
    op.add_column("cases", sa.Column("loaded_by", sa.String(200)))
    op.create_table(
        "case_event_documents",
        sa.Column("pk", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column(
            "event_pk",
            sa.Integer(),
            sa.ForeignKey("case_events.pk", ondelete="RESTRICT"),
            nullable=False,
            index=True,
        ),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("document_id", sa.String(200), nullable=False),
        sa.Column("title", sa.String(300), nullable=False),
        sa.Column("publisher", sa.String(300)),
        sa.Column("published_on", sa.Date()),
        sa.Column("published_note", sa.Text()),
        sa.Column("url", sa.String(1000)),
        sa.Column("text", sa.Text(), nullable=False),
    )
    op.create_table(
        "case_versions",
        sa.Column("pk", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column(
            "case_id",
            sa.String(64),
            sa.ForeignKey("cases.id", ondelete="RESTRICT"),
            nullable=False,
            index=True,
        ),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(300), nullable=False),
        sa.Column("guild", sa.String(64), nullable=False),
        sa.Column("rules", sa.String(300), nullable=False),
        sa.Column("description", sa.Text()),
        sa.Column("settings", sa.JSON(), nullable=False),
        sa.Column("record", sa.JSON(), nullable=False),
        sa.Column("source_file", sa.String(500)),
        sa.Column("source_sha256", sa.String(64)),
        sa.Column("loaded_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("loaded_by", sa.String(200)),
        sa.UniqueConstraint("case_id", "version", name="uq_case_versions_case_id"),
    )
    op.execute(
        "INSERT INTO case_versions (case_id, version, title, guild, rules, description, "
        "settings, record, source_file, source_sha256, loaded_at, loaded_by) "
        "SELECT id, version, title, guild, rules, description, settings, record, source_file, "
        "source_sha256, loaded_at, loaded_by FROM cases"
    )
    _forbid_changes()


def _forbid_changes() -> None:
    """The new tables are append-only too (``guildhall_append_only`` is from 0001)."""
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
    op.drop_table("case_versions")
    op.drop_table("case_event_documents")
    op.drop_column("cases", "loaded_by")
    op.drop_column("cases", "version")
    for column in ("version", "corrects_seq", "recorded_by"):
        op.drop_column("case_events", column)
