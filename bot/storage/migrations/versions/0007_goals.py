"""goals: follow-up preferences per teacher, goals, the private learning log and weekly goal check-ins

Revision ID: 0007_goals
Revises: 0004_threads
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007_goals"
down_revision = "0004_threads"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "teacher_prefs",
        sa.Column("teacher_id", sa.Integer(), nullable=False),
        sa.Column("nudges_enabled", sa.Boolean(), nullable=False),
        sa.Column("work_days", sa.String(length=20), nullable=False),
        sa.Column("day_start", sa.Time(), nullable=False),
        sa.Column("day_end", sa.Time(), nullable=False),
        sa.Column("quiet_start", sa.Time(), nullable=True),
        sa.Column("quiet_end", sa.Time(), nullable=True),
        sa.Column("weekly_nudge_limit", sa.Integer(), nullable=True),
        sa.Column("snoozed_until", sa.DateTime(timezone=True), nullable=True),
        sa.Column("checkin_enabled", sa.Boolean(), nullable=False),
        sa.Column("checkin_day", sa.Integer(), nullable=False),
        sa.Column("checkin_time", sa.Time(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["teacher_id"], ["teachers.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("teacher_id"),
    )
    op.create_table(
        "goals",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("teacher_id", sa.Integer(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("framework", sa.String(length=32), nullable=True),
        sa.Column("component_code", sa.String(length=32), nullable=True),
        sa.Column("component_name", sa.String(length=200), nullable=True),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["teacher_id"], ["teachers.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_goals_teacher_active", "goals", ["teacher_id", "active"])
    op.create_table(
        "goal_logs",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("goal_id", sa.Integer(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["goal_id"], ["goals.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_goal_logs_goal_id", "goal_logs", ["goal_id"])
    op.create_table(
        "goal_checkins",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("goal_id", sa.Integer(), nullable=False),
        sa.Column("week_start", sa.Date(), nullable=False),
        sa.Column("due_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.Column("claimed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["goal_id"], ["goals.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("goal_id", "week_start", name="uq_goal_checkins_weekly"),
    )
    op.create_index("ix_goal_checkins_state_due", "goal_checkins", ["state", "due_at"])


def downgrade() -> None:
    op.drop_index("ix_goal_checkins_state_due", table_name="goal_checkins")
    op.drop_table("goal_checkins")
    op.drop_index("ix_goal_logs_goal_id", table_name="goal_logs")
    op.drop_table("goal_logs")
    op.drop_index("ix_goals_teacher_active", table_name="goals")
    op.drop_table("goals")
    op.drop_table("teacher_prefs")
