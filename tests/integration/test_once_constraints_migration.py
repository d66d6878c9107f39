"""Migration 0022: "once" becomes a database constraint. Existing duplicates are resolved first (a certain
duplicate ripple goes, a look-alike that may be distinct stays unkeyed, a repeated reaction request is
relabelled), the constraints then hold, and downgrade gives the old schema and labels back."""

from datetime import UTC, datetime

import pytest
from alembic import command
from sqlalchemy import inspect, text

from bot.domain.requests import AlreadyAsked
from bot.domain.ripples import RippleKind
from bot.storage.database import Database
from bot.storage.migrate import alembic_config, upgrade
from bot.storage.models import HelpRequestRow, TeacherRow
from bot.storage.repositories.requests import RequestRepository
from bot.storage.repositories.ripples import RippleRepository

WHEN = datetime(2026, 11, 2, 9, 30, tzinfo=UTC)
BEFORE = "0021_quiet_channels"


def _rows(db: Database, sql: str) -> list[tuple]:
    with db.engine.begin() as connection:
        return [tuple(row) for row in connection.execute(text(sql))]


def test_duplicates_are_resolved_then_the_once_constraints_hold_and_downgrade_restores(database_url):
    db = Database.from_url(database_url)
    try:
        upgrade(db.engine, BEFORE)
        with db.session() as session:
            helper, colleague = (
                TeacherRow(platform="slack", platform_user_id="U1", name="Maria"),
                TeacherRow(platform="slack", platform_user_id="U2", name="Derek"),
            )
            session.add_all([helper, colleague])
            session.flush()
            asked = [
                HelpRequestRow(
                    asker_id=colleague.id,
                    text="q",
                    platform="slack",
                    channel_id="C1",
                    message_id=message,
                    source=source,
                )
                for message, source in (
                    ("M1", "reaction"),
                    ("M1", "reaction"),
                    ("M1", "mention"),
                    ("M2", "reaction"),
                )
            ]
            session.add_all(asked)
            session.flush()
            ids = [r.id for r in asked]
            helper_id, colleague_id = helper.id, colleague.id
        thanks = RippleKind.THANKS.value
        with db.engine.begin() as connection:
            for colleague_or_none in (colleague_id, colleague_id, None, None):  # two named, two unnamed
                connection.execute(
                    text(
                        "INSERT INTO ripple_events (kind, teacher_id, colleague_id, request_id, note,"
                        " created_at) VALUES (:k, :t, :c, :r, '', :w)"
                    ),
                    {"k": thanks, "t": helper_id, "c": colleague_or_none, "r": ids[0], "w": WHEN},
                )

        upgrade(db.engine)
        kept = _rows(db, "SELECT colleague_id, once_key FROM ripple_events ORDER BY id")
        assert kept == [
            (colleague_id, f"thanks:{helper_id}:{colleague_id}:{ids[0]}:-"),  # its certain copy is gone
            (None, f"thanks:{helper_id}:-:{ids[0]}:-"),
            (None, None),  # may be a forgotten colleague's: kept, unkeyed
        ]
        assert _rows(db, "SELECT source FROM help_requests ORDER BY id") == [
            ("reaction",),
            ("reaction_repeat",),
            ("mention",),
            ("reaction",),
        ]
        with db.session() as session:
            ripples = RippleRepository(session)
            assert not ripples.record(RippleKind.THANKS, helper_id, colleague_id, ids[0])
            assert ripples.record(RippleKind.THANKS, helper_id, colleague_id, ids[3])
        with db.session() as session, pytest.raises(AlreadyAsked):
            RequestRepository(session).create(
                asker_id=colleague_id,
                text="q",
                platform="slack",
                channel_id="C1",
                message_id="M2",
                source="reaction",
            )
        with db.session() as session:  # a mention of the same message still asks again
            RequestRepository(session).create(
                asker_id=colleague_id,
                text="q",
                platform="slack",
                channel_id="C1",
                message_id="M2",
                source="mention",
            )

        config = alembic_config()
        with db.engine.begin() as connection:
            config.attributes["connection"] = connection
            command.downgrade(config, BEFORE)
        columns = {c["name"] for c in inspect(db.engine).get_columns("ripple_events")}
        assert "once_key" not in columns
        assert "uq_help_requests_reaction_once" not in {
            i["name"] for i in inspect(db.engine).get_indexes("help_requests")
        }
        assert _rows(db, "SELECT source FROM help_requests ORDER BY id")[:4] == [
            ("reaction",),
            ("reaction",),
            ("mention",),
            ("reaction",),
        ]
    finally:
        db.dispose()
