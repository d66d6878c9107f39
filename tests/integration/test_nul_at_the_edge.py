"""A NUL character in any text is stripped where events enter, so PostgreSQL writes never fail on it."""

from __future__ import annotations

from sqlalchemy import select

from bot.domain.events import Actor, ChannelMessage, Command
from bot.storage.models import HelpRequestRow, TeacherRow

MARIA = Actor("console", "maria.lopez", "Maria\x00 Lopez")


def test_nul_in_question_share_bio_and_message_is_stripped(app) -> None:
    texts = [
        app.kindred.handle_command(
            Command(MARIA, "ask", "How do I teach\x00 fractions?", channel_id="general")
        ),
        app.kindred.handle_command(
            Command(MARIA, "share", "https://example.org/deck\x00 | great\x00 deck", channel_id="general")
        ),
        app.kindred.handle_command(Command(MARIA, "kindred", "profile bio I coach\x00 math")),
        app.kindred.handle_command(Command(MARIA, "kindred", "goal Fewer\x00 transitions")),
    ]
    app.kindred.handle_message(
        ChannelMessage(
            MARIA, "help", "Anyone have ideas for fraction\x00 games for 4th grade?", message_id="1.0"
        )
    )
    for outcome in texts:
        assert outcome is not None and "something went wrong" not in outcome.reply.to_text().lower()
    with app.db.session() as session:
        questions = session.scalars(select(HelpRequestRow.text)).all()
        teacher = session.scalars(
            select(TeacherRow).where(TeacherRow.platform_user_id == "maria.lopez")
        ).one()
    assert any("teach fractions" in q for q in questions)
    assert not any("\x00" in q for q in questions)
    assert "\x00" not in (teacher.bio or "") and "\x00" not in (teacher.name or "")


def test_nul_in_options_is_stripped() -> None:
    command = Command(MARIA, "share", "a\x00b", options={"why": "x\x00y", "tags": ["p\x00q"]})
    assert command.text == "ab" and command.options == {"why": "xy", "tags": ["pq"]}
    assert command.actor.display_name == "Maria Lopez"
