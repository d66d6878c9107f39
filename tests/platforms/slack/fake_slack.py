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


def _is_reply(message: dict[str, Any]) -> bool:
    return bool(message.get("thread_ts")) and message["thread_ts"] != message["ts"]


def _within(messages: list[dict[str, Any]], params: dict[str, Any]) -> list[dict[str, Any]]:
    """Slack's oldest/latest window (exclusive unless ``inclusive``)."""
    inclusive = str(params.get("inclusive", "")).lower() in ("1", "true")
    oldest, latest = params.get("oldest"), params.get("latest")

    def keep(m: dict[str, Any]) -> bool:
        ts = float(m["ts"])
        low = oldest is None or (ts >= float(oldest) if inclusive else ts > float(oldest))
        high = latest is None or (ts <= float(latest) if inclusive else ts < float(latest))
        return low and high

    return [m for m in messages if keep(m)]


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
        self.usergroups: dict[str, list[str]] = {}  # usergroup id -> member ids (usergroups.users.list)
        self.channels: list[dict[str, Any]] = [{"id": "CHELP00001", "name": "help"}]
        self.rate_limit_once: set[str] = set()  # methods answering 429 + Retry-After once
        self.fail_once: dict[str, str] = {}  # method -> Slack error answered once (ok: false)
        # Fault injection, per method: answer after ``slow`` seconds; answer HTTP ``status_faults`` in turn
        # (500, or 429 with Retry-After ``retry_after``); ``drop_after_receive`` times: take the post (it
        # lands) and then drop the connection without answering.
        self.slow: dict[str, float] = {}
        self.status_faults: dict[str, list[int]] = {}
        self.retry_after = "0"
        self.drop_after_receive: dict[str, int] = {}
        self.messages: dict[str, list[dict[str, Any]]] = {}  # channel -> posts that landed, oldest first
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
        if method in self.slow:
            await asyncio.sleep(self.slow[method])
        faults = self.status_faults.get(method)
        if faults:
            status = faults.pop(0)
            headers = {"Retry-After": self.retry_after} if status == 429 else {}
            error = "ratelimited" if status == 429 else "internal_error"
            return web.json_response({"ok": False, "error": error}, status=status, headers=headers)
        if self.drop_after_receive.get(method):
            self.drop_after_receive[method] -= 1
            self._answer(method, params)  # it landed...
            assert request.transport is not None
            request.transport.abort()  # ...but the answer never reaches the client
            return web.Response()
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
                "user": {
                    "id": user,
                    "tz": info["tz"],
                    "profile": {
                        "real_name": info["real_name"],
                        **({"email": info["email"]} if "email" in info else {}),
                    },
                },
            }
        if method == "users.lookupByEmail":
            email = str(params.get("email", "")).lower()
            for user_id, info in self.users.items():
                if str(info.get("email", "")).lower() == email and not info.get("deleted"):
                    return {"ok": True, "user": self._user(user_id, info)}
            return {"ok": False, "error": "users_not_found"}
        if method == "usergroups.users.list":
            return {"ok": True, "users": self.usergroups.get(str(params.get("usergroup", "")), [])}
        if method == "users.list":
            return self._users_page(params)
        if method == "conversations.list":
            return {"ok": True, "channels": self.channels, "response_metadata": {"next_cursor": ""}}
        if method == "chat.postMessage":
            channel, ts = str(params.get("channel")), f"1700000000.{next(self._ts):06d}"
            metadata = params.get("metadata")
            if isinstance(metadata, str):
                metadata = json.loads(metadata)
            self.messages.setdefault(channel, []).append(
                {
                    "ts": ts,
                    "thread_ts": params.get("thread_ts"),
                    "text": params.get("text"),
                    "metadata": metadata,
                }
            )
            return {"ok": True, "channel": channel, "ts": ts}
        if method == "conversations.history":  # top-level messages, newest first, within oldest..latest
            posts = [m for m in self.messages.get(str(params.get("channel")), []) if not _is_reply(m)]
            history = list(reversed(_within(posts, params)))
            return {"ok": True, "messages": history[: int(params.get("limit") or 100)], "has_more": False}
        if method == "conversations.replies":  # the thread's parent first, then its replies
            ts = params.get("ts")
            posts = self.messages.get(str(params.get("channel")), [])
            thread = [m for m in posts if m["ts"] == ts or m["thread_ts"] == ts]
            if thread and _is_reply(thread[0]):  # the ts of a reply: Slack answers with that message
                thread = thread[:1]
            thread = _within(thread, params)
            return {"ok": True, "messages": thread[: int(params.get("limit") or 1000)]}
        if method == "conversations.open":
            return {"ok": True, "channel": {"id": "D" + str(params.get("users", "")).split(",")[0]}}
        if method == "chat.postEphemeral":
            return {"ok": True, "message_ts": f"1700000000.{next(self._ts):06d}"}
        if method in ("views.open", "views.publish"):
            return {"ok": True, "view": {"id": "V1", **(params.get("view") or {})}}
        return {"ok": True}

    def _user(self, user_id: str, info: dict[str, Any]) -> dict[str, Any]:
        profile = {"real_name": info.get("real_name", user_id), "email": info.get("email", "")}
        flags = {k: info[k] for k in ("is_bot", "deleted") if k in info}
        return {
            "id": user_id,
            "team_id": "T1",
            "tz": info.get("tz", "America/Chicago"),
            "profile": profile,
            **flags,
        }

    def _users_page(self, params: dict[str, Any], page: int = 2) -> dict[str, Any]:
        """users.list, ``page`` members at a time, so cursors are exercised."""
        ids = sorted(self.users)
        start = int(params.get("cursor") or 0)
        members = [self._user(i, self.users[i]) for i in ids[start : start + page]]
        cursor = str(start + page) if start + page < len(ids) else ""
        return {"ok": True, "members": members, "response_metadata": {"next_cursor": cursor}}

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

    def seed(self, channel: str, ts: str, user: str, text: str, thread_ts: str | None = None) -> None:
        """A person's message already in ``channel`` (for conversations.history/replies to find)."""
        message = {"type": "message", "ts": ts, "thread_ts": thread_ts, "user": user, "text": text}
        self.messages.setdefault(channel, []).append(message)
        self.messages[channel].sort(key=lambda m: float(m["ts"]))

    # --- assertions ------------------------------------------------------------------------------

    def landed(self) -> list[dict[str, Any]]:
        """Every post Slack took, whether or not its answer got back (dropped connections included)."""
        return [m for posts in self.messages.values() for m in posts]

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
