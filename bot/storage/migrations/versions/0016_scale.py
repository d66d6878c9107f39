"""resources.updated_at: a change watermark, so a start re-reads and re-hashes only resources edited since
their vector was stored (existing rows take their creation time: their vectors are newer).

Revision ID: 0016_scale
Revises: 0015_consent_data
"""

import sqlalchemy as sa
from alembic import op

revision = "0016_scale"
down_revision = "0015_consent_data"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Plain ALTER TABLE: a batch rebuild of a referenced table cascades on SQLite (see 0011_district).
    op.add_column("resources", sa.Column("updated_at", sa.DateTime(timezone=True), nullable=True))
    op.execute("UPDATE resources SET updated_at = created_at")


def downgrade() -> None:
    with op.batch_alter_table("resources") as batch:
        batch.drop_column("updated_at")
