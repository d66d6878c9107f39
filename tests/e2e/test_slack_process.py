"""Verified from outside: a real ``kindred run --platform slack`` OS process in HTTP mode (real model, fresh
SQLite data dir, its Web API pointed at the local fake Slack), driven only with signed HTTP requests.

``/ask anon …`` → the anonymous post appears in #help (after the random 2–9 s delay); a colleague's reply
in that thread, sent as a signed Events API ``message`` event → the asker's DM, with "Did this help?",
arrives within seconds.
"""

from __future__ import annotations

import asyncio
import json
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import AsyncIterator, Callable
from pathlib import Path
from urllib.parse import urlencode

import aiohttp
import pytest
from cryptography.fernet import Fernet

from tests.platforms.slack.conftest import signed_headers
from tests.platforms.slack.fake_slack import Call, FakeSlack

pytestmark = pytest.mark.slow

SECRET = "e2e-signing-secret-0123456789abcdef"
ASKER, COLLEAGUE, TEAM, HELP = "UANONE2E01", "UMARIAE2E1", "T1", "CHELP00001"
QUESTION = "How do I teach equivalent fractions hands-on to my 4th graders?"
ANSWER = "Fraction strips first, then a number line — let them fold paper and explain."


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


async def until(found: Callable[[], list[Call]], seconds: float, what: str) -> list[Call]:
    deadline = time.monotonic() + seconds
    while not (calls := found()):
        if time.monotonic() > deadline:
            raise AssertionError(f"{what}: nothing within {seconds} s")
        await asyncio.sleep(0.05)
    return calls


class Kindred:
    """The child process and signed requests to its HTTP endpoint."""

    def __init__(self, process: subprocess.Popen[bytes], port: int, log: Path) -> None:
        self.process, self.log = process, log
        self.url = f"http://127.0.0.1:{port}"

    async def signed(self, body: str, content_type: str) -> int:
        headers = signed_headers(body, content_type, SECRET)
        async with (
            aiohttp.ClientSession() as session,
            session.post(f"{self.url}/slack/events", data=body.encode(), headers=headers) as response,
        ):
            await response.read()
            return response.status

    async def wait_until_up(self, seconds: float) -> None:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise AssertionError(f"kindred exited early:\n{self.log.read_text()[-3000:]}")
            try:
                async with aiohttp.ClientSession() as session, session.get(f"{self.url}/healthz") as response:
                    if response.status == 200:
                        return
            except aiohttp.ClientError:
                pass
            await asyncio.sleep(0.2)
        raise AssertionError(f"kindred did not come up in {seconds} s:\n{self.log.read_text()[-3000:]}")


@pytest.fixture
async def fake() -> AsyncIterator[FakeSlack]:
    slack = FakeSlack()
    slack.users[ASKER] = {"real_name": "Priya Hidden", "tz": "America/Chicago"}
    slack.users[COLLEAGUE] = {"real_name": "Maria Lopez", "tz": "America/Chicago"}
    await slack.start()
    yield slack
    await slack.stop()


@pytest.fixture
async def kindred(fake: FakeSlack, tmp_path: Path) -> AsyncIterator[Kindred]:
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("KINDRED_", "SLACK_", "DISCORD_"))}
    env.update(
        KINDRED_DATA_DIR=str(tmp_path / "var"),
        KINDRED_DATABASE_URL=f"sqlite:///{tmp_path / 'kindred.db'}",
        KINDRED_HTTP_PORT=str(port),
        KINDRED_SLACK_API_URL=fake.base_url,
        KINDRED_IDENTITY_KEY=Fernet.generate_key().decode(),
        KINDRED_LOG_LEVEL="INFO",
        KINDRED_SAMPLE_DATA="false",  # a fresh district: nothing to embed at start, so it is up in seconds
        KINDRED_INTENT_DETECTOR="phrases",  # no detector to train at start
        SLACK_BOT_TOKEN="xoxb-e2e",
        SLACK_SIGNING_SECRET=SECRET,
        HF_HUB_OFFLINE="1",
        TRANSFORMERS_OFFLINE="1",
        PYTHONPATH=os.pathsep.join(filter(None, [str(Path(__file__).parents[2]), env.get("PYTHONPATH")])),
    )
    log = tmp_path / "kindred.log"
    with log.open("wb") as out:
        process = subprocess.Popen(
            [sys.executable, "-m", "bot", "run", "--platform", "slack"],
            cwd=tmp_path,  # no developer .env
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    child = Kindred(process, port, log)
    try:
        await child.wait_until_up(60)
        yield child
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def command(fake: FakeSlack, text: str, user: str) -> str:
    return urlencode(
        {
            "team_id": TEAM,
            "channel_id": "CGENERAL01",
            "user_id": user,
            "command": "/ask",
            "text": text,
            "api_app_id": "A1",
            "response_url": fake.response_url("ask"),
            "trigger_id": "1.2.3",
        }
    )


def message_event(thread_ts: str, ts: str, text: str, user: str) -> str:
    event = {
        "type": "message",
        "channel": HELP,
        "channel_type": "channel",
        "user": user,
        "text": text,
        "ts": ts,
        "thread_ts": thread_ts,
        "parent_user_id": "UBOT",
        "team": TEAM,
        "event_ts": ts,
    }
    envelope = {
        "team_id": TEAM,
        "api_app_id": "A1",
        "event": event,
        "type": "event_callback",
        "event_id": "EvE2E0001",
        "event_time": int(time.time()),
        "authorizations": [{"team_id": TEAM, "user_id": "UBOT", "is_bot": True}],
    }
    return json.dumps(envelope)


async def test_anonymous_ask_post_and_relayed_reply_in_a_real_process(
    kindred: Kindred, fake: FakeSlack
) -> None:
    started = time.monotonic()
    assert (
        await kindred.signed(command(fake, f"anon {QUESTION}", ASKER), "application/x-www-form-urlencoded")
        == 200
    )
    (answer,) = await until(lambda: fake.of("response_url"), 20, "the private answer")
    assert "posted anonymously" in answer.params["text"]

    posts = await until(
        lambda: [c for c in fake.of("chat.postMessage") if c.params["channel"] == HELP], 20, "the #help post"
    )
    public = posts[0].params["text"]
    assert QUESTION in public and "Priya" not in public and ASKER not in public
    post_ts = fake.messages[HELP][0]["ts"]
    posted_after = time.monotonic() - started

    await asyncio.sleep(0.5)  # the listener records the post's ts right after chat.postMessage answers
    replied = time.monotonic()
    assert (
        await kindred.signed(
            message_event(post_ts, "1700000999.000100", ANSWER, COLLEAGUE), "application/json"
        )
        == 200
    )
    dms = await until(
        lambda: [c for c in fake.of("chat.postMessage") if c.params["channel"] == ASKER], 10, "the asker's DM"
    )
    relayed = time.monotonic() - replied
    body = dms[0].params["text"]
    assert ANSWER.split(",")[0] in body and "Maria Lopez" in body and "Did this help?" in body, body
    assert f"/archives/{HELP}/p1700000999000100" in body
    print(f"\n#help post {posted_after:.1f} s after /ask; DM {relayed:.2f} s after the reply event")
    log = kindred.log.read_text()
    assert "Priya" not in log and ASKER not in log, "the asker's identity is never logged"
