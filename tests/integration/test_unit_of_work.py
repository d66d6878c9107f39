"""The unit of work: one session per transaction, repositories built on first use, nested blocks joining."""

import threading

import pytest

from bot.storage.unit_of_work import UnitOfWork
from tests.transactions import Transactions


@pytest.fixture
def transactions(db):
    return Transactions(db)


def test_repositories_share_the_session_and_are_built_once(db):
    with db.unit_of_work() as uow:
        assert isinstance(uow, UnitOfWork)
        assert uow.teachers is uow.teachers
        assert uow.teachers.session is uow.requests.session is uow.session


def test_success_commits_and_a_raise_rolls_back(db):
    with db.unit_of_work() as uow:
        teacher, _ = uow.teachers.upsert("slack", "U1", {"name": "Kept"})
        uow.requests.create(asker_id=teacher.id, text="how do I?", platform="slack")
    with pytest.raises(RuntimeError), db.unit_of_work() as uow:
        uow.teachers.upsert("slack", "U2", {"name": "Gone"})
        raise RuntimeError("boom")
    with db.unit_of_work(writes=False) as uow:
        assert uow.teachers.find("slack", "U1") is not None
        assert uow.teachers.find("slack", "U2") is None
        assert len(uow.requests.open_for(teacher.id)) == 1


def test_nested_blocks_join_the_outer_transaction(db, transactions):
    with db.unit_of_work() as outer:
        outer.teachers.upsert("slack", "U1", {"name": "Outer"})
        with db.unit_of_work() as inner:
            assert inner is outer
            inner.teachers.upsert("slack", "U2", {"name": "Inner"})
        with db.session() as session:  # code still on plain sessions joins too
            assert session is outer.session
    assert transactions.count == 1
    with db.unit_of_work() as uow:
        assert uow.teachers.find("slack", "U2") is not None


def test_a_failing_nested_block_undoes_only_its_part(db):
    with db.unit_of_work() as outer:
        outer.teachers.upsert("slack", "U1", {"name": "Kept"})
        with pytest.raises(RuntimeError), db.unit_of_work() as inner:
            inner.teachers.upsert("slack", "U2", {"name": "Undone"})
            raise RuntimeError("a subscriber broke")
        outer.teachers.upsert("slack", "U3", {"name": "Also kept"})
    with db.unit_of_work() as uow:
        assert uow.teachers.find("slack", "U1") and uow.teachers.find("slack", "U3")
        assert uow.teachers.find("slack", "U2") is None


def test_commit_keeps_what_was_done_when_the_rest_fails(db):
    with pytest.raises(RuntimeError), db.unit_of_work() as uow:
        uow.teachers.upsert("slack", "U1", {"name": "Stored first"})
        uow.commit()
        uow.teachers.upsert("slack", "U2", {"name": "Lost"})
        raise RuntimeError("matching failed")
    with db.unit_of_work() as uow:
        assert uow.teachers.find("slack", "U1") is not None
        assert uow.teachers.find("slack", "U2") is None


def test_after_commit_runs_only_once_committed(db):
    ran: list[str] = []
    with db.unit_of_work() as uow:
        with db.unit_of_work() as inner:
            inner.after_commit(lambda: ran.append("committed"))
        assert ran == []
    assert ran == ["committed"]
    with pytest.raises(RuntimeError), db.unit_of_work() as uow:
        uow.after_commit(lambda: ran.append("rolled back"))
        raise RuntimeError("boom")
    assert ran == ["committed"]


def test_units_of_work_in_other_threads_are_their_own(db):
    seen: list[object] = []
    with db.unit_of_work() as outer:

        def other() -> None:
            with db.unit_of_work(writes=False) as uow:
                seen.append(uow)

        thread = threading.Thread(target=other)
        thread.start()
        thread.join()
        assert seen and seen[0] is not outer


def test_read_then_write_survives_a_commit_in_between(db):
    """A transaction that read, then writes after another connection committed: on SQLite a deferred
    transaction fails at once here (SQLITE_BUSY_SNAPSHOT); the unit of work's BEGIN IMMEDIATE waits."""
    with db.unit_of_work() as uow:
        uow.teachers.upsert("slack", "U0", {"name": "Before"})
    errors: list[BaseException] = []
    wrote = threading.Event()

    def writer() -> None:
        try:
            with db.unit_of_work() as other:
                other.teachers.upsert("slack", "U1", {"name": "Other"})
        except BaseException as exc:
            errors.append(exc)
        wrote.set()

    with db.unit_of_work() as uow:
        assert uow.teachers.find("slack", "U0") is not None  # the read
        thread = threading.Thread(target=writer)
        thread.start()
        wrote.wait(0.5)  # SQLite: the writer waits for this transaction; PostgreSQL: it has committed
        uow.teachers.upsert("slack", "U2", {"name": "Then a write"})
    thread.join()
    assert errors == []
    with db.unit_of_work() as uow:
        assert all(uow.teachers.find("slack", u) for u in ("U0", "U1", "U2"))
