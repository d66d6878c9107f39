"""slack outbox: channel posts that Slack refused (500, 429 beyond the retry budget), retried with backoff

Revision ID: 0012_reliability
Revises: 0011_district
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0012_reliability"
down_revision = "0011_district"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "slack_outbox",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("channel_id", sa.String(length=64), nullable=False),
        sa.Column("thread_ts", sa.String(length=32), nullable=True),
        sa.Column("payload", sa.Text(), nullable=False),
        sa.Column("delivery_key", sa.String(length=36), nullable=False),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("due_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("claim_token", sa.String(length=36), nullable=True),
        sa.Column("claimed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_slack_outbox_state_due", "slack_outbox", ["state", "due_at"], unique=False)


def downgrade() -> None:
    op.drop_index("ix_slack_outbox_state_due", table_name="slack_outbox")
    op.drop_table("slack_outbox")
