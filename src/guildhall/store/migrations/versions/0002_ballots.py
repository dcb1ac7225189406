"""Member votes: elections, roll, credentials, ballots, the board and the election log.

Revision ID: 0002
Revises: 0001
"""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

APPEND_ONLY = ("ballot_ballots", "ballot_board")


def _ts(name: str, nullable: bool = True) -> sa.Column[datetime]:
    return sa.Column(name, sa.DateTime(timezone=True), nullable=nullable)


def _election_fk() -> sa.Column[str]:
    return sa.Column(
        "election_id", sa.String(64), sa.ForeignKey("ballot_elections.id"), nullable=False,
        index=True,
    )  # fmt: skip


def upgrade() -> None:
    op.create_table(
        "ballot_elections",
        sa.Column("id", sa.String(64), primary_key=True),
        sa.Column("case_id", sa.String(64)),
        sa.Column("question", sa.String(32), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("options", sa.JSON(), nullable=False),
        sa.Column("allow_blank", sa.Boolean(), nullable=False),
        sa.Column("threshold", sa.String(32), nullable=False),
        sa.Column("comparison", sa.String(16), nullable=False),
        sa.Column("max_window_days", sa.Integer(), nullable=False),
        _ts("opens_at", False),
        _ts("closes_at", False),
        sa.Column("trustees_n", sa.Integer(), nullable=False),
        sa.Column("trustees_k", sa.Integer(), nullable=False),
        sa.Column("trustees", sa.JSON(), nullable=False),
        sa.Column("public_key", sa.String(64), nullable=False),
        sa.Column("election_hash", sa.String(64)),
        sa.Column("record_date", sa.Date()),
        sa.Column("eligible", sa.Integer(), nullable=False),
        sa.Column("credentials_issued", sa.Integer(), nullable=False),
        sa.Column("ballots_cast", sa.Integer(), nullable=False),
        sa.Column("result", sa.JSON()),
        _ts("created_at", False),
        _ts("frozen_at"),
        _ts("opened_at"),
        _ts("closed_at"),
        _ts("tallied_at"),
        _ts("certified_at"),
    )
    op.create_table(
        "ballot_roll",
        sa.Column("pk", sa.Integer(), primary_key=True, autoincrement=True),
        _election_fk(),
        sa.Column("member_id", sa.String(64), nullable=False),
        _ts("credential_issued_at"),
        sa.UniqueConstraint("election_id", "member_id", name="uq_ballot_roll_election_id"),
    )
    op.create_table(
        "ballot_credentials",
        sa.Column("pk", sa.Integer(), primary_key=True, autoincrement=True),
        _election_fk(),
        sa.Column("public_key", sa.String(64), nullable=False),
        sa.UniqueConstraint("election_id", "public_key", name="uq_ballot_credentials_election_id"),
    )
    op.create_table(
        "ballot_ballots",
        sa.Column("pk", sa.Integer(), primary_key=True, autoincrement=True),
        _election_fk(),
        sa.Column("credential", sa.String(64), nullable=False),
        sa.Column("ciphertext", sa.String(128), nullable=False),
        sa.Column("tracker", sa.String(64), nullable=False, index=True),
        sa.Column("board_seq", sa.Integer(), nullable=False),
        sa.UniqueConstraint(
            "election_id", "credential", name="uq_ballot_ballots_one_per_credential"
        ),
        sa.UniqueConstraint("election_id", "ciphertext", name="uq_ballot_ballots_no_replay"),
        sa.ForeignKeyConstraint(
            ["election_id", "credential"],
            ["ballot_credentials.election_id", "ballot_credentials.public_key"],
            name="fk_ballot_ballots_eligible_credential",
        ),
    )
    op.create_table(
        "ballot_board",
        sa.Column("pk", sa.Integer(), primary_key=True, autoincrement=True),
        _election_fk(),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("hash", sa.String(64), nullable=False),
        sa.Column("line", sa.Text(), nullable=False),
        sa.UniqueConstraint("election_id", "seq", name="uq_ballot_board_election_id"),
    )
    op.create_table(
        "ballot_log",
        sa.Column("pk", sa.Integer(), primary_key=True, autoincrement=True),
        _election_fk(),
        sa.Column("kind", sa.String(32), nullable=False),
        _ts("at", False),
        sa.Column("detail", sa.JSON(), nullable=False),
    )
    _forbid_changes()


def _forbid_changes() -> None:
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
    if op.get_bind().dialect.name == "postgresql":
        for table in APPEND_ONLY:
            op.execute(f"DROP TRIGGER IF EXISTS {table}_append_only ON {table}")
    for table in ("ballot_log", "ballot_board", "ballot_ballots", "ballot_credentials",
                  "ballot_roll", "ballot_elections"):  # fmt: skip
        op.drop_table(table)
