"""Slack app distribution end to end: two schools install Kindred through the real /slack/install and
/slack/oauth_redirect routes (state cookie, redirect, a fake ``oauth.v2.access``), a signed /ask from each
finds only its own colleagues with its own bot token, follow-ups use the right token, and uninstalling one
school leaves the other working. An Enterprise Grid org-wide install works the same way."""

from __future__ import annotations

import asyncio
import itertools
import json
import re
import socket
import time
from collections.abc import AsyncIterator, Callable
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlencode, urlparse

import aiohttp
import pytest
import yaml
from aiohttp.test_utils import TestClient, TestServer
from slack_bolt.adapter.socket_mode import async_handler
from sqlalchemy import func, select

from bot.bootstrap import App
from bot.domain.replies import Reply
from bot.platforms.slack.app_factory import build_bolt_app
from bot.platforms.slack.oauth import SCOPES
from bot.platforms.slack.runner import EVENTS_PATH, build_web_app, run, workspace_clients
from bot.platforms.slack.sender import SlackSender
from bot.scheduling.sender import DeliveryError
from bot.storage.models import SLACK_BOTS, SLACK_INSTALLATIONS, SLACK_OAUTH_STATES
from bot.storage.repositories import TeacherRepository
from tests.platforms.slack.conftest import SECRET, signed_headers
from tests.platforms.slack.fake_slack import FakeSlack

CLIENT_ID = "111.222"
CLIENT_SECRET = "oauth-client-secret"
_TRIGGERS = itertools.count(1)
QUESTION = "How do I teach equivalent fractions hands-on to 4th graders?"
PROFILE = {
    "subjects": ["math"],
    "grades": ["4"],
    "interests": ["manipulatives", "fractions", "number talks"],
    "bio": "I teach 4th grade math and make fractions concrete with fraction strips and paper folding.",
    "open_to_help": True,
    "onboarded": True,
}
# Same profile in both schools: only the workspace tells them apart.
COLLEAGUES = {"T1": ("UMARIA01", "Maria Lopez"), "T2": ("UPRIYA02", "Priya Shah")}
ASKERS = {"T1": "UASKER01", "T2": "UASKER02", "T3": "WASKER03"}


class Installs:
    def __init__(self, client: TestClient, fake: FakeSlack, app: App) -> None:
        self.client = client
        self.fake = fake
        self.app = app

    async def install(self, code: str, team_id: str | None, enterprise_id: str | None = None) -> str:
        """What an admin's browser does: open the install page, follow Slack back to the redirect."""
        token = self.fake.grant(code, team_id, CLIENT_SECRET, enterprise_id)
        page = await self.client.get("/slack/install")
        assert page.status == 200
        cookie = page.headers["Set-Cookie"].split(";")[0]
        (authorize_url,) = set(
            re.findall(r'href="(https://slack.com/oauth/v2/authorize[^"]+)"', await page.text())
        )
        query = parse_qs(urlparse(authorize_url.replace("&amp;", "&")).query)
        assert query["client_id"] == [CLIENT_ID]
        assert query["scope"] == [",".join(SCOPES)]
        state = query["state"][0]
        assert cookie == f"slack-app-oauth-state={state}"
        done = await self.client.get(
            "/slack/oauth_redirect", params={"code": code, "state": state}, headers={"Cookie": cookie}
        )
        assert done.status == 200, await done.text()
        return token

    async def ask(self, team_id: str, enterprise_id: str | None = None):  # type: ignore[no-untyped-def]
        body = urlencode(
            {
                "team_id": team_id,
                "enterprise_id": enterprise_id or "",
                "channel_id": "CGENERAL01",
                "user_id": ASKERS[team_id],
                "command": "/ask",
                "text": QUESTION,
                "api_app_id": "A1",
                "is_enterprise_install": "true" if enterprise_id else "false",
                "response_url": self.fake.response_url(team_id),
                "trigger_id": f"1337.42.{next(_TRIGGERS)}",  # unique per request, as Slack's are
            }
        )
        return await self.client.post(
            EVENTS_PATH, data=body, headers=signed_headers(body, "application/x-www-form-urlencoded")
        )

    async def answer(self, team_id: str, key: str = "blocks") -> str:
        """What was posted to this ask's response_url (the ephemeral suggestions' blocks)."""
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            for call in self.fake.of("response_url"):
                if call.token == team_id:
                    return json.dumps(call.params[key])
            await asyncio.sleep(0.02)
        raise AssertionError(f"no answer for {team_id}")

    async def event(self, team_id: str, event: dict[str, Any], enterprise_id: str | None = None):  # type: ignore[no-untyped-def]
        org = enterprise_id is not None
        envelope = {
            "team_id": team_id,
            "enterprise_id": enterprise_id,
            "api_app_id": "A1",
            "event": event,
            "type": "event_callback",
            "event_id": f"Ev{team_id}{event['type']}",
            "event_time": int(time.time()),
            "is_ext_shared_channel": False,
            "authorizations": [
                {"team_id": team_id, "enterprise_id": enterprise_id, "is_enterprise_install": org}
            ],
        }
        body = json.dumps(envelope)
        return await self.client.post(
            EVENTS_PATH, data=body, headers=signed_headers(body, "application/json")
        )

    async def until(self, done: Callable[[], bool]) -> None:
        """Events are acknowledged first and handled after: wait (bounded) for their effect."""
        deadline = time.monotonic() + 10
        while not done():
            assert time.monotonic() < deadline, "the event was never handled"
            await asyncio.sleep(0.02)

    def count(self, table) -> int:  # type: ignore[no-untyped-def]
        with self.app.db.engine.connect() as connection:
            return connection.scalar(select(func.count()).select_from(table))


