"""The knowledge base and look-alike questions in the ask flow (fake embedder), and /adapt notes."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import time_machine
from sqlalchemy import select

from bot.domain.events import Actor, ButtonPress, Command
from bot.domain.replies import Action
from bot.domain.requests import RequestStatus
from bot.handlers.knowledge import SIMILAR_HEADLINE, record_answer
from bot.matching.similar_questions import SimilarQuestions
from bot.storage.models import FollowUpRow, RequestLinkRow, RippleEventRow
from bot.storage.repositories import RequestRepository, TeacherRepository

START = datetime(2026, 11, 23, 15, 0, tzinfo=UTC)
LAB = "How do I keep lab groups safe during inquiry labs with 7th graders?"
ANSWER = "I give every group a 3-step safety contract and a job card; goggles on before anything opens."
GAMES = "What are good math games for practicing multiplication facts in 4th grade?"


def ask(app, user_id: str, text: str, at: datetime = START, platform: str = "console", workspace=None):
    with time_machine.travel(at, tick=False):
        actor = Actor(platform, user_id, user_id, workspace_id=workspace)
        return app.kindred.handle_command(Command(actor, "ask", text, channel_id="general")).reply


def tid(app, user_id: str) -> int:
    with app.db.session() as session:
        return TeacherRepository(session).find("console", user_id).id


def test_an_answer_that_helped_is_stored_indexed_credited_and_solves_the_question(app):
    request_id = ask(app, "jamal.carter", LAB).request_id
    outcome = record_answer(app.kindred.deps, request_id, tid(app, "marcus.johnson"), ANSWER)
    assert (
        "marked" in outcome.reply.text and "solved" in outcome.reply.text and "Marcus" in outcome.reply.text
    )
    (dm,) = outcome.direct_messages
    assert dm.platform_user_id == "marcus.johnson" and "knowledge base" in dm.reply.text
    with app.db.session() as session:
        assert RequestRepository(session).get(request_id).status is RequestStatus.SOLVED
        pending = session.scalars(select(FollowUpRow.state).where(FollowUpRow.request_id == request_id))
        assert set(pending) == {"cancelled"}
        (event,) = session.scalars(select(RippleEventRow)).all()
    assert event.kind == "answer_helped" and event.teacher_id == tid(app, "marcus.johnson")
    assert len(app.indexer.index("answer")) == 1


def test_a_similar_question_leads_with_what_helped_credited_to_the_helper(app):
    request_id = ask(app, "jamal.carter", LAB).request_id
    record_answer(app.kindred.deps, request_id, tid(app, "marcus.johnson"), ANSWER)
    reply = ask(app, "fatima.yusuf", LAB.replace("7th", "6th"), START + timedelta(days=1))
    assert reply.text.startswith(SIMILAR_HEADLINE)
    assert "Marcus Johnson: “I give every group a 3-step safety contract" in reply.text
    assert "jamal" not in reply.text.lower(), "the asker is never named"
    assert reply.resources, "the usual suggestions still follow"
    with app.db.session() as session:
        kinds = [e.kind for e in session.scalars(select(RippleEventRow))]
    assert sorted(kinds) == ["answer_helped", "answer_shown"]

    assert SIMILAR_HEADLINE not in ask(app, "fatima.yusuf", "Ideas for a water cycle hook?").text
    other_district = ask(app, "U9", LAB, platform="slack", workspace="T1")
    assert SIMILAR_HEADLINE not in other_district.text, "knowledge stays in its community"


def test_a_near_duplicate_open_question_is_linked_and_its_answer_reaches_both(app):
    first = ask(app, "derek.thompson", GAMES).request_id
    again = ask(app, "maria.lopez", GAMES, START + timedelta(days=2))
    assert "Someone asked something very similar 2 days ago" in again.text
    assert "derek" not in again.text.lower()
    with app.db.session() as session:
        (link,) = session.scalars(select(RequestLinkRow)).all()
    assert (link.request_id, link.similar_request_id) == (again.request_id, first) and link.score >= 0.9

    outcome = record_answer(
        app.kindred.deps, first, tid(app, "andre.williams"), "Multiplication war with cards."
    )
    to_maria = [dm for dm in outcome.direct_messages if dm.platform_user_id == "maria.lopez"]
    assert len(to_maria) == 1 and "Multiplication war" in to_maria[0].reply.text


def test_no_duplicate_for_own_solved_or_old_questions(app):
    ask(app, "derek.thompson", GAMES)
    assert "very similar" not in ask(app, "derek.thompson", GAMES, START + timedelta(hours=1)).text, "own"
    assert "very similar" not in ask(app, "maria.lopez", GAMES, START + timedelta(days=15)).text, "too old"
    solved = ask(app, "andre.williams", LAB).request_id
    record_answer(app.kindred.deps, solved, tid(app, "marcus.johnson"), ANSWER)
    assert "very similar" not in ask(app, "jamal.carter", LAB, START + timedelta(days=1)).text, "solved"


def test_the_hook_never_costs_the_teacher_their_answer(app, monkeypatch, caplog):
    def broken(*args, **kwargs):
        raise RuntimeError("index exploded")

    monkeypatch.setattr(SimilarQuestions, "answers", broken)
    reply = ask(app, "maria.lopez", "How do I teach equivalent fractions hands-on?")
    assert reply.resources and "knowledge base lookup failed" in caplog.text


def test_record_answer_bad_input(app):
    deps = app.kindred.deps
    request_id = ask(app, "jamal.carter", LAB).request_id
    assert "empty" in record_answer(deps, request_id, tid(app, "marcus.johnson"), "   ").reply.text
    assert "can't find that question" in record_answer(deps, 999, tid(app, "marcus.johnson"), "x").reply.text
    assert "can't find the colleague" in record_answer(deps, request_id, 999, "x").reply.text


def adapt(app, user_id: str, text: str) -> str:
    return app.kindred.handle_command(Command(Actor("console", user_id), "adapt", text)).reply.text


def test_adapt_notes_by_number_or_title_show_on_cards(app):
    card = ask(app, "maria.lopez", "fraction strips for 4th grade").resources[0]
    assert "Thank you!" in adapt(app, "derek.thompson", f"{card.resource_id} | Used it as a warm-up")
    assert "Thank you!" in adapt(app, "aisha.bello", f"{card.title.upper()} | Paired it with a number line")
    again = ask(app, "maria.lopez", "fraction strips for 4th grade").resources[0]
    assert again.resource_id == card.resource_id
    assert set(again.notes) == {"Used it as a warm-up", "Paired it with a number line"}
    assert "✎ Used it as a warm-up" in again.to_text()


def test_adapt_bad_input_and_ambiguity(app):
    assert "/adapt <resource id or title>" in adapt(app, "maria.lopez", "fractions")
    assert "couldn't find" in adapt(app, "maria.lopez", "#99999 | note")
    assert "couldn't find" in adapt(app, "maria.lopez", "zzzz no such title | note")
    assert "Which one did you mean?" in adapt(app, "maria.lopez", "fraction | my note")
    assert "under 500" in adapt(app, "maria.lopez", "1 | " + "x" * 600)


def test_this_helped_offers_the_adapt_button(app):
    maria = Actor("console", "maria.lopez")
    card = ask(app, "maria.lopez", "fraction strips for 4th grade").resources[0]
    helped = next(b for b in card.buttons if b.action == Action.HELPED)
    reply = app.kindred.handle_button(ButtonPress(maria, helped.action, helped.value)).reply
    (button,) = reply.buttons
    assert button.action == Action.ADAPT
    prompt = app.kindred.handle_button(ButtonPress(maria, button.action, button.value)).reply.text
    assert f"/adapt {card.resource_id} |" in prompt
