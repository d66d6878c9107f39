"""anonymity: escrowed identities of anonymous questions, flags, blocks, help channels, audit log

Revision ID: 0008_anonymity
Revises: 0004_threads
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008_anonymity"
down_revision = "0004_threads"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "anonymous_questions",
        sa.Column("request_id", sa.Integer(), nullable=False),
        sa.Column("platform", sa.String(length=16), nullable=False),
        sa.Column("workspace_id", sa.String(length=64), nullable=True),
        sa.Column("pseudonym", sa.String(length=64), nullable=False),
        sa.Column("identity", sa.LargeBinary(), nullable=False),
        sa.Column("fingerprint", sa.String(length=64), nullable=False),
        sa.Column("hidden", sa.Boolean(), nullable=False),
        sa.Column("deleted", sa.Boolean(), nullable=False),
        sa.Column("revealed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["request_id"], ["help_requests.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("request_id"),
    )
    op.create_index("ix_anonymous_questions_fingerprint", "anonymous_questions", ["fingerprint"])
    op.create_table(
        "anonymous_flags",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("request_id", sa.Integer(), nullable=False),
        sa.Column("flagged_by", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["request_id"], ["help_requests.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("request_id", "flagged_by", name="uq_anonymous_flags_once"),
    )
    op.create_index("ix_anonymous_flags_request_id", "anonymous_flags", ["request_id"])
    op.create_table(
        "anonymous_blocks",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("platform", sa.String(length=16), nullable=False),
        sa.Column("fingerprint", sa.String(length=64), nullable=False),
        sa.Column("request_id", sa.Integer(), nullable=True),
        sa.Column("blocked_by", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["request_id"], ["help_requests.id"], ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("platform", "fingerprint", name="uq_anonymous_blocks_once"),
    )
    op.create_table(
        "help_channels",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("platform", sa.String(length=16), nullable=False),
        sa.Column("workspace_id", sa.String(length=64), nullable=False),
        sa.Column("channel_id", sa.String(length=64), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("platform", "workspace_id", name="uq_help_channels_workspace"),
    )
    op.create_table(
        "anonymity_audit",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("action", sa.String(length=32), nullable=False),
        sa.Column("request_id", sa.Integer(), nullable=True),
        sa.Column("actor_platform", sa.String(length=16), nullable=False),
        sa.Column("actor_id", sa.String(length=64), nullable=False),
        sa.Column("detail", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_anonymity_audit_request_id", "anonymity_audit", ["request_id"])


def downgrade() -> None:
    op.drop_index("ix_anonymity_audit_request_id", table_name="anonymity_audit")
    op.drop_table("anonymity_audit")
    op.drop_table("help_channels")
    op.drop_table("anonymous_blocks")
    op.drop_index("ix_anonymous_flags_request_id", table_name="anonymous_flags")
    op.drop_table("anonymous_flags")
    op.drop_index("ix_anonymous_questions_fingerprint", table_name="anonymous_questions")
    op.drop_table("anonymous_questions")
