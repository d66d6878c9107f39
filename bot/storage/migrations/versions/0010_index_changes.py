"""index changes: a feed of vector writes and removals that every process follows

Revision ID: 0010_index_changes
Revises: 0009_merge
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0010_index_changes"
down_revision = "0009_merge"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "index_changes",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("item_id", sa.Integer(), nullable=False),
        sa.Column("model", sa.String(200), nullable=True),
        sa.Column("removed", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("index_changes")
