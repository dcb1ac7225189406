"""Ballots: what fixes a question's meaning and who signs what, and spoiled ballots.

Each election records the option that carries the motion, the SHA-256 of the rules file
its rule was taken from, the credential authority's key and the board server's key (all
four go into the manifest). ``ballot_spoiled`` holds the ciphertexts of audited ballots
published as spoiled, which can never be cast; it is append-only like the board.

Revision ID: 0005
Revises: 0006
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("ballot_elections") as batch:
        batch.add_column(sa.Column("motion", sa.String(64), nullable=False, server_default="yes"))
        batch.add_column(sa.Column("rules_sha256", sa.String(64)))
        batch.add_column(
            sa.Column("authority_key", sa.String(64), nullable=False, server_default="")
        )
        batch.add_column(sa.Column("board_key", sa.String(64), nullable=False, server_default=""))
    op.create_table(
        "ballot_spoiled",
        sa.Column("pk", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column(
            "election_id",
            sa.String(64),
            sa.ForeignKey("ballot_elections.id"),
            nullable=False,
            index=True,
        ),
        sa.Column("ciphertext", sa.String(132), nullable=False),
        sa.Column("board_seq", sa.Integer(), nullable=False),
        sa.UniqueConstraint("election_id", "ciphertext", name="uq_ballot_spoiled"),
    )
    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        for action in ("UPDATE", "DELETE"):
            op.execute(
                f"CREATE TRIGGER ballot_spoiled_no_{action.lower()} BEFORE {action} ON "
                "ballot_spoiled BEGIN SELECT RAISE(ABORT, 'ballot_spoiled is append-only'); END"
            )
    elif dialect == "postgresql":
        op.execute(
            "CREATE TRIGGER ballot_spoiled_append_only BEFORE UPDATE OR DELETE ON ballot_spoiled "
            "FOR EACH ROW EXECUTE FUNCTION guildhall_append_only()"
        )


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER IF EXISTS ballot_spoiled_append_only ON ballot_spoiled")
    op.drop_table("ballot_spoiled")
    with op.batch_alter_table("ballot_elections") as batch:
        for column in ("board_key", "authority_key", "rules_sha256", "motion"):
            batch.drop_column(column)
