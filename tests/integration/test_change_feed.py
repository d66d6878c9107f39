"""Two Kindred processes on one database (each with its own data dir, as two containers would be):
what one shares, edits or forgets reaches the other's indexes through the change feed, and a process
started later catches up from its index files' watermark (SQLite and PostgreSQL)."""

from __future__ import annotations

import logging
import shutil

import pytest

from bot.bootstrap import App, bootstrap, prepare
from bot.domain.events import Actor, Command
from bot.handlers.ask import INDEX_FOLLOW_INTERVAL_SECONDS
from bot.matching.hashing_embedder import HashingEmbedder
from bot.matching.indexer import RESOURCE, TEACHER
from bot.privacy.user_data import forget_user
from bot.settings import Settings, load_settings
from bot.storage.repositories import TeacherRepository

MARIA = Actor("console", "maria.lopez", "Maria Lopez")
DEREK = Actor("console", "derek.thompson", "Derek Thompson")
SHARED_TITLE = "Cursive Handwriting Warm-Ups with Sky, Plane and Grass Lines"


def process(settings: Settings, data_dir_name: str) -> App:
    """One Kindred process: its own data dir (index files), the shared database."""
    own = load_settings(
        KINDRED_DATA_DIR=settings.data_dir.parent / data_dir_name, KINDRED_DATABASE_URL=settings.database_url
    )
    return prepare(bootstrap(own, embedder=HashingEmbedder()), ["console"])


@pytest.fixture
def pair(settings: Settings):
    a, b = process(settings, "process-a"), process(settings, "process-b")
    yield a, b
    a.close()
    b.close()


def command(app: App, actor: Actor, name: str, text: str):
    return app.kindred.handle_command(Command(actor, name, text, channel_id="general"))


def resource_titles(app: App, question: str) -> list[str]:
    return [card.title for card in command(app, DEREK, "ask", question).reply.resources]


def test_a_resource_shared_on_one_process_is_suggested_by_the_other(pair):
    a, b = pair
    question = "Any cursive handwriting warm-ups with sky, plane and grass lines for my 3rd graders?"
    assert SHARED_TITLE not in resource_titles(b, question)
    command(
        a, MARIA, "share", f"{SHARED_TITLE} | cursive letters on sky, plane and grass lines, 5 minutes a day"
    )
    assert b.indexer.follow_changes() >= 1
    assert b.indexer.follow_changes() == 0, "nothing new: nothing applied again"
    assert SHARED_TITLE in resource_titles(b, question)
    assert INDEX_FOLLOW_INTERVAL_SECONDS <= 5, "kindred run follows the feed within seconds"


def test_profile_edits_and_forget_me_reach_the_other_process(pair):
    a, b = pair
    with a.db.session() as session:
        maria = TeacherRepository(session).find("console", "maria.lopez")
    assert maria is not None
    command(a, MARIA, "kindred", "profile interests cursive handwriting, calligraphy")
    b.indexer.follow_changes()
    with b.db.session() as session:
        profile = TeacherRepository(session).get(maria.id)
    assert profile is not None and "calligraphy" in profile.profile_text()
    vector = b.embedder.embed([profile.profile_text()])[0]
    assert b.indexer.search(TEACHER, vector, 1)[0][0] == maria.id, "B now finds Maria by her new profile"

    assert forget_user(a.kindred.deps, a.kindred.registry.user_data, "console", "maria.lopez")
    b.indexer.follow_changes()
    assert maria.id not in set(b.indexer.index(TEACHER).ids().tolist())


def test_a_process_started_later_catches_up_from_its_watermark(settings, caplog):
    a = process(settings, "process-a")
    b = process(settings, "process-b")
    b.close()  # B's index files now reflect the feed up to here
    command(a, MARIA, "share", f"{SHARED_TITLE} | sky, plane and grass lines")
    shutil.rmtree(settings.data_dir.parent / "process-a")  # A's files are gone: only the feed remembers
    caplog.clear()
    with caplog.at_level(logging.INFO, logger="bot.matching.indexer"):
        later = process(settings, "process-b")
    messages = [r.getMessage() for r in caplog.records]
    assert "index caught up on the change feed" in messages
    assert not any(
        r.getMessage() == "index rebuilt" and getattr(r, "index", "") == RESOURCE for r in caplog.records
    )
    assert SHARED_TITLE in resource_titles(later, "cursive handwriting with sky, plane and grass lines?")
    a.close()
    later.close()
