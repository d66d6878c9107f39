"""Export and forget: a teacher who used every flow is exported completely, then forgotten completely."""

import json
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import Column, ForeignKey, Integer, MetaData, String, Table, insert, select
from typer.testing import CliRunner

from bot import bootstrap as bootstrap_module
from bot.cli import app as cli
from bot.domain.events import Actor, ButtonPress, ChannelMessage, Command, Thanks, ThreadReply
from bot.domain.replies import Action
from bot.domain.requests import PeerMatch
from bot.handlers.core import build_registry
from bot.handlers.my_data import MyDataAction
from bot.handlers.ripples import record_thanks
from bot.matching.vector_index import VectorIndex
from bot.privacy.user_data import UserDataRegistry, remaining_references, teacher_references
from bot.storage.models import (
    ESCALATE,
    EmbeddingRow,
    FollowUpRow,
    HelpRequestRow,
    NudgeRow,
    QuietChannelRow,
    ResourceRow,
    RippleEventRow,
    SuggestionRow,
)
from bot.storage.repositories import RequestRepository, ResourceRepository, TeacherRepository
from bot.storage.repositories.followups import FollowUpRepository
from tests.privacy.db_scan import where

CORE_TABLES = {"help_requests", "suggestions", "feedback", "adaptations", "resources", "followups", "nudges"}
PAT = Actor("console", "pat.rivera", "Pat Rivera")
MARIA = Actor("console", "maria.lopez", "Maria Lopez")
ASKED = "How do I teach equivalent fractions with fraction strips to my 4th graders?"
IN_CHANNEL = "Does anyone have a good water cycle hook for my 5th graders? Asking for a quokka friend"
SHARED_URL = "https://example.org/pat-number-line-hopscotch"
NOTE = "I taped the number line to the hallway floor — pat-specific-note"


def registry_of(app) -> UserDataRegistry:
    """The user-data hooks the features registered on the running bot."""
    return app.kindred.registry.user_data


def command(app, actor, name, text=""):
    return app.kindred.handle_command(Command(actor, name, text, channel_id="general")).reply


def press(app, actor, button):
    return app.kindred.handle_button(ButtonPress(actor, button.action, button.value))


def teacher_id(app, actor) -> int:
    with app.db.session() as session:
        return TeacherRepository(session).find(actor.platform, actor.user_id).id


def use_every_flow(app) -> int:
    """Pat asks, edits a profile, asks in a channel, shares, reacts, posts to #help, gets follow-ups."""
    reply = command(app, PAT, "ask", ASKED)
    command(app, PAT, "kindred", "profile grades 4, 5")
    command(app, PAT, "kindred", "profile subjects math")
    command(app, PAT, "kindred", "profile roles reading specialist; robotics mentor")
    assert app.kindred.handle_message(ChannelMessage(PAT, "general", IN_CHANNEL, "m-pat")) is not None
    assert "Added" in command(app, PAT, "share", f"{SHARED_URL} | Kids hop fractions on the floor").text
    for action in (Action.HELPED, Action.SAVE):
        press(app, PAT, next(b for b in reply.resources[0].buttons if b.action == action))
    posted = press(app, PAT, next(b for b in reply.buttons if b.action == Action.POST_TO_HELP))
    assert posted.posts
    app.kindred.record_post(reply.request_id, "console", "help", "post-1")
    pat = teacher_id(app, PAT)
    maria_request = command(app, MARIA, "ask", "Ideas for number lines in 4th grade?").request_id
    now = datetime.now(UTC)
    with app.db.session() as session:
        RequestRepository(session).record_suggestions(
            maria_request, [PeerMatch(pat, 0.9, "also teaches 4th grade math")]
        )
        FollowUpRepository(session).schedule(ESCALATE, maria_request, now + timedelta(hours=1), pat)
        FollowUpRepository(session).add_nudge(maria_request, pat, now)
        resource_id = session.scalars(select(ResourceRow.id).where(ResourceRow.url == SHARED_URL)).one()
        ResourceRepository(session).add_adaptation(resource_id, pat, NOTE)
    return pat


def test_export_contains_every_flow(app):
    pat = use_every_flow(app)
    data = registry_of(app).export(app.kindred.deps, pat)
    json.dumps(data)  # JSON-ready
    assert data["profile"]["name"] == "Pat Rivera" and data["profile"]["grades"] == ["4", "5"]
    assert data["profile"]["roles"] == ["reading specialist", "robotics mentor"]
    questions = {q["text"]: q for q in data["help_requests"]["questions"]}
    assert set(questions) == {ASKED, IN_CHANNEL}
    assert questions[ASKED]["suggested_resources"] and questions[IN_CHANNEL]["source"] == "channel"
    assert {r["kind"] for r in data["feedback"]["reactions"]} == {"helped", "save"}
    assert [r["url"] for r in data["shared_resources"]["resources"]] == [SHARED_URL]
    assert [n["note"] for n in data["adaptation_notes"]["notes"]] == [NOTE]
    assert "also teaches 4th grade math" in [s["reason"] for s in data["suggested_as_peer"]["times"]]
    followups = data["followups"]["followups"]
    assert any(f["to_you"] for f in followups) and any(not f["to_you"] for f in followups)
    assert len(data["followups"]["nudges_received"]) == 1
    assert data["profile_vector"]["stored_for_models"]
    generic = {k.removeprefix("other: ").replace(" ", "_") for k in data if k.startswith("other: ")}
    assert not generic & CORE_TABLES, "every core table has its own hook"


