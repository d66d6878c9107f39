"""Real ``kindred run --platform slack`` OS processes for tests: HTTP mode, own data dirs, one database,
the hashing embedder (ready in about a second) and a local fake Web API."""

from __future__ import annotations

import asyncio
import itertools
import json
import os
import socket
import subprocess
import sys
import time
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import aiohttp

from tests.platforms.slack.conftest import SECRET, block_actions, signed_headers
from tests.platforms.slack.fake_slack import FakeSlack

ROOT = Path(__file__).resolve().parents[2]
_IDS = itertools.count(1)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class KindredProcess:
    """One ``python -m bot run --platform slack`` child; its log goes to ``<data dir>/stdout.log``."""

    def __init__(self, name: str, data_dir: Path, database_url: str, fake: FakeSlack, **env: str) -> None:
        self.name = name
        self.data_dir = data_dir
        self.port = free_port()
        self.fake = fake
        self.env = {
            **{k: v for k, v in os.environ.items() if not k.startswith(("KINDRED_", "SLACK_", "DISCORD_"))},
            "PYTHONPATH": str(ROOT),
            "HF_HUB_OFFLINE": "1",
            "TRANSFORMERS_OFFLINE": "1",
            "KINDRED_DATA_DIR": str(data_dir),
            "KINDRED_DATABASE_URL": database_url,
            "KINDRED_MODEL": "hashing",
            "KINDRED_SAMPLE_DATA": "false",
            "KINDRED_HTTP_PORT": str(self.port),
            "KINDRED_SLACK_API_URL": fake.base_url,
            "SLACK_BOT_TOKEN": "xoxb-test",
            "SLACK_SIGNING_SECRET": SECRET,
            **env,
        }
        self.child: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> KindredProcess:
        self.data_dir.mkdir(parents=True, exist_ok=True)
        log = open(self.data_dir / "stdout.log", "ab")  # noqa: SIM115 (the child owns it)
        self.child = subprocess.Popen(
            [sys.executable, "-m", "bot", "run", "--platform", "slack"],
            cwd=self.data_dir,
            env=self.env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        log.close()
        return self

    async def ready(self, timeout: float = 60) -> float:
        """Wait for /healthz to answer 200; returns seconds waited."""
        started = time.monotonic()
        async with aiohttp.ClientSession() as session:
            while time.monotonic() - started < timeout:
                assert self.child is not None and self.child.poll() is None, self.output()
                try:
                    async with session.get(f"{self.url}/healthz") as response:
                        if response.status == 200:
                            return time.monotonic() - started
                except aiohttp.ClientError:
                    pass
                await asyncio.sleep(0.1)
        raise AssertionError(f"{self.name} never became ready:\n{self.output()}")

    def stop(self) -> None:
        if self.child is not None and self.child.poll() is None:
            self.child.terminate()
            try:
                self.child.wait(10)
            except subprocess.TimeoutExpired:
                self.child.kill()
                self.child.wait()
        self.child = None

    def output(self) -> str:
        path = self.data_dir / "stdout.log"
        return path.read_text(errors="replace")[-3000:] if path.exists() else ""

    def log_messages(self) -> list[str]:
        path = self.data_dir / "kindred.log"
        return path.read_text(errors="replace").splitlines() if path.exists() else []

    async def press(self, button: dict[str, Any], user: str, team: str = "T1") -> str:
        """``user`` presses ``button`` (a signed ``block_actions``); returns what reached its response_url."""
        reply_to = f"{self.name}-{next(_IDS)}"
        payload = block_actions(button, user, self.fake.response_url(reply_to))
        payload["team"], payload["user"]["team_id"] = {"id": team}, team
        return await self._post(urlencode({"payload": json.dumps(payload)}), "button", reply_to)

    async def command(self, name: str, text: str, user: str, team: str = "T1") -> str:
        """A signed slash command; returns what reached its response_url (JSON), waiting up to 10 s."""
        reply_to = f"{self.name}-{next(_IDS)}"
        body = urlencode(
            {
                "team_id": team,
                "channel_id": "CGENERAL01",
                "user_id": user,
                "command": f"/{name}",
                "text": text,
                "api_app_id": "A1",
                "response_url": self.fake.response_url(reply_to),
                "trigger_id": f"99.{os.getpid()}.{next(_IDS)}",
            }
        )
        return await self._post(body, f"/{name}", reply_to)

    async def _post(self, body: str, what: str, reply_to: str) -> str:
        headers = signed_headers(body, "application/x-www-form-urlencoded")
        async with (
            aiohttp.ClientSession() as session,
            session.post(f"{self.url}/slack/events", data=body.encode(), headers=headers) as response,
        ):
            assert response.status == 200, f"{response.status} {await response.text()}\n{self.output()}"
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            for call in self.fake.of("response_url"):
                if call.token == reply_to:
                    return json.dumps(call.params)
            await asyncio.sleep(0.01)
        raise AssertionError(f"no answer to {what} from {self.name}:\n{self.output()}")
