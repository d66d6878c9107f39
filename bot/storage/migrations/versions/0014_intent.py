"""intent: corrections to the help-request detector (labelled embeddings, no text)

Revision ID: 0014_intent
Revises: 0013_oauth
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0014_intent"
down_revision = "0013_oauth"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "intent_corrections",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("platform", sa.String(length=16), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("label", sa.Integer(), nullable=False),
        sa.Column("model", sa.String(length=200), nullable=False),
        sa.Column("vector", sa.LargeBinary(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )


def downgrade() -> None:
    op.drop_table("intent_corrections")
