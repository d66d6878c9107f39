"""Ranking a question takes no write lock: another process can write while one /ask is being ranked.

Found with two worker processes on one SQLite file (``make bench-load``): the "shown often, rarely chosen"
penalties were re-read inside the event's unit of work, so that read began the event's next transaction
with ``BEGIN IMMEDIATE`` in the middle of ranking. It then held this process's write gate and SQLite's
write lock while the other process waited for them, and its /ask calls failed with "database is locked"."""

from __future__ import annotations

import io
import sqlite3

import pytest

from bot.platforms.console import ConsoleSession

QUESTION = "/ask How do I teach equivalent fractions hands-on to 4th graders?"


def _another_process_can_write(path: str) -> bool:
    """What a second process would do: take SQLite's write lock at once (no waiting)."""
    other = sqlite3.connect(path, timeout=0, isolation_level=None)
    try:
        other.execute("BEGIN IMMEDIATE")
        other.execute("ROLLBACK")
        return True
    except sqlite3.OperationalError:
        return False
    finally:
        other.close()


def test_a_console_ask_ranks_without_holding_the_write_lock(app, monkeypatch):
    if not app.db.is_sqlite:
        pytest.skip("SQLite's database-wide write lock")
    path = app.db.engine.url.database
    suggester = app.kindred.deps.suggester
    suggester.shown_chosen.forget()  # the penalties are re-read on this question, as after their TTL
    real_suggest = suggester.suggest
    probes: list[bool] = []

    def suggest_then_probe(*args, **kwargs):
        found = real_suggest(*args, **kwargs)
        probes.append(_another_process_can_write(path))
        return found

    monkeypatch.setattr(suggester, "suggest", suggest_then_probe)
    console = ConsoleSession(app.kindred, out=(out := io.StringIO()))
    console.handle_line("/as Maria Lopez")
    console.handle_line(QUESTION)
    assert "Grab n' go resources:" in out.getvalue()
    assert probes == [True]


def test_committed_reads_never_join_the_events_unit_of_work(app):
    with app.db.unit_of_work() as uow:
        uow.commit()  # as /ask does before it embeds and ranks
        with app.db.committed_reads() as reads:
            assert reads.session is not uow.session
            reads.resources.count()
        assert not uow.session.in_transaction()
