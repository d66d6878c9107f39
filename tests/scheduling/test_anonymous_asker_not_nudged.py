"""Escalation never nudges an anonymous asker about their own question (matched by fingerprint only)."""

from cryptography.fernet import Fernet

from bot.anonymity.config import AnonymityConfig
from bot.anonymity.escrow import Escrow, Identity
from bot.anonymity.exclusion import hidden_asker_filter
from bot.storage.anonymity_models import AnonymousQuestionRow
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
