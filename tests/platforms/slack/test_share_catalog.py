"""/share through signed Slack requests (and the console): a link already in the catalog keeps its entry
and its credit, the re-sharer's "why" becomes a "how I used it" note; a link whose title cannot be read
("Watch", "YouTube", a bare domain…) is not saved until the teacher gives one."""

from __future__ import annotations

import io

import pytest
from sqlalchemy import text

from bot.platforms.console import ConsoleSession
from tests.platforms.slack.conftest import ASKER, MARIA, SlackHarness

LINK = "https://example.org/fraction-number-line-routines"
VIDEO = "https://www.youtube.com/watch?v=dQw4w9WgXcQ"


async def share(slack: SlackHarness, body: str, user: str = ASKER) -> str:
    seen = len(slack.fake.of("response_url"))
    await slack.command("share", body, user=user)
    replies = await slack.fake.wait_for("response_url", count=seen + 1)
    return str(replies[-1].params["text"])


def resource(slack: SlackHarness, url: str) -> dict | None:
    with slack.app.db.session() as session:
        row = session.execute(
            text("SELECT id, title, description, grades, subjects, shared_by FROM resources WHERE url = :u"),
            {"u": url},
        ).one_or_none()
    return None if row is None else dict(row._mapping)


async def test_resharing_a_link_keeps_the_entry_and_credit_and_adds_a_note(slack: SlackHarness) -> None:
    slack.fake.users[ASKER] = {"real_name": "Ana Asker", "tz": "America/Chicago"}
    added = await share(
        slack, f"{LINK} Number line routines | My 4th grade math class lines up fractions daily"
    )
    assert "Added" in added
    original = resource(slack, LINK)
    assert original is not None

    reply = await share(
        slack, f"<{LINK}> Watch this | Used it in 7th grade science as a warm-up for ratios", user=MARIA
    )
    assert "already in the catalog" in reply and "how I used it" in reply, reply
    assert "Used it in 7th grade science" in reply and "Ana Asker" in reply, "the credit stays"
    assert resource(slack, LINK) == original, "title, description, grades, subjects and credit unchanged"
    with slack.app.db.session() as session:
        notes = session.execute(
            text(
                "SELECT a.note, t.platform_user_id FROM adaptations a JOIN teachers t ON t.id = a.teacher_id "
                "WHERE a.resource_id = :r"
            ),
            {"r": original["id"]},
        ).all()
    assert [(n, u) for n, u in notes] == [("Used it in 7th grade science as a warm-up for ratios", MARIA)]


@pytest.mark.parametrize(
    "body",
    [
        f"{VIDEO} | A fraction song my 4th graders sing",
        f"<{VIDEO}|youtube.com> | A fraction song my 4th graders sing",
        "https://youtu.be/dQw4w9WgXcQ | A fraction song my 4th graders sing",
        "https://example.org/ | A fraction song my 4th graders sing",
        "https://example.org/lessons/7 Home | A fraction song my 4th graders sing",
        "https://example.org/x YouTube | A fraction song my 4th graders sing",
        "https://example.org/x Untitled | A fraction song my 4th graders sing",
    ],
)
async def test_a_link_without_a_readable_title_asks_for_one(slack: SlackHarness, body: str) -> None:
    reply = await share(slack, body)
    assert "couldn't read a title" in reply and "/share https://" in reply and "<title> |" in reply, reply
    with slack.app.db.session() as session:
        saved = session.execute(
            text(
                "SELECT count(*) FROM resources WHERE url LIKE '%youtu%' OR url LIKE 'https://example.org/%x'"
            )
        ).scalar()
        untitled = session.execute(
            text(
                "SELECT count(*) FROM resources "
                "WHERE lower(title) IN ('watch', 'youtube', 'home', 'untitled')"
            )
        ).scalar()
    assert saved == 0 and untitled == 0


async def test_with_a_title_the_video_is_saved(slack: SlackHarness) -> None:
    reply = await share(slack, f"{VIDEO} Fraction Song for 4th Grade | A fraction song my 4th graders sing")
    assert "Added “Fraction Song for 4th Grade”" in reply
    assert (resource(slack, VIDEO) or {}).get("title") == "Fraction Song for 4th Grade"


def test_the_console_keeps_the_entry_and_asks_for_a_title(app) -> None:  # type: ignore[no-untyped-def]
    out = io.StringIO()
    script = (
        "/as Maria Lopez\n"
        f"/share {LINK} Number line routines | My 4th graders line up fractions daily\n"
        "/as Derek Thompson\n"
        f"/share {LINK} Watch | Warm-up for ratios in 7th grade\n"
        f"/share {VIDEO} | A fraction song\n"
    )
    ConsoleSession(app.kindred, out=out).run(io.StringIO(script))
    output = out.getvalue()
    resharing = output.split("Warm-up for ratios in 7th grade\n", 1)[1]
    assert "“Number line routines” is already in the catalog, shared by Maria Lopez" in resharing
    assert "✎ Warm-up for ratios in 7th grade" in resharing
    assert "couldn't read a title" in output.split("A fraction song\n", 1)[1]
    with app.db.session() as session:
        titles = (
            session.execute(text("SELECT title FROM resources WHERE url = :u"), {"u": LINK}).scalars().all()
        )
        videos = session.execute(text("SELECT count(*) FROM resources WHERE url = :u"), {"u": VIDEO}).scalar()
    assert titles == ["Number line routines"] and videos == 0
