"""The in-memory resource and teacher rows of the question path never show a stale or uncommitted row.

Two ``Database`` objects on one database stand for two processes (each has its own cache); SQLite, or
PostgreSQL with KINDRED_TEST_DATABASE_URL."""

import threading

import pytest
from sqlalchemy import text

from bot.storage.database import Database
from bot.storage.repositories import ResourceRepository, TeacherRepository
from bot.storage.repositories.row_cache import cache_for

RESOURCE = {
    "title": "Number talks",
    "url": "https://example.org/talks",
    "grades": ("3",),
    "subjects": ("math",),
}


@pytest.fixture
def other(db):
    """A second process on the same database."""
    second = Database.from_url(db.engine.url.render_as_string(hide_password=False))
    yield second
    second.dispose()


def _resource(db, resource_id):
    with db.session() as session:
        return ResourceRepository(session).get_many([resource_id]).get(resource_id)


def _cached_ids(db, table):
    with db.session() as session:
        return set(cache_for(session, table, lambda _s, _ids: {})._rows)


def _add_resource(db, **fields):
    with db.session() as session:
        resource, _ = ResourceRepository(session).upsert({**RESOURCE, **fields})
    return resource.id


def test_an_edit_in_another_process_is_read_at_once(db, other):
    resource_id = _add_resource(db)
    assert _resource(db, resource_id).title == "Number talks"
    assert resource_id in _cached_ids(db, "resources")  # the next read is from memory

    with other.session() as session:
        ResourceRepository(session).upsert({**RESOURCE, "title": "Number talks, revised"})
    assert _resource(db, resource_id).title == "Number talks, revised"


def test_a_raw_sql_edit_and_a_delete_are_seen_too(db, other):
    """The feed is written by triggers: no write path can skip it."""
    resource_id = _add_resource(db)
    assert _resource(db, resource_id).description == ""
    with other.engine.begin() as connection:
        connection.execute(
            text("UPDATE resources SET description = 'sums' WHERE id = :i"), {"i": resource_id}
        )
    assert _resource(db, resource_id).description == "sums"
    with other.engine.begin() as connection:
        connection.execute(text("DELETE FROM resources WHERE id = :i"), {"i": resource_id})
    assert _resource(db, resource_id) is None


def test_a_teacher_edit_is_seen(db, other):
    with db.session() as session:
        teacher = TeacherRepository(session).upsert("slack", "U1", {"name": "Ana"})[0]
    with db.session() as session:
        assert TeacherRepository(session).get_many([teacher.id])[teacher.id].name == "Ana"
    with other.engine.begin() as connection:
        connection.execute(text("UPDATE teachers SET name = 'Ana M.' WHERE id = :i"), {"i": teacher.id})
    with db.session() as session:
        assert TeacherRepository(session).get_many([teacher.id])[teacher.id].name == "Ana M."


def test_an_uncommitted_write_is_read_by_its_session_only_and_never_cached(db):
    resource_id = _add_resource(db)
    assert _resource(db, resource_id).title == "Number talks"
    session = db._factory()
    try:
        session.execute(text("UPDATE resources SET title = 'Draft' WHERE id = :i"), {"i": resource_id})
        assert ResourceRepository(session).get_many([resource_id])[resource_id].title == "Draft"
        session.rollback()
    finally:
        session.close()
    assert _resource(db, resource_id).title == "Number talks"


def test_an_older_snapshot_does_not_put_old_rows_in_the_cache(db, other):
    resource_id = _add_resource(db)
    _add_resource(db, title="Exit tickets", url="https://example.org/exit")
    old = db._factory()
    try:
        if db.is_sqlite:  # a read transaction holds its snapshot from its first read
            old.connection().exec_driver_sql("BEGIN")
        else:
            old.connection(execution_options={"isolation_level": "REPEATABLE READ"})
        old.execute(text("SELECT count(*) FROM resources")).all()  # the snapshot starts here
        with other.session() as session:
            ResourceRepository(session).upsert({**RESOURCE, "title": "Newer"})
        assert _resource(db, resource_id).title == "Newer"  # the cache's watermark moves past the edit
        seen = ResourceRepository(old).get_many([resource_id])[resource_id]
        assert seen.title == "Number talks"  # this transaction's own view, read directly
    finally:
        old.close()
    assert _resource(db, resource_id).title == "Newer"


def test_a_change_that_commits_after_a_later_one_is_not_missed(db, other):
    """PostgreSQL hands out feed ids before commit: an earlier id can become visible after a later one."""
    if db.is_sqlite:
        pytest.skip("SQLite has one writer at a time: feed ids become visible in order")
    first = _add_resource(db)
    second = _add_resource(db, title="Exit tickets", url="https://example.org/exit")
    assert _resource(db, first).title == "Number talks"
    slow = other._factory()
    try:
        slow.execute(text("UPDATE resources SET title = 'Slow edit' WHERE id = :i"), {"i": first})
        done = threading.Event()

        def quick_edit():
            with other.engine.begin() as connection:
                connection.execute(text("UPDATE resources SET title = 'Quick' WHERE id = :i"), {"i": second})
            done.set()

        threading.Thread(target=quick_edit).start()
        assert done.wait(10)
        assert _resource(db, second).title == "Quick"  # the watermark is now past the slow edit's feed id
        slow.commit()
    finally:
        slow.close()
    assert _resource(db, first).title == "Slow edit"


