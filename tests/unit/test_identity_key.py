"""Anonymous asking out of the box: a key file made on first start, reused, overridable, rotatable."""

import logging
import stat

from cryptography.fernet import Fernet
from sqlalchemy import select
from typer.testing import CliRunner

from bot.anonymity.config import AnonymityConfig
from bot.anonymity.escrow import Escrow, Identity
from bot.anonymity.keyfile import key_path, resolve_identity_key
from bot.bootstrap import bootstrap
from bot.cli import app as cli
from bot.settings import Settings
from bot.storage.database import Database
from bot.storage.migrate import upgrade
from bot.storage.models import AnonymousBlockRow, AnonymousQuestionRow
from bot.storage.repositories import RequestRepository


def test_first_start_creates_a_private_key_file_logs_once_and_reuses_it(tmp_path, caplog):
    caplog.set_level(logging.WARNING, logger="bot.anonymity.keyfile")
    first = resolve_identity_key(None, tmp_path)
    path = key_path(tmp_path)
    assert first and path.read_text().strip() == first
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    Escrow(first)  # a valid Fernet key
    created = [r for r in caplog.records if "back it up together with the database" in r.getMessage()]
    assert len(created) == 1 and str(path) in created[0].getMessage()
    assert resolve_identity_key(None, tmp_path) == first  # a restart uses the same key, silently
    assert len([r for r in caplog.records if "created the identity key" in r.getMessage()]) == 1


def test_the_environment_key_overrides_and_no_file_is_made(tmp_path):
    env_key = Fernet.generate_key().decode()
    config = AnonymityConfig.from_settings(Settings(KINDRED_DATA_DIR=tmp_path, KINDRED_IDENTITY_KEY=env_key))
    assert config.identity_key == env_key and not key_path(tmp_path).exists()


def test_bootstrap_turns_anonymous_asking_on_and_keeps_the_key_across_restarts(settings, fake_embedder):
    first = bootstrap(settings, embedder=fake_embedder)
    key = first.kindred.deps.anonymity.identity_key
    first.close()
    again = bootstrap(settings, embedder=fake_embedder)
    assert key and again.kindred.deps.anonymity.identity_key == key
    again.close()


def _escrow_questions(db, key: str, askers: list[str]) -> list[int]:
    vault = Escrow(key)
    ids = []
    with db.session() as session:
        for user in askers:
            request = RequestRepository(session).create(
                asker_id=None, text="q", platform="slack", anonymous=True, source="anonymous"
            )
            session.add(
                AnonymousQuestionRow(
                    request_id=request.id,
                    platform="slack",
                    pseudonym=f"Owl {user}",
                    identity=vault.seal(Identity("slack", user, f"Name {user}")),
                    fingerprint=vault.fingerprint("slack", user),
                )
            )
            ids.append(request.id)
        session.flush()
        session.add(
            AnonymousBlockRow(
                platform="slack",
                fingerprint=vault.fingerprint("slack", askers[0]),
                request_id=ids[0],
                blocked_by="UMOD",
            )
        )
        session.add(
            AnonymousBlockRow(platform="slack", fingerprint="f" * 64, request_id=None, blocked_by="UMOD")
        )
    return ids


def test_keys_rotate_reseals_every_identity_and_rekeys_fingerprints(tmp_path, monkeypatch, database_url):
    data = tmp_path / "data"
    monkeypatch.setenv("KINDRED_DATA_DIR", str(data))
    monkeypatch.setenv("KINDRED_DATABASE_URL", database_url)
    monkeypatch.delenv("KINDRED_IDENTITY_KEY", raising=False)
    old_key = resolve_identity_key(None, data)
    db = Database.from_url(database_url)
    upgrade(db.engine)
    askers = ["UANA0001", "UBO00001", "UCY00001"]
    _escrow_questions(db, old_key, askers)
    result = CliRunner().invoke(cli, ["keys", "rotate"])
    assert result.exit_code == 0, result.output
    assert "Re-sealed 3 identities and 1 blocks" in result.output
    assert "Dropped 1 blocks whose questions were already deleted" in result.output
    new_key = key_path(data).read_text().strip()
    assert new_key != old_key and stat.S_IMODE(key_path(data).stat().st_mode) == 0o600
    assert not key_path(data).with_name("identity.key.new").exists()
    new = Escrow(new_key)
    with db.session() as session:
        rows = session.scalars(select(AnonymousQuestionRow).order_by(AnonymousQuestionRow.request_id)).all()
        opened = [new.open(r.identity) for r in rows]
        assert [i.user_id for i in opened] == askers and opened[1].name == "Name UBO00001"
        assert [r.fingerprint for r in rows] == [new.fingerprint("slack", a) for a in askers]
        blocks = session.scalars(select(AnonymousBlockRow)).all()
        assert [b.fingerprint for b in blocks] == [new.fingerprint("slack", askers[0])]
    db.dispose()


def test_keys_rotate_with_the_wrong_key_changes_nothing(tmp_path, monkeypatch, database_url):
    monkeypatch.setenv("KINDRED_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("KINDRED_DATABASE_URL", database_url)
    monkeypatch.setenv("KINDRED_IDENTITY_KEY", Fernet.generate_key().decode())  # not the one that sealed
    db = Database.from_url(database_url)
    upgrade(db.engine)
    sealing_key = Fernet.generate_key().decode()
    _escrow_questions(db, sealing_key, ["UANA0001"])
    result = CliRunner().invoke(cli, ["keys", "rotate"])
    assert result.exit_code == 1 and "Nothing changed" in result.output
    with db.session() as session:
        row = session.scalars(select(AnonymousQuestionRow)).one()
        assert Escrow(sealing_key).open(row.identity).user_id == "UANA0001"
    db.dispose()
