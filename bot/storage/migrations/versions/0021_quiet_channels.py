"""quiet_channels: quiet channels of every platform in one neutral table (was ``slack_quiet_channels``).

``/kindred quiet here`` became a core command on every platform while its rows stayed in the Slack table,
other platforms' keyed ``"<platform>:<workspace>"`` in ``team_id``. The rows move over: a ``team_id``
without a colon is a Slack team; ``"<platform>:<workspace>"`` splits into its two columns.

Revision ID: 0021_quiet_channels
Revises: 0020_roles
"""

import sqlalchemy as sa
from alembic import op

revision = "0021_quiet_channels"
down_revision = "0020_roles"
branch_labels = None
depends_on = None

SLACK = "slack"


def upgrade() -> None:
    quiet = op.create_table(
        "quiet_channels",
        sa.Column("platform", sa.String(length=16), nullable=False),
        sa.Column("workspace_id", sa.String(length=64), nullable=False),
        sa.Column("channel_id", sa.String(length=64), nullable=False),
        sa.Column("set_by", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("platform", "workspace_id", "channel_id"),
    )
    old = sa.table(
        "slack_quiet_channels",
        sa.column("team_id", sa.String),
        sa.column("channel_id", sa.String),
        sa.column("set_by", sa.String),
        sa.column("created_at", sa.DateTime(timezone=True)),
    )
    rows = op.get_bind().execute(sa.select(old)).mappings().all()
    moved = []
    for row in rows:
        platform, _, workspace = (
            row["team_id"].partition(":") if ":" in row["team_id"] else (SLACK, "", row["team_id"])
        )
        moved.append(
            {
                "platform": platform,
                "workspace_id": workspace,
                "channel_id": row["channel_id"],
                "set_by": row["set_by"],
                "created_at": row["created_at"],
            }
        )
    if moved:
        op.bulk_insert(quiet, moved)
    op.drop_table("slack_quiet_channels")


def downgrade() -> None:
    old = op.create_table(
        "slack_quiet_channels",
        sa.Column("team_id", sa.String(length=64), nullable=False),
        sa.Column("channel_id", sa.String(length=64), nullable=False),
        sa.Column("set_by", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("team_id", "channel_id"),
    )
    quiet = sa.table(
        "quiet_channels",
        sa.column("platform", sa.String),
        sa.column("workspace_id", sa.String),
        sa.column("channel_id", sa.String),
        sa.column("set_by", sa.String),
        sa.column("created_at", sa.DateTime(timezone=True)),
    )
    rows = op.get_bind().execute(sa.select(quiet)).mappings().all()
    back = [
        {
            "team_id": row["workspace_id"]
            if row["platform"] == SLACK
            else f"{row['platform']}:{row['workspace_id']}",
            "channel_id": row["channel_id"],
            "set_by": row["set_by"],
            "created_at": row["created_at"],
        }
        for row in rows
    ]
    if back:
        op.bulk_insert(old, back)
    op.drop_table("quiet_channels")
