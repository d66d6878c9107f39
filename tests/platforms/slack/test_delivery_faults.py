"""Follow-ups through the real Slack sender against a fake Web API that misbehaves: slow answers, 500s,
429s beyond the retry budget, connections dropped after Slack took the post, two racing dispatchers and a
dispatcher killed mid-send. Counted at the fake: every follow-up lands exactly once.

Runs on SQLite, and on PostgreSQL when KINDRED_TEST_DATABASE_URL is set.
"""

from __future__ import annotations

import asyncio
import threading
from collections import Counter
from datetime import UTC, datetime, timedelta

import pytest

from bot.domain.clock import fixed_clock
from bot.handlers import lifecycle
from bot.platforms.slack.app_factory import build_client
from bot.platforms.slack.sender import SlackSender
from bot.scheduling.dispatcher import Dispatcher
from bot.scheduling.followup_jobs import FollowUpJobs
from bot.storage.database import Database
from bot.storage.repositories import RequestRepository, TeacherRepository
from tests.platforms.slack.fake_slack import FakeSlack
from tests.scheduling.conftest import START, FakeClock, bare_deps

POST = "chat.postMessage"


def check_ins(db: Database, users: list[str]) -> None:
    """One answered request per Slack user, so a "did this help?" DM is due an hour after START."""
    deps = bare_deps(db, fixed_clock(START))
    for user in users:
        with db.session() as session:
            teacher, _ = TeacherRepository(session).upsert(
                "slack", user, {"name": user, "workspace_id": "T1"}
            )
            request_id = (
                RequestRepository(session).create(asker_id=teacher.id, text="Fractions?", platform="slack").id
            )
        lifecycle.human_replied(deps, request_id)


def dispatcher(db: Database, sender: SlackSender, clock: FakeClock) -> Dispatcher:
    return Dispatcher(db, sender, clock, {"did_it_help": FollowUpJobs(db, None).did_it_help})  # type: ignore[arg-type]


def slack_sender(fake: FakeSlack, timeout: float = 10) -> SlackSender:
    """The production client (timeouts, retry handlers) pointed at the fake."""
    return SlackSender(build_client("xoxb-test", fake.base_url), asyncio.get_running_loop(), timeout=timeout)


def delivered(fake: FakeSlack) -> Counter[str]:
    return Counter(channel for channel, posts in fake.messages.items() for _ in posts)


async def drain(worker: Dispatcher, clock: FakeClock, rounds: int = 8) -> None:
    """Run the dispatcher, moving the injected clock past each backoff."""
    for _ in range(rounds):
        await asyncio.to_thread(worker.run_once)
        clock.advance(hours=2)


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock(START).advance(hours=1)


async def test_a_dropped_connection_after_slack_took_the_dm_is_not_posted_again(db, fake_slack, clock):
    check_ins(db, ["UANA0001", "UBO00001"])
    fake_slack.drop_after_receive[POST] = 2
    await drain(dispatcher(db, slack_sender(fake_slack), clock), clock)
    assert delivered(fake_slack) == Counter({"DUANA0001": 1, "DUBO00001": 1})
    assert len(fake_slack.of(POST)) == 2, "slack_sdk did not re-post on the connection error"


async def test_500s_and_429s_beyond_the_retry_budget_are_retried_later_and_land_once(db, fake_slack, clock):
    check_ins(db, ["UANA0001", "UBO00001"])
    fake_slack.status_faults[POST] = [500, 429, 429, 429, 429, 500]  # 429 four times in a row
    await drain(dispatcher(db, slack_sender(fake_slack), clock), clock)
    assert delivered(fake_slack) == Counter({"DUANA0001": 1, "DUBO00001": 1})
    assert not fake_slack.status_faults[POST]


async def test_a_slow_web_api_that_lands_after_we_gave_up_is_not_posted_again(db, fake_slack, clock):
    check_ins(db, ["UANA0001"])
    fake_slack.slow[POST] = 1.0
    worker = dispatcher(db, slack_sender(fake_slack, timeout=0.4), clock)  # we give up first
    await asyncio.to_thread(worker.run_once)
    await asyncio.sleep(1.2)  # ...and the first attempt lands anyway
    assert delivered(fake_slack) == Counter({"DUANA0001": 1})
    del fake_slack.slow[POST]
    await drain(worker, clock)
    assert delivered(fake_slack) == Counter({"DUANA0001": 1}), "the retry found it in the history"


