"""Escalation never nudges an anonymous asker about their own question (matched by fingerprint only)."""

from cryptography.fernet import Fernet

from bot.anonymity.config import AnonymityConfig
from bot.anonymity.escrow import Escrow, Identity
from bot.anonymity.exclusion import hidden_asker_filter
from bot.storage.models import AnonymousQuestionRow
from bot.storage.repositories import RequestRepository, TeacherRepository


def test_filter_finds_only_the_secret_asker(app):
    key = Fernet.generate_key().decode()
    escrow = Escrow(key)
    with app.db.session() as session:
        teachers = TeacherRepository(session)
        maria = teachers.find("console", "maria.lopez")
        derek = teachers.find("console", "derek.thompson")
        request = RequestRepository(session).create(
            asker_id=None, text="q", platform="console", anonymous=True
        )
        session.add(
            AnonymousQuestionRow(
                request_id=request.id,
                platform="console",
                pseudonym="Quiet Heron",
                identity=escrow.seal(Identity("console", "maria.lopez", "Maria Lopez")),
                fingerprint=escrow.fingerprint("console", "maria.lopez"),
            )
        )
    hidden = hidden_asker_filter(app.db, AnonymityConfig(identity_key=key))
    assert hidden(request.id, [maria, derek]) == {maria.id}
    assert hidden(request.id + 1, [maria, derek]) == set()
    assert hidden_asker_filter(app.db, AnonymityConfig()) is None


def test_an_anonymous_question_is_escalated_only_within_its_own_workspace(app):
    """The asker is unknown to escalation, but the question's workspace is not: peers never cross it."""
    from datetime import UTC, datetime

    from bot.scheduling.dispatcher import Job
    from bot.scheduling.followup_jobs import FollowUpJobs
    from tests.recording_sender import RecordingSender

    key = Fernet.generate_key().decode()
    question = "Ideas for teaching equivalent fractions hands-on to 4th graders?"
    with app.db.session() as session:
        teachers = TeacherRepository(session)
        for user_id, team in (("UONE", "T1"), ("UTWO", "T2")):
            teachers.upsert(
                "slack",
                user_id,
                {
                    "name": f"Teacher {team}",
                    "subjects": ["math"],
                    "grades": ["4"],
                    "interests": ["fractions"],
                    "open_to_help": True,
                    "onboarded": True,
                    "workspace_id": team,
                },
            )
        request = RequestRepository(session).create(
            asker_id=None, text=question, platform="slack", anonymous=True
        )
        session.add(
            AnonymousQuestionRow(
                request_id=request.id,
                platform="slack",
                workspace_id="T2",
                pseudonym="Quiet Heron",
                identity=Escrow(key).seal(Identity("slack", "UASKER", "Asker")),
                fingerprint=Escrow(key).fingerprint("slack", "UASKER"),
            )
        )
    app.indexer.prepare()
    jobs = FollowUpJobs(app.db, app.kindred.deps.suggester, public_after=None)
    now = datetime(2026, 12, 2, 15, 0, tzinfo=UTC)  # a Wednesday, school hours in every US zone
    jobs.escalate(Job(1, "escalate", request.id, None, 0), RecordingSender(), now)
    with app.db.session() as session:
        from bot.storage.repositories.followups import FollowUpRepository

        nudged = FollowUpRepository(session).nudged_teacher_ids(request.id)
        workspaces = {TeacherRepository(session).get(t).workspace_id for t in nudged}
    assert nudged and workspaces == {"T2"}
