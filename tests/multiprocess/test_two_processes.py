"""Two real ``kindred run --platform slack`` processes on one PostgreSQL database (separate data dirs,
as two containers behind a load balancer): a share on A is suggested by B within seconds (LISTEN/NOTIFY),
a process started later catches up from its index files' watermark, and with a Web API answering in
12 s every due follow-up reaches Slack exactly once although both processes dispatch."""

from __future__ import annotations

import asyncio
import json
import time
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bot.storage.database import Database
from bot.storage.models import DID_IT_HELP, SENT, FollowUpRow
from bot.storage.repositories import RequestRepository, TeacherRepository
from tests.multiprocess.processes import KindredProcess
from tests.platforms.slack.fake_slack import FakeSlack

pytestmark = pytest.mark.postgres  # the database is shared through PostgreSQL; skipped on SQLite

SHARED = "Cursive Handwriting Warm-Ups with Sky, Plane and Grass Lines"
LATER = "Tangram Geometry Puzzles for Composing and Decomposing Shapes"
ASK_CURSIVE = "Any cursive handwriting warm-ups with sky, plane and grass lines for my 3rd graders?"
ASK_TANGRAM = "How can tangram puzzles help with composing and decomposing shapes?"
SHARE_WITHIN_S = 5.0


@pytest.fixture
def pg_url(database_url: str, request: pytest.FixtureRequest) -> str:
    if database_url.startswith("sqlite"):
        pytest.skip("two processes share one PostgreSQL database: run with KINDRED_TEST_DATABASE_URL")
    request.getfixturevalue("db")  # migrated here: the children's own upgrade is a no-op, no race
    return database_url


@pytest.fixture
def processes(tmp_path: Path, pg_url: str, fake: FakeSlack):  # type: ignore[no-untyped-def]
    started: list[KindredProcess] = []

    def spawn(name: str, **env: str) -> KindredProcess:
        process = KindredProcess(name, tmp_path / name, pg_url, fake, **env).start()
        started.append(process)
        return process

    yield spawn
    for process in started:
        process.stop()


async def until_answer(process: KindredProcess, question: str, holds, within: float) -> float:  # type: ignore[no-untyped-def]
    """Ask ``process`` again and again (signed /ask) until ``holds(answer)``; seconds it took."""
    started = time.monotonic()
    while time.monotonic() - started < within:
        if holds(await process.command("ask", question, user="UDEREK01")):
            return time.monotonic() - started
        await asyncio.sleep(0.05)
    raise AssertionError(f"{process.name}'s answers never changed as expected within {within} s")


async def until_suggested(process: KindredProcess, question: str, title: str, within: float) -> float:
    """Ask ``process`` again and again (signed /ask) until an answer names ``title``; seconds it took."""
    return await until_answer(process, question, lambda answer: title in answer, within)


async def test_a_share_on_a_is_suggested_by_b_and_a_later_process_catches_up(processes) -> None:  # type: ignore[no-untyped-def]
    a, b = processes("a"), processes("b")
    await asyncio.gather(a.ready(), b.ready())
    assert SHARED not in await b.command("ask", ASK_CURSIVE, user="UDEREK01")

    shared_at = time.monotonic()
    assert (
        "thank"
        in (await a.command("share", f"{SHARED} | cursive on sky, plane and grass lines", "UMARIA01")).lower()
    )
    seen = await until_suggested(b, ASK_CURSIVE, SHARED, SHARE_WITHIN_S)
    took = time.monotonic() - shared_at
    print(f"\nB suggested A's share {took:.2f} s after /share was sent ({seen:.2f} s of asking B)")

    b.stop()  # B's index files stay, with the watermark they were saved at
    await a.command("share", f"{LATER} | tangram puzzles: composing and decomposing shapes", "UMARIA01")
    later = processes("b")  # the same data dir: starts from its files, catches up on the feed
    await later.ready()
    assert LATER in await later.command("ask", ASK_TANGRAM, user="UDEREK01")
    assert SHARED in await later.command("ask", ASK_CURSIVE, user="UDEREK01")
    messages = "\n".join(later.log_messages())
    assert "index caught up on the change feed" in messages, "caught up from the watermark, not rebuilt"


