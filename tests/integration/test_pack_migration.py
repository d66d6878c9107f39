"""Migration 0005_packs goes down and up on its own branch, the rest untouched (SQLite and PostgreSQL)."""

from alembic import command
from sqlalchemy import inspect

from bot.storage.database import Database
from bot.storage.migrate import alembic_config, current_heads, head_revisions, upgrade
from bot.storage.repositories import RequestRepository, TeacherRepository
from bot.storage.repositories.knowledge import KnowledgeRepository
from bot.storage.repositories.packs import PackRepository

MINE = {
    "pack_members",
    "pack_rounds",
    "packs",
    "pack_assignments",
    "answered_questions",
    "request_links",
    "ripple_events",
}


def test_0005_down_and_up_keeps_everything_else(database_url):
    db = Database.from_url(database_url)
    upgrade(db.engine)
    assert current_heads(db.engine) == head_revisions() == ("0010_consent_data",)
    with db.session() as session:
        teacher, _ = TeacherRepository(session).upsert("console", "ana", {"name": "Ana"})
        request = RequestRepository(session).create(
            asker_id=teacher.id, text="fractions?", platform="console"
        )
        PackRepository(session).join(teacher.id, "fractions")
        KnowledgeRepository(session).save_answer(
            request.id, teacher.id, "fractions?", "strips", "console", None
        )

    config = alembic_config()
    with db.engine.begin() as connection:
        config.attributes["connection"] = connection
        command.downgrade(config, "0005_packs-1")
    assert "0005_packs" not in current_heads(db.engine)
    assert not MINE & set(inspect(db.engine).get_table_names())
    with db.session() as session:
        assert RequestRepository(session).get(request.id).text == "fractions?"

    upgrade(db.engine)
    assert set(inspect(db.engine).get_table_names()) >= MINE
    with db.session() as session:
        assert PackRepository(session).membership(teacher.id) is None, "a fresh branch starts empty"
    db.dispose()
