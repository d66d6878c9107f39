"""Migration 0021: quiet channels of every platform move from ``slack_quiet_channels`` into the neutral
``quiet_channels`` table and back on downgrade, and a moved channel is still quiet through the core."""

from datetime import UTC, datetime

from alembic import command
from sqlalchemy import inspect, text

from bot.storage.database import Database
from bot.storage.migrate import alembic_config, upgrade
from bot.storage.repositories.quiet_channels import QuietChannelRepository

WHEN = datetime(2026, 11, 2, 9, 30, tzinfo=UTC)


def _rows(db: Database, sql: str) -> set[tuple[str, ...]]:
    with db.engine.begin() as connection:
        return {tuple(row) for row in connection.execute(text(sql))}


def test_quiet_channels_move_to_the_neutral_table_and_back(database_url):
    db = Database.from_url(database_url)
    try:
        upgrade(db.engine, "0020_roles")
        with db.engine.begin() as connection:
            for team, channel, who in (
                ("T1", "C9", "U123"),
                ("discord:G1", "general", "42"),
                ("console:", "c", ""),
            ):
                connection.execute(
                    text(
                        "INSERT INTO slack_quiet_channels (team_id, channel_id, set_by, created_at)"
                        " VALUES (:t, :c, :s, :w)"
                    ),
                    {"t": team, "c": channel, "s": who, "w": WHEN},
                )

        upgrade(db.engine)
        assert "slack_quiet_channels" not in inspect(db.engine).get_table_names()
        assert _rows(db, "SELECT platform, workspace_id, channel_id, set_by FROM quiet_channels") == {
            ("slack", "T1", "C9", "U123"),
            ("discord", "G1", "general", "42"),
            ("console", "", "c", ""),
        }
        with db.session() as session:
            quiet = QuietChannelRepository(session)
            assert quiet.is_quiet("slack", "T1", "C9") and quiet.is_quiet("discord", "G1", "general")
            assert quiet.is_quiet("console", None, "c") and not quiet.is_quiet("slack", "T2", "C9")

        config = alembic_config()
        with db.engine.begin() as connection:
            config.attributes["connection"] = connection
            command.downgrade(config, "0020_roles")
        assert "quiet_channels" not in inspect(db.engine).get_table_names()
        assert _rows(db, "SELECT team_id, channel_id, set_by FROM slack_quiet_channels") == {
            ("T1", "C9", "U123"),
            ("discord:G1", "general", "42"),
            ("console:", "c", ""),
        }
    finally:
        db.dispose()
