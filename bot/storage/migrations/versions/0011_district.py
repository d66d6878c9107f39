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


# Plain ALTER TABLE, not batch mode: on SQLite a batch rebuilds ``teachers``, and dropping the old table
# cascades into every row that references a teacher (suggestions, requests, …).
def upgrade() -> None:
    op.add_column("teachers", sa.Column("email", sa.String(254), nullable=True))
    op.create_index("ix_teachers_email", "teachers", ["email"])


def downgrade() -> None:
    op.drop_index("ix_teachers_email", table_name="teachers")
    op.drop_column("teachers", "email")
