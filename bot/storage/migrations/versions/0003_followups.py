"""followups: scheduled follow-ups, nudges, and the first human reply on a request

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

_NULL_TARGET = sa.text("target_teacher_id IS NULL")


def upgrade() -> None:
    op.create_table(
        "followups",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("request_id", sa.Integer(), nullable=False),
        sa.Column("target_teacher_id", sa.Integer(), nullable=True),
        sa.Column("due_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.Column("claim_token", sa.String(length=36), nullable=True),
        sa.Column("claimed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["request_id"], ["help_requests.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["target_teacher_id"], ["teachers.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("kind", "request_id", "target_teacher_id", name="uq_followups_once"),
    )
    op.create_index(
        "uq_followups_once_per_request",
        "followups",
        ["kind", "request_id"],
        unique=True,
        sqlite_where=_NULL_TARGET,
        postgresql_where=_NULL_TARGET,
    )
    op.create_index("ix_followups_state_due", "followups", ["state", "due_at"], unique=False)
    op.create_index("ix_followups_request_id", "followups", ["request_id"], unique=False)
    op.create_index("ix_followups_claim_token", "followups", ["claim_token"], unique=False)
    op.create_table(
        "nudges",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("request_id", sa.Integer(), nullable=False),
        sa.Column("teacher_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["request_id"], ["help_requests.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["teacher_id"], ["teachers.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("request_id", "teacher_id", name="uq_nudges_once"),
    )
    op.create_index("ix_nudges_teacher_created", "nudges", ["teacher_id", "created_at"], unique=False)
    # Plain ALTERs, never batch mode: recreating help_requests on SQLite would cascade-delete suggestions.
    op.add_column(
        "help_requests", sa.Column("first_human_reply_at", sa.DateTime(timezone=True), nullable=True)
    )


def downgrade() -> None:
    op.drop_column("help_requests", "first_human_reply_at")  # native DROP COLUMN (SQLite >= 3.35)
    op.drop_index("ix_nudges_teacher_created", table_name="nudges")
    op.drop_table("nudges")
    op.drop_index("ix_followups_claim_token", table_name="followups")
    op.drop_index("ix_followups_request_id", table_name="followups")
    op.drop_index("ix_followups_state_due", table_name="followups")
    op.drop_index("uq_followups_once_per_request", table_name="followups")
    op.drop_table("followups")
