"""Specialist roles on a real database (SQLite, or PostgreSQL with KINDRED_TEST_DATABASE_URL): the
repository's round trip, the row_changes feed and migration 0020 down and up."""

from alembic import command
from sqlalchemy import inspect, text

from bot.storage.database import Database
from bot.storage.migrate import alembic_config, current_heads, head_revisions, upgrade
from bot.storage.repositories import TeacherRepository


def _roles_via_every_read(db, teacher_id: int, platform: str, user_id: str) -> set[tuple[str, ...]]:
    with db.session() as session:
        repo = TeacherRepository(session)
        return {
            repo.get(teacher_id).roles,
            repo.find(platform, user_id).roles,
            repo.get_many([teacher_id])[teacher_id].roles,  # the raw-column read of the question path
            next(t for t in repo.all() if t.id == teacher_id).roles,
        }


def test_roles_round_trip_through_every_read(db):
    with db.session() as session:
        ana, _ = TeacherRepository(session).upsert(
            "slack", "U1", {"name": "Ana", "roles": ("counsellor", "debate coach")}
        )
    assert ana.roles == ("counsellor", "debate coach")
    assert _roles_via_every_read(db, ana.id, "slack", "U1") == {("counsellor", "debate coach")}
    with db.session() as session:
        TeacherRepository(session).upsert("slack", "U1", {"bio": "hello"})  # other fields leave roles alone
    assert _roles_via_every_read(db, ana.id, "slack", "U1") == {("counsellor", "debate coach")}
    with db.session() as session:
        TeacherRepository(session).upsert("slack", "U1", {"roles": []})
    assert _roles_via_every_read(db, ana.id, "slack", "U1") == {()}


def test_a_profile_without_roles_reads_none(db):
    with db.session() as session:
        bo, _ = TeacherRepository(session).upsert("slack", "U2", {"name": "Bo"})
    assert _roles_via_every_read(db, bo.id, "slack", "U2") == {()}


def test_a_roles_edit_reaches_the_feed_and_another_process_sees_it(db):
    other = Database.from_url(db.engine.url.render_as_string(hide_password=False))
    try:
        with db.session() as session:
            ana = TeacherRepository(session).upsert("slack", "U1", {"name": "Ana"})[0]
        with db.session() as session:
            assert TeacherRepository(session).get_many([ana.id])[ana.id].roles == ()  # now in the cache
        with db.engine.connect() as connection:
            before = connection.execute(text("SELECT count(*) FROM row_changes")).scalar_one()
        with other.session() as session:
            TeacherRepository(session).upsert("slack", "U1", {"roles": ["sped"]})
        with db.engine.connect() as connection:
            changes = connection.execute(
                text("SELECT table_name, item_id FROM row_changes ORDER BY id LIMIT 10 OFFSET :n"),
                {"n": before},
            ).all()
        assert [tuple(c) for c in changes] == [("teachers", ana.id)]
        with db.session() as session:
            assert TeacherRepository(session).get_many([ana.id])[ana.id].roles == ("sped",)
    finally:
        other.dispose()


def _teacher_columns(db) -> set[str]:
    return {c["name"] for c in inspect(db.engine).get_columns("teachers")}


def test_0020_down_and_up_keeps_teachers_and_their_feed(database_url):
    db = Database.from_url(database_url)
    try:
        upgrade(db.engine)
        assert current_heads(db.engine) == head_revisions()
        with db.session() as session:
            ana = TeacherRepository(session).upsert("console", "ana", {"name": "Ana", "roles": ["ell"]})[0]

        config = alembic_config()
        with db.engine.begin() as connection:
            config.attributes["connection"] = connection
            command.downgrade(config, "0019_row_changes")
        assert "roles" not in _teacher_columns(db)
        with db.engine.begin() as connection:
            assert (
                connection.execute(text("SELECT name FROM teachers WHERE id = :i"), {"i": ana.id}).scalar()
                == "Ana"
            )
            before = connection.execute(text("SELECT count(*) FROM row_changes")).scalar_one()
            connection.execute(text("UPDATE teachers SET bio = 'x' WHERE id = :i"), {"i": ana.id})
            assert connection.execute(text("SELECT count(*) FROM row_changes")).scalar_one() == before + 1

        upgrade(db.engine)
        assert "roles" in _teacher_columns(db)
        with db.session() as session:
            assert TeacherRepository(session).get(ana.id).roles == (), "existing profiles start with none"
        with db.engine.begin() as connection:
            before = connection.execute(text("SELECT count(*) FROM row_changes")).scalar_one()
            connection.execute(text("""UPDATE teachers SET roles = '["pe"]' WHERE id = :i"""), {"i": ana.id})
            assert connection.execute(text("SELECT count(*) FROM row_changes")).scalar_one() == before + 1
        with db.session() as session:
            assert TeacherRepository(session).get(ana.id).roles == ("pe",)
    finally:
        db.dispose()