def assert_forgotten(app, pat: int) -> None:
    assert remaining_references(app.db, pat) == {}
    with app.db.session() as session:
        assert TeacherRepository(session).get(pat) is None
        vectors = select(EmbeddingRow).where(EmbeddingRow.kind == "teacher", EmbeddingRow.item_id == pat)
        assert session.scalars(vectors).all() == []
        assert session.scalars(select(SuggestionRow).where(SuggestionRow.teacher_id == pat)).all() == []
        assert session.scalars(select(FollowUpRow).where(FollowUpRow.target_teacher_id == pat)).all() == []
        assert session.scalars(select(NudgeRow).where(NudgeRow.teacher_id == pat)).all() == []
        shared = session.scalars(select(ResourceRow).where(ResourceRow.url == SHARED_URL)).one()
        assert shared.shared_by is None, "the resource stays, without its sharer"
        maria_requests = session.scalars(select(HelpRequestRow.text)).all()
    assert maria_requests == ["Ideas for number lines in 4th grade?"], "other teachers' questions stay"
    for trace in (
        "pat.rivera",
        "Pat Rivera",
        "fractions with fraction strips",
        "quokka",
        "pat-specific-note",
        "robotics mentor",
    ):
        assert where(app.db, trace) == [], f"{trace!r} is still stored"
    assert pat not in set(app.indexer.index("teacher").ids().tolist())


def test_forget_me_asks_first_then_deletes_everything(app):
    pat = use_every_flow(app)
    assert pat in set(app.indexer.index("teacher").ids().tolist())
    ask_first = command(app, PAT, "kindred", "forget-me")
    assert "can't be undone" in ask_first.text and teacher_id(app, PAT) == pat, "nothing deleted yet"
    confirm = next(b for b in ask_first.buttons if b.action == MyDataAction.FORGET_CONFIRM)
    assert "Only the person" in press(app, MARIA, confirm).reply.text
    assert teacher_id(app, PAT) == pat
    keep = next(b for b in ask_first.buttons if b.action == MyDataAction.FORGET_CANCEL)
    assert "Nothing was deleted" in press(app, PAT, keep).reply.text
    assert "deleted everything" in press(app, PAT, confirm).reply.text
    assert_forgotten(app, pat)
    assert "already gone" in press(app, PAT, confirm).reply.text
    assert "don't store anything" in command(app, PAT, "kindred", "my-data").text


def test_my_data_shows_json(app):
    assert "don't store anything" in command(app, PAT, "kindred", "my-data").text
    command(app, PAT, "kindred", "profile grades 4")
    command(app, PAT, "kindred", "profile roles ESL")
    text = command(app, PAT, "kindred", "my-data").text
    data = json.loads(text.split("```")[1])
    assert data["profile"]["platform_user_id"] == "pat.rivera"
    assert data["profile"]["roles"] == ["ell"]
    use_every_flow(app)
    summary = json.loads(command(app, PAT, "kindred", "my-data").text.split("```")[1])
    assert summary["help_requests"]["questions"] == 2 and summary["feedback"]["reactions"] == 2


def test_cli_export_and_forget(app, settings, monkeypatch, tmp_path, fake_embedder):
    pat = use_every_flow(app)
    monkeypatch.setenv("KINDRED_DATA_DIR", str(settings.data_dir))
    monkeypatch.setenv("KINDRED_DATABASE_URL", settings.database_url)
    monkeypatch.setattr(bootstrap_module, "build_embedder", lambda _settings: fake_embedder)
    runner = CliRunner()
    out = tmp_path / "pat.json"
    exported = runner.invoke(
        cli, ["users", "export", "--platform", "console", "--user", "pat.rivera", "--out", str(out)]
    )
    assert exported.exit_code == 0, exported.output
    assert json.loads(out.read_text())["profile"]["name"] == "Pat Rivera"
    to_stdout = runner.invoke(cli, ["users", "export", "--platform", "console", "--user", "pat.rivera"])
    assert json.loads(to_stdout.stdout)["help_requests"]["questions"]
    unsure = runner.invoke(cli, ["users", "forget", "--platform", "console", "--user", "pat.rivera"])
    assert unsure.exit_code == 2 and teacher_id(app, PAT) == pat
    gone = runner.invoke(cli, ["users", "forget", "--platform", "console", "--user", "pat.rivera", "--yes"])
    assert gone.exit_code == 0, gone.output
    app.indexer.prepare()  # the running bot would reload: the saved index no longer has Pat
    assert_forgotten(app, pat)
    saved = VectorIndex.load(settings.index_dir, "teacher")
    assert saved is not None and pat not in set(saved.ids().tolist())
    missing = runner.invoke(cli, ["users", "export", "--platform", "console", "--user", "pat.rivera"])
    assert missing.exit_code == 1


