"""Ripples counted across the real flows: share, suggestions, "This helped", save, adapt, answers, thanks."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import func, select

from bot.domain.events import Actor, ButtonPress, Command
from bot.domain.replies import Action
from bot.domain.ripples import RippleKind, RippleSummary
from bot.handlers.knowledge import record_answer
from bot.handlers.ripples import record_thanks
from bot.storage.models import HelpRequestRow, ResourceRow, SuggestionRow
from bot.storage.repositories import TeacherRepository
from bot.storage.repositories.ripples import RippleRepository

MARIA = Actor("console", "maria.lopez", "Maria Lopez")
EGG_DROP = "https://example.org/egg-drop-physics"
QUESTION = "egg drop physics design challenge for 8th grade"


def actor(user_id: str) -> Actor:
    return Actor("console", user_id)


def command(app, who: Actor, name: str, text: str):
    return app.kindred.handle_command(Command(who, name, text, channel_id="general")).reply


def press(app, who: Actor, reply, action: str, resource_id: int):
    card = next(c for c in reply.resources if c.resource_id == resource_id)
    button = next(b for b in card.buttons if b.action == action)
    return app.kindred.handle_button(ButtonPress(who, button.action, button.value)).reply


def tid(app, user_id: str) -> int:
    with app.db.session() as session:
        return TeacherRepository(session).find("console", user_id).id


def ripples(app, user_id: str, since: datetime | None = None) -> RippleSummary:
    with app.db.session() as session:
        found = RippleRepository(session).for_teacher(
            tid(app, user_id), since or datetime.now(UTC) - timedelta(days=1)
        )
    return RippleSummary.of(found)


def test_ripples_across_flows_are_counted_once_each_and_never_for_oneself(app):
    command(app, MARIA, "share", f"{EGG_DROP} | My 8th graders loved designing egg drops")
    with app.db.session() as session:
        egg = session.scalar(select(ResourceRow.id).where(ResourceRow.url == EGG_DROP))

    derek, aisha, sam = actor("derek.thompson"), actor("aisha.bello"), actor("sam.whitfield")
    derek_reply = command(app, derek, "ask", QUESTION)
    assert "Glad it helped" in press(app, derek, derek_reply, Action.HELPED, egg).text
    press(app, derek, derek_reply, Action.HELPED, egg)  # twice: still one ripple
    aisha_reply = command(app, aisha, "ask", QUESTION)
    press(app, aisha, aisha_reply, Action.SAVE, egg)
    assert "Thank you!" in command(app, sam, "adapt", f"{egg} | Ran it as a 6th grade STEM day").text
    own = command(app, MARIA, "ask", QUESTION)
    press(app, MARIA, own, Action.HELPED, egg)  # Maria's own reactions never ripple back to her

    jamal = actor("jamal.carter")
    request_id = command(app, jamal, "ask", "How do I keep inquiry labs safe with 7th graders?").request_id
    record_answer(app.kindred.deps, request_id, tid(app, "maria.lopez"), "A 3-step safety contract.")
    record_thanks(app.kindred.deps, tid(app, "priya.raman"), tid(app, "maria.lopez"))
    assert not record_thanks(app.kindred.deps, tid(app, "priya.raman"), tid(app, "maria.lopez")), "once"
    assert not record_thanks(app.kindred.deps, tid(app, "maria.lopez"), tid(app, "maria.lopez")), "self"

    summary = ripples(app, "maria.lopez")
    with app.db.session() as session:
        resource_suggestions = session.scalar(
            select(func.count(SuggestionRow.id))
            .join(HelpRequestRow, HelpRequestRow.id == SuggestionRow.request_id)
            .where(SuggestionRow.resource_id == egg, HelpRequestRow.asker_id != tid(app, "maria.lopez"))
        )
        peer_suggestions = session.scalar(
            select(func.count(SuggestionRow.id)).where(SuggestionRow.teacher_id == tid(app, "maria.lopez"))
        )
    assert summary.counts.get(RippleKind.RESOURCE_SUGGESTED, 0) == resource_suggestions == 2
    assert summary.counts.get(RippleKind.PEER_SUGGESTED, 0) == peer_suggestions
    assert summary.counts[RippleKind.RESOURCE_HELPED] == 1
    assert summary.counts[RippleKind.RESOURCE_SAVED] == 1
    assert summary.counts[RippleKind.ADAPTED] == 1
    assert summary.counts[RippleKind.ANSWER_HELPED] == 1
    assert summary.counts[RippleKind.THANKS] == 1
    helped = {
        f"teacher:{tid(app, u)}" for u in ("derek.thompson", "sam.whitfield", "jamal.carter", "priya.raman")
    }
    assert summary.helped == helped
    assert f"teacher:{tid(app, 'aisha.bello')}" in summary.reached - summary.helped
    assert f"teacher:{tid(app, 'maria.lopez')}" not in summary.reached

    text = command(app, MARIA, "ripples", "").text
    assert "4 colleagues helped by your resources and answers" in text
    for name in ("Derek Thompson", "Sam Whitfield", "Jamal Carter", "Priya Raman"):
        assert name in text
    assert "saved by Aisha Bello" in text and "Ran it as a 6th grade STEM day" in text
    assert "Your answer to “How do I keep inquiry labs safe with 7th graders?”" in text


def test_this_month_by_default_and_everything_with_all(app):
    maria = tid(app, "maria.lopez")
    with app.db.session() as session:
        RippleRepository(session).record(
            RippleKind.THANKS, maria, tid(app, "omar.haddad"), at=datetime.now(UTC) - timedelta(days=40)
        )
    assert "No ripples this month yet" in command(app, MARIA, "ripples", "").text
    everything = command(app, MARIA, "ripples", "all").text
    assert "Omar Haddad" in everything and "so far" in everything
    assert "shows this month" in command(app, MARIA, "ripples", "yesterday").text


def test_a_colleague_who_asked_anonymously_stays_unnamed(app):
    derek = actor("derek.thompson")
    request_id = command(app, derek, "ask", "How do I calm a chatty class after lunch?").request_id
    with app.db.session() as session:
        session.get(HelpRequestRow, request_id).anonymous = True
    record_answer(app.kindred.deps, request_id, tid(app, "maria.lopez"), "A two-minute breathing routine.")
    summary = ripples(app, "maria.lopez")
    answer = next(r for r in summary.ripples if r.kind is RippleKind.ANSWER_HELPED)
    assert answer.colleague_id is None
    text = command(app, MARIA, "ripples", "").text
    assert "Derek" not in text and "a colleague" in text.lower()