def test_every_row_write_reaches_the_feed(db):
    """After every migration (a table rebuilt by a later migration would lose its triggers)."""
    resource_id = _add_resource(db)
    with db.session() as session:
        teacher = TeacherRepository(session).upsert("slack", "U9", {"name": "Bo"})[0]
    with db.engine.begin() as connection:
        before = connection.execute(text("SELECT count(*) FROM row_changes")).scalar_one()
        connection.execute(text("UPDATE resources SET kind = 'video' WHERE id = :i"), {"i": resource_id})
        connection.execute(text("UPDATE teachers SET bio = 'x' WHERE id = :i"), {"i": teacher.id})
        connection.execute(text("DELETE FROM resources WHERE id = :i"), {"i": resource_id})
        rows = connection.execute(
            text("SELECT table_name, item_id FROM row_changes ORDER BY id LIMIT 10 OFFSET :n"), {"n": before}
        ).all()
    assert [tuple(r) for r in rows] == [
        ("resources", resource_id),
        ("teachers", teacher.id),
        ("resources", resource_id),
    ]


def test_reading_every_row_warms_the_cache(db):
    first = _add_resource(db)
    second = _add_resource(db, title="Exit tickets", url="https://example.org/exit")
    with db.session() as session:
        assert {r.id for r in ResourceRepository(session).all()} == {first, second}
    assert {first, second} <= _cached_ids(db, "resources")


def test_a_row_edited_while_every_row_is_read_is_not_kept_stale(db, other):
    first = _add_resource(db)
    second = _add_resource(db, title="Exit tickets", url="https://example.org/exit")
    assert _resource(db, second).title == "Exit tickets"  # the cache exists; ``first`` is not in it
    with db.session() as session:
        repository = ResourceRepository(session)
        old = {first: repository.get(first), second: repository.get(second)}

        def read_then_someone_edits():  # the edit lands after the rows were read, before they are kept
            with other.session() as writer:
                ResourceRepository(writer).upsert({**RESOURCE, "title": "Edited meanwhile"})
            return old

        cache_for(session, "resources", lambda _s, _ids: {}).fill(session, read_then_someone_edits)
    assert second in _cached_ids(db, "resources")
    assert _resource(db, first).title == "Edited meanwhile"


def _feed_reads(db):
    """Counts the row cache's change-feed reads on ``db`` (a list that grows per read)."""
    reads = []

    def count(_conn, _cursor, statement, *_args):
        if "row_changes" in statement and "table_name" in statement:
            reads.append(statement)

    from sqlalchemy import event

    event.listen(db.engine, "before_cursor_execute", count)
    return reads


def test_one_transaction_reads_the_feed_once_per_table(db):
    resource_id = _add_resource(db)
    _resource(db, resource_id)  # cached
    reads = _feed_reads(db)
    with db.read_session() as session:
        for _ in range(3):  # a question reads a table's rows three times
            assert ResourceRepository(session).get_many([resource_id])[resource_id].title == "Number talks"
    assert len(reads) == 1
    with db.read_session() as session:  # the next transaction reads it again
        ResourceRepository(session).get_many([resource_id])
    assert len(reads) == 2


def test_a_change_another_session_caught_up_on_is_read_within_the_same_transaction(db, other):
    """Skipping the feed is only for a watermark nothing moved since: a later read after another
    session's catch-up reads the feed again and does not get a row that is gone (a forget-me)."""
    resource_id = _add_resource(db)
    _resource(db, resource_id)
    with db.read_session() as session:
        assert resource_id in ResourceRepository(session).get_many([resource_id])
        with other.engine.begin() as connection:
            connection.execute(text("DELETE FROM resources WHERE id = :i"), {"i": resource_id})
        assert _resource(db, resource_id) is None  # another session moves the watermark past the delete
        assert resource_id not in ResourceRepository(session).get_many([resource_id])
    assert _resource(db, resource_id) is None


def test_a_deleted_teacher_is_gone_from_the_next_question(db, other):
    with db.session() as session:
        teacher = TeacherRepository(session).upsert("slack", "U9", {"name": "Bo"})[0]
    with db.read_session() as session:
        assert teacher.id in TeacherRepository(session).get_many([teacher.id])
        assert teacher.id in TeacherRepository(session).get_many([teacher.id])
    with other.engine.begin() as connection:
        connection.execute(text("DELETE FROM teachers WHERE id = :i"), {"i": teacher.id})
    with db.read_session() as session:
        assert teacher.id not in TeacherRepository(session).get_many([teacher.id])
