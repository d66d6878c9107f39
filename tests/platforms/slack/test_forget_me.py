"""Export and forget-me through signed Slack requests: a teacher who used every feature and setting, and
someone who only ever asked anonymously. After forget-me no cell of any table and no file in the data dir
holds their Slack id or display name (SQLite and PostgreSQL)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from cryptography.fernet import Fernet
from sqlalchemy import text
from typer.testing import CliRunner

from bot import bootstrap as bootstrap_module
from bot.anonymity import redaction
from bot.anonymity.config import AnonymityConfig
from bot.cli import app as cli
from tests.platforms.slack.conftest import MARIA, SlackHarness, block_actions
from tests.privacy.db_scan import where

pytestmark = pytest.mark.usefixtures("_forget_redaction")

EVERY = "UEVERY0042"
EVERY_NAME = "Quentin Zebedee"
ANON_ONLY = "UANONLY077"
ANON_NAME = "Ottoline Brackwater"
ASKED = "How do I teach equivalent fractions with fraction strips to my 4th graders?"
ANON_ASKED = "How do I keep my energy up in the last period when the class is restless and tired?"


@pytest.fixture
def _forget_redaction():
    yield
    redaction.forget_all()


def _anonymity(slack: SlackHarness) -> str:
    key = Fernet.generate_key().decode()
    slack.app.kindred.deps.anonymity = AnonymityConfig(identity_key=key, post_delay=lambda: 0.0)
    return key


def _buttons(call) -> list[dict]:  # type: ignore[no-untyped-def]
    return [e for b in call.params.get("blocks", []) if b["type"] == "actions" for e in b["elements"]]


async def _say(slack: SlackHarness, name: str, words: str, user: str) -> str:
    before = len(slack.fake.of("response_url"))
    response = await slack.command(name, words, user=user)
    assert response.status == 200
    calls = await slack.fake.wait_for("response_url", count=before + 1)
    return json.dumps(calls[-1].params, ensure_ascii=False)


async def _forget_me(slack: SlackHarness, user: str) -> None:
    before = len(slack.fake.of("response_url"))
    await slack.command("kindred", "forget-me", user=user)
    (*_, offer) = await slack.fake.wait_for("response_url", count=before + 1)
    assert "can't be undone" in json.dumps(offer.params)
    confirm = next(b for b in _buttons(offer) if ".forget_me_confirm." in b["action_id"])
    await slack.interaction(block_actions(confirm, user, slack.fake.response_url("confirm")))
    (*_, done) = await slack.fake.wait_for("response_url", count=before + 2)
    assert "deleted everything" in json.dumps(done.params)


def _files_holding(folders: list[Path], *needles: str) -> list[str]:
    found = []
    for folder in folders:
        for path in folder.rglob("*"):
            if path.is_file():
                data = path.read_bytes()
                found += [f"{path.name}: {n}" for n in needles if n.encode() in data]
    return found


def assert_no_trace(slack: SlackHarness, user: str, name: str) -> None:
    app = slack.app
    for needle in (user, name):
        assert where(app.db, needle) == [], f"{needle!r} is still stored"
    folders = [app.settings.data_dir]
    if app.db.engine.dialect.name == "sqlite":
        folders.append(Path(app.db.engine.url.database).parent)
    assert _files_holding(folders, user, name) == []


async def test_every_feature_and_setting_exported_readably_then_forgotten(
    slack: SlackHarness, monkeypatch: pytest.MonkeyPatch, fake_embedder
) -> None:
    monkeypatch.setenv("KINDRED_IDENTITY_KEY", _anonymity(slack))
    monkeypatch.setenv("KINDRED_DATA_DIR", str(slack.app.settings.data_dir))
    monkeypatch.setenv("KINDRED_DATABASE_URL", slack.app.settings.database_url)
    monkeypatch.setattr(bootstrap_module, "build_embedder", lambda _settings: fake_embedder)
    slack.fake.users[EVERY] = {"real_name": EVERY_NAME, "tz": "America/Chicago"}
    await _say(slack, "ask", ASKED, EVERY)
    for setting in (
        "quiet 17:00-07:30",
        "hours 08:00-15:30",
        "checkin monday 08:30",
        "limit 2",
        "days mon-thu",
    ):
        await _say(slack, "kindred", f"settings {setting}", EVERY)
    await _say(slack, "kindred", "profile grades 4, 5", EVERY)
    await _say(slack, "pack", "join fractions", EVERY)
    await _say(slack, "goal", "set ask more open-ended questions", EVERY)
    await _say(slack, "goal", "log tried think-pair-share today", EVERY)
    await _say(
        slack, "share", "https://example.org/quentin-hopscotch | Kids hop fractions on the floor", EVERY
    )
    await _say(slack, "ask", f"anon {ANON_ASKED}", EVERY)
    await slack.fake.wait_for("chat.postMessage")
    with slack.app.db.session() as session:
        anon_id = session.execute(text("SELECT request_id FROM anonymous_questions")).scalar_one()
    await _say(slack, "kindred", f"flag {anon_id}", MARIA)
    await _say(slack, "kindred", f"escrow {anon_id}", EVERY)  # not a moderator: refused, and audited

    exported = await _say(slack, "kindred", "my-data", EVERY)
    assert "not JSON serializable" not in exported and "went wrong" not in exported
    data = json.loads(json.loads(exported)["text"].split("```")[1])
    for section in ("profile", "settings", "packs", "goals", "help_requests", "anonymous_questions"):
        assert section in data, section
    assert not [k for k in data if k.startswith("table:")], "sections are labelled, not raw table names"

    runner = CliRunner()  # the CLI export of the same person is the full file, settings included
    full = runner.invoke(cli, ["users", "export", "--platform", "slack", "--user", EVERY])
    assert full.exit_code == 0, full.output
    full_data = json.loads(full.stdout)
    assert (
        full_data["settings"]["quiet_start"] == "17:00:00"
        and full_data["settings"]["checkin_time"] == "08:30:00"
    )
    assert full_data["goals"]["goals"][0]["learning_log"][0]["reflection"] == "tried think-pair-share today"
    assert full_data["packs"]["membership"]["focus"] == "fractions"
    assert [q["text"] for q in full_data["anonymous_questions"]["questions"]] == [ANON_ASKED]

    await _forget_me(slack, EVERY)
    assert_no_trace(slack, EVERY, EVERY_NAME)
    for leftover in (ASKED, ANON_ASKED, "think-pair-share"):
        assert where(slack.app.db, leftover) == [], leftover
    with slack.app.db.session() as session:
        vectors = session.execute(text("SELECT count(*) FROM embeddings WHERE kind = 'request'")).scalar_one()
    assert vectors == 0, "question vectors kept for duplicate detection go too"


async def test_someone_who_only_asked_anonymously_can_be_forgotten(slack: SlackHarness) -> None:
    _anonymity(slack)
    slack.fake.users[ANON_ONLY] = {"real_name": ANON_NAME, "tz": "America/Chicago"}
    await _say(slack, "ask", f"anon {ANON_ASKED}", ANON_ONLY)
    await slack.fake.wait_for("chat.postMessage")
    await _say(slack, "ask", "anon How do you keep a calm voice with a loud class?", MARIA)
    await slack.fake.wait_for("chat.postMessage", count=2)
    with slack.app.db.session() as session:
        mine, theirs = session.execute(
            text("SELECT request_id FROM anonymous_questions ORDER BY request_id")
        ).scalars()
    await _say(slack, "kindred", f"flag {mine}", ANON_ONLY)  # flagging one's own question stores nothing
    assert not where(slack.app.db, ANON_ONLY), "nothing links the asker to their own question"
    await _say(slack, "kindred", f"flag {theirs}", ANON_ONLY)  # flagged_by and the audit hold the raw id
    assert where(slack.app.db, ANON_ONLY), "the scan does see raw ids before forgetting"

    exported = json.loads(
        json.loads(await _say(slack, "kindred", "my-data", ANON_ONLY))["text"].split("```")[1]
    )
    assert [q["text"] for q in exported["anonymous_questions"]["questions"]] == [ANON_ASKED]

    await _forget_me(slack, ANON_ONLY)
    assert_no_trace(slack, ANON_ONLY, ANON_NAME)
    assert where(slack.app.db, ANON_ASKED) == []
    assert "don't store anything" in await _say(slack, "kindred", "my-data", ANON_ONLY)


def test_cli_forgets_someone_who_only_asked_anonymously(app, settings, monkeypatch, fake_embedder) -> None:
    key = Fernet.generate_key().decode()
    monkeypatch.setenv("KINDRED_IDENTITY_KEY", key)
    app.kindred.deps.anonymity = AnonymityConfig(identity_key=key, post_delay=lambda: 0.0)
    from bot.domain.events import Actor, Command

    actor = Actor("console", "anon.only.cli", "Cli Anonperson")
    app.kindred.handle_command(Command(actor, "ask", f"anon {ANON_ASKED}", channel_id="general"))
    assert where(app.db, ANON_ASKED)
    monkeypatch.setenv("KINDRED_DATA_DIR", str(settings.data_dir))
    monkeypatch.setenv("KINDRED_DATABASE_URL", settings.database_url)
    monkeypatch.setattr(bootstrap_module, "build_embedder", lambda _settings: fake_embedder)
    runner = CliRunner()
    gone = runner.invoke(
        cli, ["users", "forget", "--platform", "console", "--user", "anon.only.cli", "--yes"]
    )
    assert gone.exit_code == 0, gone.output
    assert where(app.db, ANON_ASKED) == [] and where(app.db, "anon.only.cli") == []
