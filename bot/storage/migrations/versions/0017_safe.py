"""thread_answers: colleagues' replies in question threads, quoted by "did this help?" and saved on a yes.

Revision ID: 0017_safe
Revises: 0016_scale
"""

import sqlalchemy as sa
from alembic import op

revision = "0017_safe"
down_revision = "0016_scale"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "thread_answers",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column(
            "request_id", sa.Integer(), sa.ForeignKey("help_requests.id", ondelete="CASCADE"), nullable=False
        ),
        sa.Column(
            "helper_id", sa.Integer(), sa.ForeignKey("teachers.id", ondelete="CASCADE"), nullable=False
        ),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("message_id", sa.String(64), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.UniqueConstraint("request_id", "message_id", name="uq_thread_answers_message"),
    )
    op.create_index("ix_thread_answers_request_id", "thread_answers", ["request_id"])
    op.create_index("ix_thread_answers_helper_id", "thread_answers", ["helper_id"])


def downgrade() -> None:
    op.drop_index("ix_thread_answers_helper_id", table_name="thread_answers")
    op.drop_index("ix_thread_answers_request_id", table_name="thread_answers")
    op.drop_table("thread_answers")
