"""teacher_prefs.post_unanswered: a teacher's standing yes to posting their unanswered questions.

Revision ID: 0015_consent_data
Revises: 0014_intent
"""

import sqlalchemy as sa
from alembic import op

revision = "0015_consent_data"
down_revision = "0014_intent"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("teacher_prefs") as batch:
        batch.add_column(
            sa.Column("post_unanswered", sa.Boolean(), nullable=False, server_default=sa.false())
        )


def downgrade() -> None:
    with op.batch_alter_table("teacher_prefs") as batch:
        batch.drop_column("post_unanswered")
