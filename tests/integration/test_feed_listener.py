"""On PostgreSQL a change committed by one process wakes the other's LISTEN: it is searchable there well
within the 2 s poll, without anyone calling ``follow_changes``."""

from __future__ import annotations

import time

import pytest

from bot.matching.feed_listener import FeedListener
from bot.settings import Settings
from tests.integration.test_change_feed import MARIA, SHARED_TITLE, command, process, resource_titles


def test_a_share_on_one_process_wakes_the_others_listener(settings: Settings) -> None:
    if settings.database_url and settings.database_url.startswith("sqlite"):
        pytest.skip("LISTEN/NOTIFY is PostgreSQL's; SQLite processes poll")
    a, b = process(settings, "process-a"), process(settings, "process-b")
    listener = FeedListener(b.db, b.indexer.follow_changes, interval=30)  # no poll could explain it
    listener.start()
    try:
        assert listener.listening.wait(10)
        question = "cursive handwriting warm-ups with sky, plane and grass lines?"
        assert SHARED_TITLE not in resource_titles(b, question)
        command(a, MARIA, "share", f"{SHARED_TITLE} | cursive letters on sky, plane and grass lines")
        shared_at = time.monotonic()
        while SHARED_TITLE not in resource_titles(b, question):
            assert time.monotonic() - shared_at < 1.0, "B should see A's share within a second"
            time.sleep(0.02)
    finally:
        listener.stop()
        a.close()
        b.close()


def test_sqlite_has_no_listener_thread(settings: Settings) -> None:
    if not (settings.database_url or "").startswith("sqlite"):
        pytest.skip("the SQLite case")
    app = process(settings, "process-a")
    listener = FeedListener(app.db, app.indexer.follow_changes, interval=2)
    listener.start()
    assert listener._thread is None, "SQLite keeps the 2 s poll only"
    app.close()
