"""Retention: question text older than KINDRED_RETENTION_DAYS is anonymised, on an injected clock."""

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from bot.domain.requests import ResourceMatch
from bot.privacy.retention import PURGED_TEXT, purge_expired, retention_job
from bot.settings import load_settings
from bot.storage.models import HelpRequestRow, SuggestionRow
from bot.storage.repositories import RequestRepository, ResourceRepository, TeacherRepository

NOW = datetime(2027, 6, 1, 12, 0, tzinfo=UTC)


def add_request(db, text, at):
    with db.session() as session:
        teacher = (
            TeacherRepository(session).find("console", "t1")
            or TeacherRepository(session).upsert("console", "t1", {"name": "T One"})[0]
        )
        request = RequestRepository(session).create(asker_id=teacher.id, text=text, platform="console")
        session.get(HelpRequestRow, request.id).created_at = at
        return request.id


def texts(db):
    with db.session() as session:
        return dict(session.execute(select(HelpRequestRow.id, HelpRequestRow.text)).all())


def test_old_text_is_anonymised_and_the_rest_stays(db):
    old = add_request(db, "old question about fractions", NOW - timedelta(days=400))
    edge = add_request(db, "exactly a year ago", NOW - timedelta(days=365))
    new = add_request(db, "new question about volcanoes", NOW - timedelta(days=10))
    with db.session() as session:
        resource, _ = ResourceRepository(session).upsert({"title": "Fraction strips"})
        RequestRepository(session).record_suggestions(old, [ResourceMatch(resource.id, 0.5, "fits")])
    assert purge_expired(db, NOW, 365) == 1
    assert texts(db) == {old: PURGED_TEXT, edge: "exactly a year ago", new: "new question about volcanoes"}
    with db.session() as session:
        row = session.get(HelpRequestRow, old)
        assert row.asker_id is not None and row.status == "open", "only the words go"
        assert session.scalars(select(SuggestionRow).where(SuggestionRow.request_id == old)).all()
    assert purge_expired(db, NOW, 365) == 0, "idempotent"
    assert purge_expired(db, NOW + timedelta(days=1), 365) == 1
    assert texts(db)[edge] == PURGED_TEXT


def test_job_uses_its_clock(db):
    rid = add_request(db, "a question", NOW - timedelta(days=40))
    clock_now = [NOW - timedelta(days=1)]
    job = retention_job(db, 30, clock=lambda: clock_now[0])
    assert job() == 1 and texts(db)[rid] == PURGED_TEXT


def test_setting_defaults_to_a_year_and_is_validated(monkeypatch):
    assert load_settings().retention_days == 365
    monkeypatch.setenv("KINDRED_RETENTION_DAYS", "30")
    assert load_settings().retention_days == 30
    monkeypatch.setenv("KINDRED_RETENTION_DAYS", "0")
    with pytest.raises(Exception, match="KINDRED_RETENTION_DAYS"):
        load_settings()
    with pytest.raises(ValueError):
        purge_expired(None, NOW, 0)  # type: ignore[arg-type]
