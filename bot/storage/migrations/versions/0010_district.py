"""district: teachers imported by email, linked to their platform id at import or first contact

Revision ID: 0010_district
Revises: 0009_merge
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0010_district"
down_revision = "0009_merge"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("teachers") as batch:
        batch.add_column(sa.Column("email", sa.String(254), nullable=True))
        batch.create_index("ix_teachers_email", ["email"])


def downgrade() -> None:
    with op.batch_alter_table("teachers") as batch:
        batch.drop_index("ix_teachers_email")
        batch.drop_column("email")