@pytest.fixture
async def installs(app: App) -> AsyncIterator[Installs]:
    fake = FakeSlack()
    await fake.start()
    app.settings = app.settings.model_copy(
        update={
            "slack_bot_token": None,
            "slack_client_id": CLIENT_ID,
            "slack_client_secret": CLIENT_SECRET,
            "slack_signing_secret": SECRET,
        }
    )
    with app.db.session() as session:
        repo = TeacherRepository(session)
        for team_id, (user_id, name) in COLLEAGUES.items():
            repo.upsert("slack", user_id, {**PROFILE, "name": name, "workspace_id": team_id})
    app.indexer.prepare()
    bolt_app = build_bolt_app(app, base_url=fake.base_url)
    client = TestClient(TestServer(build_web_app(bolt_app, app)))
    await client.start_server()
    harness = Installs(client, fake, app)
    harness.bolt_app = bolt_app  # type: ignore[attr-defined]
    yield harness
    await client.close()
    await fake.stop()


async def test_two_schools_install_ask_and_one_uninstalls(installs: Installs) -> None:
    fake = installs.fake
    token_1 = await installs.install("code-1", "T1")
    token_2 = await installs.install("code-2", "T2")
    assert installs.count(SLACK_INSTALLATIONS) == 2
    assert installs.count(SLACK_BOTS) == 2
    assert installs.count(SLACK_OAUTH_STATES) == 0, "each state is consumed once"
    exchange = fake.of("oauth.v2.access")
    assert [c.params["_basic_auth"] for c in exchange] == [f"{CLIENT_ID}:{CLIENT_SECRET}"] * 2

    for team_id, mine, theirs in (("T1", "UMARIA01", "UPRIYA02"), ("T2", "UPRIYA02", "UMARIA01")):
        response = await installs.ask(team_id)
        assert response.status == 200
        text = await installs.answer(team_id)
        assert f"<@{mine}>" in text, f"{team_id} should meet its own colleague"
        assert f"<@{theirs}>" not in text, f"{team_id} must never see another school's teachers"
    users_info = {c.params["user"]: c.token for c in fake.of("users.info")}
    assert users_info == {"UASKER01": token_1, "UASKER02": token_2}, "each school's own bot token"

    # follow-ups started by the dispatcher (no Slack request) use the workspace's token too
    sender = SlackSender(
        installs.bolt_app.client,  # type: ignore[attr-defined]
        asyncio.get_running_loop(),
        workspaces=workspace_clients(installs.bolt_app, installs.app),  # type: ignore[attr-defined]
    )
    await sender.deliver("UPRIYA02", Reply("Did anyone help?"))
    await sender.post("T1", Reply("A question for #help"))
    dm, post = fake.of("chat.postMessage")[-2:]
    assert (dm.params["channel"], dm.token) == ("DUPRIYA02", token_2)
    assert (post.params["channel"], post.token) == ("CHELP00001", token_1)

    # T1 uninstalls: its installation is gone, T2 keeps working
    assert (await installs.event("T1", {"type": "app_uninstalled"})).status == 200
    await installs.until(lambda: installs.count(SLACK_BOTS) + installs.count(SLACK_INSTALLATIONS) == 2)
    assert installs.count(SLACK_INSTALLATIONS) == 1
    assert installs.count(SLACK_BOTS) == 1
    fake.calls.clear()
    assert (await installs.ask("T1")).status == 200
    assert "reinstall" in await installs.answer("T1", key="text"), "told (privately) to reinstall"
    assert (await installs.ask("T2")).status == 200
    assert "<@UPRIYA02>" in await installs.answer("T2")
    assert not [c for c in fake.calls if c.token == token_1], "an uninstalled workspace's token is not used"
    with pytest.raises(DeliveryError) as raised:
        await sender.post("T1", Reply("A question for #help"))
    assert not raised.value.retryable


