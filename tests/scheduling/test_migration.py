"""Migration 0003 goes up and down without losing the data around it (SQLite and PostgreSQL)."""

from alembic import command
from sqlalchemy import func, inspect, select

from bot.domain.clock import fixed_clock
from bot.domain.requests import PeerMatch
from bot.handlers import lifecycle
from bot.storage.migrate import alembic_config, current_heads, current_revision, upgrade
from bot.storage.models import SuggestionRow
from bot.storage.repositories import RequestRepository, TeacherRepository
from tests.scheduling.conftest import START, bare_deps


def migrate(db, revision: str, down: bool = False) -> None:
    config = alembic_config()
    with db.engine.begin() as connection:
        config.attributes["connection"] = connection
        (command.downgrade if down else command.upgrade)(config, revision)


def test_0003_downgrade_and_upgrade_keep_requests_and_suggestions(db):
    with db.session() as session:
        teacher, _ = TeacherRepository(session).upsert("console", "ana", {"name": "Ana"})
        requests = RequestRepository(session)
        request = requests.create(asker_id=teacher.id, text="fractions?", platform="console")
        requests.record_suggestions(request.id, [PeerMatch(teacher.id, 0.5, "teaches math")])
    lifecycle.human_replied(bare_deps(db, fixed_clock(START)), request.id)  # follow-up rows to drop

    migrate(db, "0002", down=True)
    assert current_revision(db.engine) == "0002"
    tables = set(inspect(db.engine).get_table_names())
    assert not {"followups", "nudges"} & tables
    assert "first_human_reply_at" not in {c["name"] for c in inspect(db.engine).get_columns("help_requests")}
    with db.engine.connect() as connection:
        assert connection.scalar(select(func.count()).select_from(SuggestionRow.__table__)) == 1

    upgrade(db.engine)
    assert "0003" in current_heads(db.engine) or current_revision(db.engine) > "0003"
    with db.session() as session:
        assert RequestRepository(session).suggestions_for(request.id)
