"""resources.workspace_id: where a resource was shared, kept when its sharer is forgotten.

Filled from the sharer's workspace for resources shared before this revision.

Revision ID: 0018_scope
Revises: 0017_safe
"""

import sqlalchemy as sa
from alembic import op

revision = "0018_scope"
down_revision = "0017_safe"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("resources") as batch:
        batch.add_column(sa.Column("workspace_id", sa.String(64), nullable=True))
    op.execute(
        "UPDATE resources SET workspace_id = "
        "(SELECT teachers.workspace_id FROM teachers WHERE teachers.id = resources.shared_by) "
        "WHERE shared_by IS NOT NULL"
    )


def downgrade() -> None:
    with op.batch_alter_table("resources") as batch:
        batch.drop_column("workspace_id")