async def test_a_forged_or_replayed_state_installs_nothing(installs: Installs) -> None:
    installs.fake.grant("code-x", "T9", CLIENT_SECRET)
    page = await installs.client.get("/slack/install")
    cookie = page.headers["Set-Cookie"].split(";")[0]
    state = cookie.split("=", 1)[1]
    wrong_browser = await installs.client.get(
        "/slack/oauth_redirect", params={"code": "code-x", "state": state}
    )
    assert wrong_browser.status == 400  # no state cookie: another browser
    forged = await installs.client.get(
        "/slack/oauth_redirect",
        params={"code": "code-x", "state": "forged"},
        headers={"Cookie": "slack-app-oauth-state=forged"},
    )
    assert forged.status == 401
    assert installs.count(SLACK_INSTALLATIONS) == 0
    assert not installs.fake.of("oauth.v2.access"), "the code is never exchanged without a valid state"


async def test_tokens_revoked_deletes_the_bot(installs: Installs) -> None:
    await installs.install("code-1", "T1")
    event = {"type": "tokens_revoked", "tokens": {"bot": ["UBOT"]}}
    assert (await installs.event("T1", event)).status == 200
    await installs.until(lambda: installs.count(SLACK_BOTS) == 0)
    assert installs.count(SLACK_BOTS) == 0
    assert (await installs.ask("T1")).status == 200
    assert "reinstall" in await installs.answer("T1", key="text")


async def test_an_org_wide_enterprise_install_serves_its_workspaces(installs: Installs) -> None:
    token = await installs.install("code-org", None, enterprise_id="E1")
    with installs.app.db.session() as session:
        TeacherRepository(session).upsert(
            "slack", "WCOLLEAGUE", {**PROFILE, "name": "Grid Colleague", "workspace_id": "T3"}
        )
    installs.app.indexer.prepare()
    assert (await installs.ask("T3", enterprise_id="E1")).status == 200
    text = await installs.answer("T3")
    assert "<@WCOLLEAGUE>" in text
    assert "<@UMARIA01>" not in text and "<@UPRIYA02>" not in text
    assert {c.token for c in installs.fake.of("users.info")} == {token}

    clients = workspace_clients(installs.bolt_app, installs.app)  # type: ignore[attr-defined]
    assert clients is not None
    org_client = await clients.for_team("T3")
    assert org_client is not None and org_client.token == token

    uninstall = await installs.event("T3", {"type": "app_uninstalled"}, enterprise_id="E1")
    assert uninstall.status == 200
    await installs.until(lambda: installs.count(SLACK_BOTS) + installs.count(SLACK_INSTALLATIONS) == 0)
    assert installs.count(SLACK_INSTALLATIONS) == 0
    assert await clients.for_team("T3") is None


def test_the_oauth_scopes_are_the_manifests(app: App) -> None:
    with open(Path(__file__).parents[3] / "config" / "slack-manifest.yml") as file:
        manifest = yaml.safe_load(file)
    assert tuple(manifest["oauth_config"]["scopes"]["bot"]) == SCOPES


def test_a_single_bot_token_still_runs_without_oauth(app: App) -> None:
    app.settings = app.settings.model_copy(
        update={"slack_bot_token": "xoxb-one", "slack_signing_secret": "s"}
    )
    bolt_app = build_bolt_app(app)
    assert bolt_app.oauth_flow is None and bolt_app.installation_store is None
    assert workspace_clients(bolt_app, app) is None
    routes = {r.resource.canonical for r in build_web_app(bolt_app, app).router.routes()}  # type: ignore[union-attr]
    assert "/slack/install" not in routes


async def test_socket_mode_with_oauth_still_serves_the_install_routes(
    app: App, monkeypatch: pytest.MonkeyPatch
) -> None:
    connected: list[str] = []

    class FakeSocket:
        def __init__(self, bolt_app, app_token: str) -> None:  # type: ignore[no-untyped-def]
            self.app_token = app_token

        async def connect_async(self) -> None:
            connected.append(self.app_token)

        async def close_async(self) -> None:
            connected.append("closed")

    monkeypatch.setattr(async_handler, "AsyncSocketModeHandler", FakeSocket)
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    app.settings = app.settings.model_copy(
        update={
            "slack_app_token": "xapp-1",
            "slack_client_id": CLIENT_ID,
            "slack_client_secret": CLIENT_SECRET,
            "slack_signing_secret": SECRET,
            "http_port": port,
        }
    )
    task = asyncio.create_task(run(app))
    try:
        async with aiohttp.ClientSession() as session:
            for _ in range(200):
                try:
                    async with session.get(f"http://127.0.0.1:{port}/slack/install") as page:
                        assert page.status == 200
                        assert "slack.com/oauth/v2/authorize" in await page.text()
                        break
                except aiohttp.ClientConnectionError:
                    await asyncio.sleep(0.05)
            else:
                pytest.fail("the install route was never served")
        assert connected == ["xapp-1"], "the socket is connected too"
    finally:
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task
    assert connected == ["xapp-1", "closed"]
