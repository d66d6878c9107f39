"""district: teachers imported by email, linked to their platform id at import or first contact

Revision ID: 0011_district
Revises: 0010_index_changes
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0011_district"
down_revision = "0010_index_changes"
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