HELPER = "UTANGRAM01"
ASK_PEER = "Who has tried tangram puzzles for composing and decomposing shapes with 2nd graders?"
PROFILE = (
    "profile subjects math",
    "profile grades 2",
    "profile interests tangram puzzles; composing and decomposing shapes",
)


async def test_a_profile_edit_and_a_forget_me_on_a_reach_b(processes) -> None:  # type: ignore[no-untyped-def]
    a, b = processes("a"), processes("b")
    await asyncio.gather(a.ready(), b.ready())
    assert HELPER not in await b.command("ask", ASK_PEER, user="UDEREK01")

    edited_at = time.monotonic()
    for words in PROFILE:  # what the profile modal's submission does, one field at a time
        assert "saved" in (await a.command("kindred", words, HELPER)).lower()
    await until_answer(b, ASK_PEER, lambda answer: HELPER in answer, SHARE_WITHIN_S)
    took_edit = time.monotonic() - edited_at

    offer = json.loads(await a.command("kindred", "forget-me", HELPER))
    buttons = [
        e for block in offer.get("blocks", []) if block["type"] == "actions" for e in block["elements"]
    ]
    confirm = next(button for button in buttons if ".forget_me_confirm." in button["action_id"])
    forgot_at = time.monotonic()
    assert "deleted everything" in await a.press(confirm, HELPER)
    await until_answer(b, ASK_PEER, lambda answer: HELPER not in answer, SHARE_WITHIN_S)
    took_forget = time.monotonic() - forgot_at
    print(f"\nB: edited profile suggested in {took_edit:.2f} s, dropped {took_forget:.2f} s after forget-me")


ASKERS = [f"UASKER{n:02d}" for n in range(4)]
SLOW_API_S = 12.0


def seed_due_followups(db: Database) -> list[int]:
    """Four asked questions whose "did it help?" DM is due now."""
    now = datetime.now(UTC)
    ids = []
    with db.session() as session:
        for user in ASKERS:
            teacher, _ = TeacherRepository(session).upsert(
                "slack", user, {"name": user, "workspace_id": "T1", "onboarded": True}
            )
            request = RequestRepository(session).create(
                asker_id=teacher.id, text="any ideas?", platform="slack"
            )
            row = FollowUpRow(kind=DID_IT_HELP, request_id=request.id, due_at=now - timedelta(seconds=1))
            session.add(row)
            session.flush()
            ids.append(row.id)
    return ids


async def test_every_due_followup_reaches_a_slow_web_api_exactly_once(
    processes, fake: FakeSlack, pg_url: str
) -> None:  # type: ignore[no-untyped-def]
    db = Database.from_url(pg_url)
    try:
        rows = seed_due_followups(db)
        fake.slow["chat.postMessage"] = SLOW_API_S
        started = time.monotonic()
        a = processes("a", KINDRED_DISPATCH_INTERVAL="1")
        b = processes("b", KINDRED_DISPATCH_INTERVAL="1")
        await asyncio.gather(a.ready(), b.ready())
        deadline = started + 55
        while time.monotonic() < deadline:
            with db.session() as session:
                states = [session.get(FollowUpRow, i).state for i in rows]  # type: ignore[union-attr]
            if all(state == SENT for state in states):
                break
            await asyncio.sleep(0.2)
        assert states == [SENT] * len(rows), f"{states}\n{a.output()}\n{b.output()}"
        dms = Counter(call.params["channel"] for call in fake.of("chat.postMessage"))
        assert dms == Counter({f"D{user}": 1 for user in ASKERS}), "each follow-up reached Slack exactly once"
        for process in (a, b):
            done = [m for m in process.log_messages() if "follow-up done" in m]
            assert done, f"{process.name} dispatched too: the claim was contended"
        took = time.monotonic() - started
        print(f"\n{len(rows)} follow-ups, 2 dispatchers, {SLOW_API_S:.0f} s a post: all once in {took:.1f} s")
    finally:
        db.dispose()