async def test_two_dispatchers_on_a_slow_web_api_send_every_dm_exactly_once(
    database_url, db, fake_slack, clock
):
    users = [f"URACE{i:04d}" for i in range(12)]
    check_ins(db, users)
    fake_slack.slow[POST] = 0.05
    engines = [Database.from_url(database_url) for _ in range(2)]
    workers = [dispatcher(engine, slack_sender(fake_slack), FakeClock(clock.now)) for engine in engines]
    barrier = threading.Barrier(2)

    def work(worker: Dispatcher) -> None:
        barrier.wait()
        for _ in range(20):
            worker.run_once(limit=3)

    await asyncio.gather(*(asyncio.to_thread(work, w) for w in workers))
    for engine in engines:
        engine.dispose()
    assert delivered(fake_slack) == Counter({f"D{u}": 1 for u in users})


class Killed(BaseException):
    """kill -9 stand-in: nothing after it runs in the dying dispatcher."""


async def test_killed_after_slack_took_the_dm_the_restart_sends_the_rest_at_once_and_nothing_twice(
    db, fake_slack, clock
):
    users = [f"UKILL{i:04d}" for i in range(6)]
    check_ins(db, users)
    sender = slack_sender(fake_slack)
    sent = [0]
    real_deliver = sender.deliver

    async def deliver_then_die(user_id, reply, delivery=None):  # type: ignore[no-untyped-def]
        ts = await real_deliver(user_id, reply, delivery)
        sent[0] += 1
        if sent[0] == 3:
            raise Killed()  # the DM landed; the process dies before recording it
        return ts

    sender.deliver = deliver_then_die  # type: ignore[method-assign]
    with pytest.raises(Killed):
        await asyncio.to_thread(dispatcher(db, sender, clock).run_once)
    restarted = dispatcher(db, slack_sender(fake_slack), clock)
    assert await asyncio.to_thread(restarted.run_once) == 3, "unstarted rows go out at once, no lease wait"
    clock.advance(minutes=6)  # the lease of the row in flight ran out
    await drain(restarted, clock)
    assert delivered(fake_slack) == Counter({f"D{u}": 1 for u in users})


# --- a threaded reply to a channel help request ------------------------------------------------------

HELP = "Does anyone have ideas for teaching equivalent fractions hands-on to my 4th graders?"


def help_message(ts: str = "1700000100.000100") -> dict:
    return {
        "type": "message",
        "channel": "CGRADE4001",
        "channel_type": "channel",
        "user": "UASKER01",
        "text": HELP,
        "ts": ts,
        "event_ts": ts,
    }


@pytest.mark.parametrize("faults", [[500], [429, 429, 429, 429]], ids=["500", "429-beyond-budget"])
async def test_a_refused_threaded_reply_is_queued_and_retried_with_backoff_once(slack, faults) -> None:
    from bot.platforms.slack.outbox import Outbox, flush

    slack.fake.status_faults[POST] = list(faults)
    await slack.event(help_message(), "EvRefused")
    await slack.fake.wait_for(POST, count=len(faults))
    now = [datetime.now(UTC)]
    outbox = Outbox(slack.app.db, clock=lambda: now[0])
    for _ in range(250):
        if outbox.states() == ["pending"]:
            break
        await asyncio.sleep(0.02)
    assert outbox.states() == ["pending"] and not slack.fake.landed()

    client = build_client("xoxb-test", slack.fake.base_url)
    assert await flush(client, outbox) == 0, "not before its backoff"
    now[0] += timedelta(minutes=1, seconds=1)
    assert await flush(client, outbox) == 1
    now[0] += timedelta(hours=1)
    assert await flush(client, outbox) == 0
    (landed,) = slack.fake.landed()
    assert landed["thread_ts"] == "1700000100.000100"
    assert outbox.states() == ["sent"]


async def test_a_queued_reply_whose_first_try_landed_is_not_posted_again(slack) -> None:
    from bot.platforms.slack.outbox import Outbox, flush

    slack.fake.drop_after_receive[POST] = 1  # Slack took it; the answer was lost
    slack.fake.status_faults["conversations.replies"] = [500]  # ...and the check at that moment failed
    await slack.event(help_message("1700000300.000300"), "EvDropped")
    now = [datetime.now(UTC)]
    outbox = Outbox(slack.app.db, clock=lambda: now[0])
    for _ in range(250):
        if outbox.states() == ["pending"]:
            break
        await asyncio.sleep(0.02)
    assert outbox.states() == ["pending"]
    now[0] += timedelta(minutes=2)
    assert await flush(build_client("xoxb-test", slack.fake.base_url), outbox) == 1
    assert len(slack.fake.landed()) == 1, "the retry found the first post in the thread"
