"""🙏 (``pray``) on a colleague's reply in a posted question's thread, through real ``reaction_added``
events: a thank-you ripple for the replier, shown by their /ripples; the reactor is never looked up."""

from __future__ import annotations

from sqlalchemy import text

from tests.platforms.slack.conftest import ASKER, MARIA, SlackHarness
from tests.platforms.slack.test_followups import until
from tests.platforms.slack.test_thread_relay import posted_question, thread_reply
from tests.platforms.slack.test_ways_to_ask import reaction

QUESTION = "How do I teach equivalent fractions hands-on to my 4th graders?"
HELP_CHANNEL = "CHELP00001"
REPLY_TS = "1700000301.000100"


def kept_answers(slack: SlackHarness) -> int:
    with slack.app.db.session() as session:
        return int(session.execute(text("SELECT count(*) FROM thread_answers")).scalar_one())


async def ripples_of(slack: SlackHarness, user: str) -> str:
    before = len(slack.fake.of("response_url"))  # counted first: the answer may come before the ack returns
    await slack.command("ripples", "all", user=user)
    calls = await slack.fake.wait_for("response_url", count=before + 1)
    return str(calls[-1].params["text"])


def thanks(user: str, name: str = "pray") -> dict:
    event = reaction(name, user=user, ts=REPLY_TS)
    event["item"]["channel"] = HELP_CHANNEL
    return event


async def test_a_thank_you_reaction_on_a_thread_reply_is_the_repliers_ripple(slack: SlackHarness) -> None:
    ts = await posted_question(slack, QUESTION)
    await slack.event(thread_reply(ts, REPLY_TS, "Fraction strips first, then a number line."), "EvReply")
    await until(lambda: kept_answers(slack) == 1)
    slack.fake.seed(HELP_CHANNEL, REPLY_TS, MARIA, "Fraction strips first, then a number line.", thread_ts=ts)
    looked_up = len(slack.fake.of("users.info"))

    await slack.event(thanks(ASKER, "thumbsup"), "EvThumbs")
    await slack.event(thanks(ASKER), "EvPray1")
    await slack.event(thanks(ASKER, "pray::skin-tone-3"), "EvPray2")  # the same colleague: once
    await slack.event(thanks(MARIA), "EvPraySelf")  # thanking oneself: nothing
    await slack.settle()
    assert len(slack.fake.of("users.info")) == looked_up, "the reactor's profile is never fetched"
    assert "you were thanked once" in await ripples_of(slack, MARIA)


async def test_thanks_on_a_message_outside_a_questions_thread_is_ignored(slack: SlackHarness) -> None:
    slack.fake.seed(HELP_CHANNEL, REPLY_TS, MARIA, "Lunch is at noon")
    await slack.event(thanks(ASKER), "EvPray")
    await slack.settle()
    assert "No ripples" in await ripples_of(slack, MARIA)
    assert not slack.fake.of("chat.postMessage")
