"""teachers.roles: specialist roles as a first-class profile field (SPED, ELL, counsellor, coach…).

A JSON list like ``subjects``; existing profiles start with none (their bios still state roles the ranker
reads, see ``bot/matching/peer_ranker.py``). The row_changes triggers of 0019 are per row, not per column:
a roles edit reaches the feed like any other teacher edit.

Revision ID: 0020_roles
Revises: 0019_row_changes
"""

import sqlalchemy as sa
from alembic import op

revision = "0020_roles"
down_revision = "0019_row_changes"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Plain ALTER TABLE, not batch mode: on SQLite a batch rebuilds ``teachers``, which cascades into every
    # row that references a teacher (see 0011_district) and drops the table's row_changes triggers.
    op.add_column("teachers", sa.Column("roles", sa.JSON(), nullable=False, server_default="[]"))


def downgrade() -> None:
    # SQLite (3.35+) drops a column in place, keeping the table and its triggers.
    op.drop_column("teachers", "roles")
