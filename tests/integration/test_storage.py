"""Repositories and migrations on a real database: SQLite, or PostgreSQL with KINDRED_TEST_DATABASE_URL."""

import threading
from datetime import UTC, datetime, timedelta

import numpy as np
import pytest
from sqlalchemy import inspect, text
from sqlalchemy.exc import IntegrityError

from bot.domain.requests import PeerMatch, RequestStatus, ResourceMatch
from bot.storage.migrate import current_heads, head_revisions, upgrade
from bot.storage.repositories import (
    EmbeddingRepository,
    FeedbackRepository,
    RequestRepository,
    ResourceRepository,
    TeacherRepository,
)


def test_migrations_reach_head_and_are_idempotent(db):
    assert current_heads(db.engine) == head_revisions()
    upgrade(db.engine)
    tables = set(inspect(db.engine).get_table_names())
    assert {
        "teachers",
        "resources",
        "adaptations",
        "help_requests",
        "suggestions",
        "feedback",
        "embeddings",
    } <= tables


def test_sqlite_runs_in_wal_mode(db):
    if not db.is_sqlite:
        pytest.skip("WAL is a SQLite setting")
    with db.engine.connect() as connection:
        assert connection.execute(text("PRAGMA journal_mode")).scalar() == "wal"


def test_teacher_upsert_is_unique_per_platform_user(db):
    with db.session() as session:
        repo = TeacherRepository(session)
        ana, created = repo.upsert("slack", "U1", {"name": "Ana", "subjects": ["math"], "grades": ["4"]})
        again, created_again = repo.upsert("slack", "U1", {"interests": ["fractions"]})
        other, _ = repo.upsert("discord", "U1", {"name": "Ana on Discord"})
    assert created and not created_again and again.id == ana.id != other.id
    assert again.subjects == ("math",) and again.interests == ("fractions",)
    with pytest.raises(IntegrityError), db.session() as session:
        session.execute(
            text(
                "INSERT INTO teachers (platform, platform_user_id, name, subjects, grades, interests, "
                "bio, timezone, open_to_help, school, onboarded, created_at, updated_at) VALUES "
                "('slack', 'U1', 'dup', '[]', '[]', '[]', '', 'UTC', true, '', true, "
                "CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)"
            )
        )


def test_requests_suggestions_feedback_and_adaptations(db):
    with db.session() as session:
        teacher, _ = TeacherRepository(session).upsert("slack", "U1", {"name": "Ana"})
        helper, _ = TeacherRepository(session).upsert("slack", "U2", {"name": "Bo"})
        resource, _ = ResourceRepository(session).upsert(
            {"title": "Fraction strips", "url": "https://e.org/f"}
        )
        requests = RequestRepository(session)
        request = requests.create(asker_id=teacher.id, text="fractions?", platform="slack", channel_id="C1")
        requests.record_suggestions(
            request.id, [ResourceMatch(resource.id, 0.9, "fits"), PeerMatch(helper.id, 0.8, "teaches math")]
        )
        requests.set_status(request.id, RequestStatus.SOLVED)
        feedback = FeedbackRepository(session)
        assert feedback.record(teacher.id, resource.id, request.id, "save")
        assert not feedback.record(teacher.id, resource.id, request.id, "save")
        ResourceRepository(session).add_adaptation(resource.id, helper.id, "Used it with 5th graders")
    with db.session() as session:
        requests = RequestRepository(session)
        assert requests.get(request.id).status is RequestStatus.SOLVED
        assert [type(m).__name__ for m in requests.suggestions_for(request.id)] == [
            "PeerMatch",
            "ResourceMatch",
        ]
        since = datetime.now(UTC) - timedelta(days=1)
        assert requests.recent_peer_counts(since) == {helper.id: 1}
        assert requests.recent_peer_counts(datetime.now(UTC) + timedelta(days=1)) == {}
        assert FeedbackRepository(session).resource_ids(teacher.id, "save") == [resource.id]
        notes = ResourceRepository(session).adaptation_notes([resource.id])
    assert notes == {resource.id: ["Used it with 5th graders"]}


def test_embeddings_round_trip_as_float32_blobs(db):
    vectors = np.random.default_rng(1).normal(size=(3, 16)).astype(np.float32)
    with db.session() as session:
        repo = EmbeddingRepository(session)
        for i, vector in enumerate(vectors, start=1):
            repo.put("resource", i, "model-a", vector, f"text {i}")
        repo.put("resource", 2, "model-a", vectors[0], "changed")
        repo.put("resource", 1, "model-b", vectors[1], "other model")
    with db.session() as session:
        repo = EmbeddingRepository(session)
        ids, matrix = repo.load("resource", "model-a")
        hashes = repo.hashes("resource", "model-a")
    assert ids.tolist() == [1, 2, 3]
    np.testing.assert_array_equal(matrix[1], vectors[0])
    assert matrix.dtype == np.float32 and len(hashes) == 3


def test_failed_unit_of_work_rolls_back(db):
    with pytest.raises(RuntimeError), db.session() as session:
        TeacherRepository(session).upsert("slack", "U9", {"name": "Temp"})
        raise RuntimeError("boom")
    with db.session() as session:
        assert TeacherRepository(session).find("slack", "U9") is None


def test_migrations_form_one_line_with_a_single_head():
    """A second head means two features branched without a merge revision: `upgrade head` would refuse."""
    assert len(head_revisions()) == 1, f"several migration heads: {head_revisions()}"


def test_models_and_migrations_describe_the_same_schema(db):
    """A model changed without a migration (or the reverse) shows up here, on SQLite and PostgreSQL."""
    from alembic.autogenerate import compare_metadata
    from alembic.runtime.migration import MigrationContext

    from bot.storage.models import Base  # the package: every table model, as in migrations/env.py

    with db.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        assert compare_metadata(context, Base.metadata) == []


def test_two_sessions_embedding_the_same_new_item_at_once_both_succeed(db):
    """Two processes starting on a fresh import embed the same items: the second write replaces the first
    (it waits for the first transaction on PostgreSQL) instead of failing on the primary key."""
    vectors = np.random.default_rng(2).normal(size=(2, 8)).astype(np.float32)
    first_wrote, second_done = threading.Event(), threading.Event()
    failures: list[BaseException] = []

    def second() -> None:
        first_wrote.wait(5)
        try:
            with db.session() as session:
                EmbeddingRepository(session).put_many("teacher", "m", [(1, vectors[1], "second")])
        except BaseException as exc:  # reported below, not swallowed
            failures.append(exc)
        finally:
            second_done.set()

    worker = threading.Thread(target=second)
    worker.start()
    with db.session() as session:
        EmbeddingRepository(session).put_many("teacher", "m", [(1, vectors[0], "first")])
        first_wrote.set()
        second_done.wait(0.5)  # PostgreSQL: the second insert now waits on this row's lock
    worker.join(10)
    assert not failures, failures
    with db.session() as session:
        _, matrix = EmbeddingRepository(session).load("teacher", "m")
    np.testing.assert_array_equal(matrix[0], vectors[1])
