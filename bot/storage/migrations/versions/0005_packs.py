"""packs, answered questions, linked questions and ripple events

Revision ID: 0005_packs
Revises: 0003
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005_packs"
down_revision = "0003"
branch_labels = None
depends_on = None


def _created_at(name: str = "created_at") -> sa.Column:
    return sa.Column(name, sa.DateTime(timezone=True), nullable=False)


def upgrade() -> None:
    op.create_table(
        "pack_members",
        sa.Column("teacher_id", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("focus", sa.String(length=200), nullable=False),
        sa.Column("snoozed_until", sa.DateTime(timezone=True), nullable=True),
        _created_at("joined_at"),
        _created_at("updated_at"),
        sa.ForeignKeyConstraint(["teacher_id"], ["teachers.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("teacher_id"),
    )
    op.create_table(
        "pack_rounds",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("day", sa.String(length=10), nullable=False),
        _created_at("started_at"),
        sa.Column("waiting", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("day"),
    )
    op.create_table(
        "packs",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("round_id", sa.Integer(), nullable=False),
        sa.Column("focus", sa.String(length=200), nullable=False),
        sa.Column("starter", sa.Text(), nullable=False),
        _created_at(),
        sa.ForeignKeyConstraint(["round_id"], ["pack_rounds.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_packs_round_id", "packs", ["round_id"])
    op.create_table(
        "pack_assignments",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("round_id", sa.Integer(), nullable=False),
        sa.Column("pack_id", sa.Integer(), nullable=False),
        sa.Column("teacher_id", sa.Integer(), nullable=False),
        sa.Column("introduced_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("checkin_due_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("checkin_sent_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("check_in", sa.String(length=16), nullable=True),
        sa.Column("answered_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["round_id"], ["pack_rounds.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["pack_id"], ["packs.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["teacher_id"], ["teachers.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("round_id", "teacher_id", name="uq_pack_assignments_once_per_round"),
    )
    op.create_index("ix_pack_assignments_pack_id", "pack_assignments", ["pack_id"])
    op.create_index("ix_pack_assignments_teacher", "pack_assignments", ["teacher_id", "round_id"])
    op.create_index(
        "ix_pack_assignments_checkin_due", "pack_assignments", ["checkin_sent_at", "checkin_due_at"]
    )
    op.create_table(
        "answered_questions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("request_id", sa.Integer(), nullable=False),
        sa.Column("helper_id", sa.Integer(), nullable=False),
        sa.Column("question", sa.Text(), nullable=False),
        sa.Column("answer", sa.Text(), nullable=False),
        sa.Column("platform", sa.String(length=16), nullable=False),
        sa.Column("workspace_id", sa.String(length=64), nullable=True),
        _created_at(),
        sa.ForeignKeyConstraint(["request_id"], ["help_requests.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["helper_id"], ["teachers.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("request_id", "helper_id", name="uq_answered_questions_once"),
    )
    op.create_index("ix_answered_questions_helper_id", "answered_questions", ["helper_id"])
    op.create_table(
        "request_links",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("request_id", sa.Integer(), nullable=False),
        sa.Column("similar_request_id", sa.Integer(), nullable=False),
        sa.Column("score", sa.Float(), nullable=False),
        _created_at(),
        sa.ForeignKeyConstraint(["request_id"], ["help_requests.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["similar_request_id"], ["help_requests.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("request_id", "similar_request_id", name="uq_request_links_pair"),
    )
    op.create_index("ix_request_links_request_id", "request_links", ["request_id"])
    op.create_index("ix_request_links_similar_request_id", "request_links", ["similar_request_id"])
    op.create_table(
        "ripple_events",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=24), nullable=False),
        sa.Column("teacher_id", sa.Integer(), nullable=False),
        sa.Column("colleague_id", sa.Integer(), nullable=True),
        sa.Column("request_id", sa.Integer(), nullable=True),
        sa.Column("answer_id", sa.Integer(), nullable=True),
        sa.Column("note", sa.Text(), nullable=False),
        _created_at(),
        sa.ForeignKeyConstraint(["teacher_id"], ["teachers.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["colleague_id"], ["teachers.id"], ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["request_id"], ["help_requests.id"], ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["answer_id"], ["answered_questions.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_ripple_events_teacher_created", "ripple_events", ["teacher_id", "created_at"])


def downgrade() -> None:
    op.drop_index("ix_ripple_events_teacher_created", table_name="ripple_events")
    op.drop_table("ripple_events")
    op.drop_index("ix_request_links_similar_request_id", table_name="request_links")
    op.drop_index("ix_request_links_request_id", table_name="request_links")
    op.drop_table("request_links")
    op.drop_index("ix_answered_questions_helper_id", table_name="answered_questions")
    op.drop_table("answered_questions")
    op.drop_index("ix_pack_assignments_checkin_due", table_name="pack_assignments")
    op.drop_index("ix_pack_assignments_teacher", table_name="pack_assignments")
    op.drop_index("ix_pack_assignments_pack_id", table_name="pack_assignments")
    op.drop_table("pack_assignments")
    op.drop_index("ix_packs_round_id", table_name="packs")
    op.drop_table("packs")
    op.drop_table("pack_rounds")
    op.drop_table("pack_members")
