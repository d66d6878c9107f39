"""Migration 0007_goals goes down and up on its own branch (SQLite and PostgreSQL)."""

from sqlalchemy import inspect, text

from bot.storage.migrate import current_heads, head_revisions, upgrade
from bot.storage.repositories import TeacherRepository
from bot.storage.repositories.goals import GoalRepository
from tests.scheduling.conftest import START
from tests.scheduling.test_migration import migrate

TABLES = {"teacher_prefs", "goals", "goal_logs", "goal_checkins"}


def test_0007_down_and_up_and_teacher_deletion_cascades(db):
    assert set(inspect(db.engine).get_table_names()) >= TABLES
    assert current_heads(db.engine) == head_revisions() == ("0010_consent_data",)
    migrate(db, "0007_goals-1", down=True)
    assert not TABLES & set(inspect(db.engine).get_table_names())
    assert "0007_goals" not in current_heads(db.engine)
    upgrade(db.engine)
    assert set(inspect(db.engine).get_table_names()) >= TABLES

    with db.session() as session:
        teacher, _ = TeacherRepository(session).upsert("console", "ana", {"name": "Ana"})
        goal = GoalRepository(session).set_goal(teacher.id, "questions", START)
        GoalRepository(session).add_log(goal.id, "tried it", START)
    with db.session() as session:
        session.execute(text("DELETE FROM teachers"))
    with db.session() as session:
        assert GoalRepository(session).all_active() == []
        assert GoalRepository(session).logs(goal.id) == []
