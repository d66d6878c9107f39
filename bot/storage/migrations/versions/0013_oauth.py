"""oauth: Slack installations, bots and OAuth states (the tables of slack_sdk's SQLAlchemy stores)

Revision ID: 0013_oauth
Revises: 0012_reliability
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0013_oauth"
down_revision = "0012_reliability"
branch_labels = None
depends_on = None


def _s(length: int) -> sa.String:
    return sa.String(length=length)


def upgrade() -> None:
    op.create_table(
        "slack_installations",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("client_id", _s(32), nullable=False),
        sa.Column("app_id", _s(32), nullable=False),
        sa.Column("enterprise_id", _s(32), nullable=True),
        sa.Column("enterprise_name", _s(200), nullable=True),
        sa.Column("enterprise_url", _s(200), nullable=True),
        sa.Column("team_id", _s(32), nullable=True),
        sa.Column("team_name", _s(200), nullable=True),
        sa.Column("bot_token", _s(200), nullable=True),
        sa.Column("bot_id", _s(32), nullable=True),
        sa.Column("bot_user_id", _s(32), nullable=True),
        sa.Column("bot_scopes", _s(1000), nullable=True),
        sa.Column("bot_refresh_token", _s(200), nullable=True),
        sa.Column("bot_token_expires_at", sa.DateTime(), nullable=True),
        sa.Column("user_id", _s(32), nullable=False),
        sa.Column("user_token", _s(200), nullable=True),
        sa.Column("user_scopes", _s(1000), nullable=True),
        sa.Column("user_refresh_token", _s(200), nullable=True),
        sa.Column("user_token_expires_at", sa.DateTime(), nullable=True),
        sa.Column("incoming_webhook_url", _s(200), nullable=True),
        sa.Column("incoming_webhook_channel", _s(200), nullable=True),
        sa.Column("incoming_webhook_channel_id", _s(200), nullable=True),
        sa.Column("incoming_webhook_configuration_url", _s(200), nullable=True),
        sa.Column("is_enterprise_install", sa.Boolean(), nullable=False),
        sa.Column("token_type", _s(32), nullable=True),
        sa.Column("installed_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(
        "slack_installations_idx",
        "slack_installations",
        ["client_id", "enterprise_id", "team_id", "user_id", "installed_at"],
    )
    op.create_table(
        "slack_bots",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("client_id", _s(32), nullable=False),
        sa.Column("app_id", _s(32), nullable=False),
        sa.Column("enterprise_id", _s(32), nullable=True),
        sa.Column("enterprise_name", _s(200), nullable=True),
        sa.Column("team_id", _s(32), nullable=True),
        sa.Column("team_name", _s(200), nullable=True),
        sa.Column("bot_token", _s(200), nullable=True),
        sa.Column("bot_id", _s(32), nullable=True),
        sa.Column("bot_user_id", _s(32), nullable=True),
        sa.Column("bot_scopes", _s(1000), nullable=True),
        sa.Column("bot_refresh_token", _s(200), nullable=True),
        sa.Column("bot_token_expires_at", sa.DateTime(), nullable=True),
        sa.Column("is_enterprise_install", sa.Boolean(), nullable=False),
        sa.Column("installed_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("slack_bots_idx", "slack_bots", ["client_id", "enterprise_id", "team_id", "installed_at"])
    op.create_table(
        "slack_oauth_states",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("state", _s(200), nullable=False),
        sa.Column("expire_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )


def downgrade() -> None:
    op.drop_table("slack_oauth_states")
    op.drop_index("slack_bots_idx", table_name="slack_bots")
    op.drop_table("slack_bots")
    op.drop_index("slack_installations_idx", table_name="slack_installations")
    op.drop_table("slack_installations")