def test_slack_quiet_channels_forget_who_set_them(app):
    slack_user = Actor("slack", "U123", "Sam Slack", workspace_id="T1")
    command(app, slack_user, "kindred", "profile grades 3")
    with app.db.session() as session:
        session.add(QuietChannelRow(platform="slack", workspace_id="T1", channel_id="C9", set_by="U123"))
    sam = teacher_id(app, slack_user)
    data = registry_of(app).export(app.kindred.deps, sam)
    assert data["quiet_channels"]["channels_you_quieted"] == [{"workspace_id": "T1", "channel_id": "C9"}]
    registry_of(app).forget(app.kindred.deps, sam)
    with app.db.session() as session:
        row = session.get(QuietChannelRow, ("slack", "T1", "C9"))
    assert row is not None and row.set_by == "", "the channel stays quiet, anonymously"


def test_quiet_channels_on_other_platforms_forget_who_set_them_too(app):
    dana = Actor("discord", "42", "Dana", workspace_id="G1")
    slack_namesake = Actor("slack", "42", "Sam", workspace_id="T1")
    command(app, dana, "kindred", "profile grades 3")
    command(app, dana, "kindred", "quiet here")
    command(app, slack_namesake, "kindred", "quiet here")
    dana_id = teacher_id(app, dana)
    data = registry_of(app).export(app.kindred.deps, dana_id)
    assert data["quiet_channels"]["channels_you_quieted"] == [{"workspace_id": "G1", "channel_id": "general"}]
    registry_of(app).forget(app.kindred.deps, dana_id)
    with app.db.session() as session:
        dana_row = session.get(QuietChannelRow, ("discord", "G1", "general"))
        sam_row = session.get(QuietChannelRow, ("slack", "T1", "general"))
    assert dana_row is not None and dana_row.set_by == "", "the channel stays quiet, anonymously"
    assert sam_row is not None and sam_row.set_by == "42", "a Slack user with the same id is someone else"
    assert app.kindred.is_quiet("discord", "G1", "general")


def test_every_core_table_referencing_teachers_has_a_hook(app):
    registry = registry_of(app)
    referencing = {table for table, _ in teacher_references(app.db)}
    assert referencing >= CORE_TABLES
    assert not CORE_TABLES & {t for t, _ in registry.unclaimed(app.db)}


def test_an_unclaimed_table_is_exported_and_forgotten_generically(app):
    """A future table with a foreign key to teachers and no hook yet is still covered."""
    metadata = MetaData()
    metadata.reflect(app.db.engine, only=["teachers"])
    table = Table(
        "zz_future_feature",
        metadata,
        Column("id", Integer, primary_key=True),
        Column("teacher_id", Integer, ForeignKey("teachers.id", ondelete="SET NULL")),
        Column("secret", String(50)),
    )
    table.create(app.db.engine)
    pat = teacher_id(app, MARIA)
    with app.db.engine.begin() as connection:
        connection.execute(insert(table).values(teacher_id=pat, secret="maria-future-secret"))
    try:
        registry = registry_of(app)
        assert ("zz_future_feature", "teacher_id") in registry.unclaimed(app.db)
        exported = registry.export(app.kindred.deps, pat)
        assert exported["other: zz future feature"][0]["secret"] == "maria-future-secret"
        registry.forget(app.kindred.deps, pat)
        assert where(app.db, "maria-future-secret") == []
    finally:
        table.drop(app.db.engine)


def test_registry_rejects_duplicate_hook_names():
    registry = UserDataRegistry()
    hook = build_registry().user_data.hooks[0]
    registry.add(hook)
    with pytest.raises(ValueError, match="twice"):
        registry.add(hook)


def test_forgetting_colleagues_who_thanked_the_same_reply_keeps_both_thanks_unnamed(app):
    """Two colleagues thanked one reply; both leave. Their thank-yous now look alike (no colleague) yet stay
    two ripples of the helper: the once-key names nobody afterwards, so the second forget cannot collide."""
    request_id = command(app, PAT, "ask", ASKED).request_id
    app.kindred.record_post(request_id, "console", "help", "t-1")
    app.kindred.handle_thread_reply(
        ThreadReply(MARIA, "help", "t-1", "Fraction strips, then a number line.", "t-2")
    )
    derek, aisha = Actor("console", "derek.thompson"), Actor("console", "aisha.bello")
    assert all(app.kindred.handle_thanks(Thanks(who, "help", "t-1", "t-2")) for who in (derek, aisha))
    for who in (derek, aisha):
        registry_of(app).forget(app.kindred.deps, teacher_id(app, who))
    maria = teacher_id(app, MARIA)
    with app.db.session() as session:
        rows = session.execute(
            select(RippleEventRow.colleague_id, RippleEventRow.once_key).where(
                RippleEventRow.teacher_id == maria
            )
        ).all()
    assert [tuple(r) for r in rows] == [(None, None), (None, None)]
    assert record_thanks(app.kindred.deps, teacher_id(app, PAT), maria, request_id), (
        "a new colleague still counts"
    )
