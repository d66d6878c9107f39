"""A local fake of the Slack Web API (and of response_url endpoints) that records every call."""

from __future__ import annotations

import asyncio
import base64
import itertools
import json
import time
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl

from aiohttp import web


@dataclass
class Call:
    method: str  # "chat.postMessage", or "response_url" for webhook posts
    params: dict[str, Any]
    at: float = field(default_factory=time.monotonic)
    token: str | None = None  # the bearer token the call carried


class FakeSlack:
    def __init__(self) -> None:
        self.calls: list[Call] = []
        self.users: dict[str, dict[str, Any]] = {}
        self.channels: list[dict[str, Any]] = [{"id": "CHELP00001", "name": "help"}]
        self.rate_limit_once: set[str] = set()  # methods answering 429 + Retry-After once
        self.fail_once: dict[str, str] = {}  # method -> Slack error answered once (ok: false)
        # OAuth: code -> the oauth.v2.access answer Slack gives for it (see ``grant``); bot token -> team
        self.oauth_codes: dict[str, dict[str, Any]] = {}
        self.bot_teams: dict[str, str] = {}
        self._ts = itertools.count(1)
        self._runner: web.AppRunner | None = None
        self.port = 0

    # --- server ----------------------------------------------------------------------------------

    async def start(self) -> None:
        app = web.Application()
        app.router.add_route("*", "/api/{method}", self._api)
        app.router.add_post("/response/{token}", self._response_url)
        self._runner = web.AppRunner(app)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        self.port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]

    async def stop(self) -> None:
        if self._runner:
            await self._runner.cleanup()

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/api/"

    def response_url(self, token: str = "abc") -> str:
        return f"http://127.0.0.1:{self.port}/response/{token}"

    async def _params(self, request: web.Request) -> dict[str, Any]:
        params: dict[str, Any] = dict(request.query)
        raw = await request.text()
        if raw:
            if request.content_type == "application/json":
                params.update(json.loads(raw))
            else:
                params.update(dict(parse_qsl(raw)))
        for key in ("blocks", "view"):
            if isinstance(params.get(key), str):
                params[key] = json.loads(params[key])
        return params

    async def _api(self, request: web.Request) -> web.Response:
        method = request.match_info["method"]
        params = await self._params(request)
        auth = request.headers.get("Authorization", "")
        token = auth.removeprefix("Bearer ") if auth.startswith("Bearer ") else params.get("token")
        if auth.startswith("Basic "):
            params["_basic_auth"] = base64.b64decode(auth.removeprefix("Basic ")).decode()
        self.calls.append(Call(method, params, token=token))
        if method in self.rate_limit_once:
            self.rate_limit_once.discard(method)
            return web.json_response(
                {"ok": False, "error": "ratelimited"}, status=429, headers={"Retry-After": "1"}
            )
        if method in self.fail_once:
            return web.json_response({"ok": False, "error": self.fail_once.pop(method)})
        return web.json_response(self._answer(method, params, token))

    async def _response_url(self, request: web.Request) -> web.Response:
        params = await self._params(request)  # token: the response_url's own path part
        self.calls.append(Call("response_url", params, token=request.match_info["token"]))
        return web.Response(text="ok")

    def _answer(self, method: str, params: dict[str, Any], token: str | None = None) -> dict[str, Any]:
        if method == "auth.test":
            team = self.bot_teams.get(token or "", "T1")
            return {"ok": True, "user_id": "UBOT", "bot_id": "BBOT", "team_id": team, "user": "kindred"}
        if method == "oauth.v2.access":  # client id and secret come as HTTP Basic auth
            grant = self.oauth_codes.pop(str(params.get("code") or ""), None)  # a code works once
            if grant is None or params.get("_basic_auth", "").partition(":")[2] != grant["_secret"]:
                return {"ok": False, "error": "invalid_code"}
            return {k: v for k, v in grant.items() if k != "_secret"}
        if method == "users.info":
            user = params.get("user", "")
            info = self.users.get(user, {"real_name": user, "tz": "America/Chicago"})
            return {
                "ok": True,
                "user": {"id": user, "tz": info["tz"], "profile": {"real_name": info["real_name"]}},
            }
        if method == "conversations.list":
            return {"ok": True, "channels": self.channels, "response_metadata": {"next_cursor": ""}}
        if method == "chat.postMessage":
            return {"ok": True, "channel": params.get("channel"), "ts": f"1700000000.{next(self._ts):06d}"}
        if method == "conversations.open":
            return {"ok": True, "channel": {"id": "D" + str(params.get("users", "")).split(",")[0]}}
        if method == "chat.postEphemeral":
            return {"ok": True, "message_ts": f"1700000000.{next(self._ts):06d}"}
        if method in ("views.open", "views.publish"):
            return {"ok": True, "view": {"id": "V1", **(params.get("view") or {})}}
        return {"ok": True}

    # --- OAuth ------------------------------------------------------------------------------------

    def grant(self, code: str, team_id: str | None, secret: str, enterprise_id: str | None = None) -> str:
        """Make ``code`` exchangeable (once) for a bot token of ``team_id`` (or, with no team and an
        ``enterprise_id``, an org-wide Enterprise Grid install); returns that token."""
        token = f"xoxb-{team_id or enterprise_id}"
        org = enterprise_id is not None and team_id is None
        self.oauth_codes[code] = {
            "_secret": secret,
            "ok": True,
            "app_id": "A1",
            "access_token": token,
            "token_type": "bot",
            "scope": "commands,chat:write",
            "bot_user_id": "UBOT",
            "team": {"id": team_id, "name": f"School {team_id}"} if team_id else None,
            "enterprise": {"id": enterprise_id, "name": "District"} if enterprise_id else None,
            "is_enterprise_install": org,
            "authed_user": {"id": "UINSTALLER"},
        }
        self.bot_teams[token] = team_id or enterprise_id or ""
        return token

    def tokens(self, method: str) -> list[str | None]:
        return [c.token for c in self.of(method)]

    # --- assertions ------------------------------------------------------------------------------

    def of(self, method: str) -> list[Call]:
        return [c for c in self.calls if c.method == method]

    async def wait_for(self, method: str, count: int = 1, timeout: float = 10.0) -> list[Call]:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            found = self.of(method)
            if len(found) >= count:
                return found
            await asyncio.sleep(0.02)
        raise AssertionError(f"expected {count} {method} call(s); got {[c.method for c in self.calls]}")
