"""Two `/kindred settings` commands from one teacher at the same moment over Slack HTTP: both survive.

Runs on SQLite, and on PostgreSQL when KINDRED_TEST_DATABASE_URL is set.
"""

from __future__ import annotations

import asyncio
import threading
from datetime import time

import pytest

from bot.handlers import settings_cmd
from bot.storage.repositories import TeacherRepository
from bot.storage.repositories.preferences import PreferenceRepository
from tests.platforms.slack.conftest import MARIA, SlackHarness


async def test_two_concurrent_settings_commands_both_survive(
    slack: SlackHarness, monkeypatch: pytest.MonkeyPatch
) -> None:
    both_loaded = threading.Barrier(2, timeout=10)
    real_apply = settings_cmd.apply

    def apply_after_both_loaded(*args, **kwargs):  # type: ignore[no-untyped-def]
        both_loaded.wait()  # each command has read the settings before either writes
        return real_apply(*args, **kwargs)

    monkeypatch.setattr(settings_cmd, "apply", apply_after_both_loaded)
    first, second = await asyncio.gather(
        slack.command("kindred", "settings timezone America/New_York", user=MARIA),
        slack.command("kindred", "settings checkin friday 14:00", user=MARIA),
    )
    assert first.status == second.status == 200
    replies = await slack.fake.wait_for("response_url", count=2)
    await slack.settle()

    with slack.app.db.session() as session:
        teacher = TeacherRepository(session).find("slack", MARIA)
        assert teacher is not None
        prefs = PreferenceRepository(session).load([teacher.id])[teacher.id]
    assert teacher.timezone == "America/New_York"
    assert (prefs.checkin_day, prefs.checkin_time) == (4, time(14, 0))
    # The reply of whichever write committed second shows both changes (its reply may reach Slack first).
    texts = [reply.params["text"] for reply in replies]
    assert any("America/New_York" in t and "Friday" in t for t in texts), "the later write shows both"
