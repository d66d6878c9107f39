"""A local fake of Discord's REST API (aiohttp on 127.0.0.1) plus raw gateway payload builders.

discord.py talks to it through its real HTTP client and webhook adapter (``Route.BASE`` is pointed
here), so tests see exactly what the bot would send: interaction callbacks, follow-up webhooks,
channel messages, DMs and command syncs.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import re
import time
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web
from aiohttp.test_utils import TestServer

APP_ID = 700000000000000001
BOT_ID = 700000000000000002
GUILD_ID = 800000000000000001
GENERAL_ID = 800000000000000010
HELP_ID = 800000000000000011
USER_ID = 900000000000000001
BOT_USER = {"id": str(BOT_ID), "username": "Kindred", "discriminator": "0", "avatar": None, "bot": True}

_ids = itertools.count(1_000_000_000_000_000_000)


def snowflake() -> str:
    return str(next(_ids))


def user_payload(user_id: int | str, name: str = "teacher", bot: bool = False) -> dict[str, Any]:
    return {
        "id": str(user_id),
        "username": name,
        "global_name": name.title(),
        "discriminator": "0",
        "avatar": None,
        "bot": bot,
    }


def member_payload(user_id: int | str, name: str = "teacher") -> dict[str, Any]:
    return {
        "user": user_payload(user_id, name),
        "roles": [],
        "joined_at": "2024-01-01T00:00:00+00:00",
        "deaf": False,
        "mute": False,
        "flags": 0,
        "permissions": "2248473465835073",
    }


def channel_payload(channel_id: int, name: str, position: int = 0) -> dict[str, Any]:
    return {
        "id": str(channel_id),
        "type": 0,
        "guild_id": str(GUILD_ID),
        "name": name,
        "position": position,
        "permission_overwrites": [],
        "nsfw": False,
        "parent_id": None,
    }


def guild_payload(channels: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    if channels is None:
        channels = [channel_payload(GENERAL_ID, "general", 0), channel_payload(HELP_ID, "help", 1)]
    return {
        "id": str(GUILD_ID),
        "name": "Maple Elementary",
        "icon": None,
        "owner_id": str(USER_ID),
        "roles": [
            {
                "id": str(GUILD_ID),
                "name": "@everyone",
                "permissions": "2248473465835073",
                "position": 0,
                "color": 0,
                "hoist": False,
                "managed": False,
                "mentionable": False,
                "flags": 0,
            }
        ],
        "emojis": [],
        "stickers": [],
        "features": [],
        "channels": channels,
        "members": [],
        "threads": [],
        "member_count": 2,
        "verification_level": 0,
        "default_message_notifications": 0,
        "explicit_content_filter": 0,
        "mfa_level": 0,
        "premium_tier": 0,
        "preferred_locale": "en-US",
        "nsfw_level": 0,
    }


def message_payload(
    content: str,
    author: dict[str, Any] | None = None,
    channel_id: int = GENERAL_ID,
    guild_id: int | None = GUILD_ID,
    components: list[dict[str, Any]] | None = None,
    embeds: list[dict[str, Any]] | None = None,
    flags: int = 0,
    message_id: str | None = None,
) -> dict[str, Any]:
    data: dict[str, Any] = {
        "id": message_id or snowflake(),
        "channel_id": str(channel_id),
        "author": author or user_payload(USER_ID),
        "content": content,
        "timestamp": "2024-05-01T12:00:00+00:00",
        "edited_timestamp": None,
        "tts": False,
        "mention_everyone": False,
        "mentions": [],
        "mention_roles": [],
        "attachments": [],
        "embeds": embeds or [],
        "pinned": False,
        "type": 0,
        "flags": flags,
        "components": components or [],
    }
    if guild_id is not None:
        data["guild_id"] = str(guild_id)
    return data


def reaction_payload(
    message: dict[str, Any], emoji: str = "🙋", user_id: int = USER_ID, name: str = "teacher"
) -> dict[str, Any]:
    """A raw MESSAGE_REACTION_ADD gateway event: ``user_id`` added ``emoji`` to ``message``."""
    return {
        "user_id": str(user_id),
        "channel_id": message["channel_id"],
        "message_id": message["id"],
        "guild_id": str(GUILD_ID),
        "member": member_payload(user_id, name),
        "emoji": {"id": None, "name": emoji},
        "message_author_id": message["author"]["id"],
        "burst": False,
        "type": 0,
    }


def context_menu_interaction(
    name: str, target: dict[str, Any], user_id: int = USER_ID, channel_id: int = GENERAL_ID
) -> dict[str, Any]:
    """A message context menu command (type 3) on ``target``, as Discord sends it."""
    data = {
        "id": snowflake(),
        "name": name,
        "type": 3,
        "target_id": target["id"],
        "resolved": {"messages": {target["id"]: target}},
        "guild_id": str(GUILD_ID),
    }
    return _base_interaction(2, user_id, data, channel_id)


def _base_interaction(kind: int, user_id: int, data: dict[str, Any], channel_id: int) -> dict[str, Any]:
    return {
        "id": snowflake(),
        "application_id": str(APP_ID),
        "type": kind,
        "token": "tok-" + snowflake(),
        "version": 1,
        "guild_id": str(GUILD_ID),
        "channel_id": str(channel_id),
        "channel": channel_payload(channel_id, "general"),
        "member": member_payload(user_id),
        "app_permissions": "2248473465835073",
        "locale": "en-US",
        "guild_locale": "en-US",
        "entitlements": [],
        "authorizing_integration_owners": {"0": str(GUILD_ID)},
        "context": 0,
        "attachment_size_limit": 10_485_760,
        "data": data,
    }


def command_interaction(
    name: str, options: dict[str, Any], user_id: int = USER_ID, channel_id: int = GENERAL_ID
) -> dict[str, Any]:
    kinds = {bool: 5, int: 4, str: 3}
    opts = [{"name": k, "type": kinds[type(v)], "value": v} for k, v in options.items()]
    data = {"id": snowflake(), "name": name, "type": 1, "options": opts, "guild_id": str(GUILD_ID)}
    return _base_interaction(2, user_id, data, channel_id)


def button_interaction(
    custom_id: str, message: dict[str, Any], user_id: int = USER_ID, channel_id: int = GENERAL_ID
) -> dict[str, Any]:
    payload = _base_interaction(3, user_id, {"custom_id": custom_id, "component_type": 2}, channel_id)
    payload["message"] = message
    return payload


def modal_interaction(
    custom_id: str, values: dict[str, str], user_id: int = USER_ID, channel_id: int = GENERAL_ID
) -> dict[str, Any]:
    components = [
        {"type": 18, "id": i, "component": {"type": 4, "id": i + 100, "custom_id": k, "value": v}}
        for i, (k, v) in enumerate(values.items(), start=1)
    ]
    return _base_interaction(5, user_id, {"custom_id": custom_id, "components": components}, channel_id)


def _json(data: Any, status: int = 200) -> web.Response:
    # discord.py only parses bodies whose content type is exactly "application/json" (no charset).
    return web.Response(
        body=json.dumps(data).encode(), status=status, headers={"Content-Type": "application/json"}
    )


@dataclass
class Call:
    method: str
    path: str
    body: Any
    query: dict[str, str]
    at: float

    @property
    def json(self) -> dict[str, Any]:
        return self.body if isinstance(self.body, dict) else {}


@dataclass
class FakeDiscord:
    """Records every request; answers with minimal, valid Discord payloads."""

    calls: list[Call] = field(default_factory=list)
    forbidden_channels: set[str] = field(default_factory=set)
    recommended_shards: int = 1  # GET /gateway/bot
    stored: dict[str, dict[str, Any]] = field(default_factory=dict)  # message id -> payload (fetch_message)
    server: TestServer | None = None

    async def start(self) -> str:
        app = web.Application()
        app.router.add_route("*", "/api/v10/{tail:.*}", self._handle)
        self.server = TestServer(app, host="127.0.0.1")
        await self.server.start_server()
        return str(self.server.make_url("/api/v10"))

    async def close(self) -> None:
        if self.server is not None:
            await self.server.close()

    def seed(self, payload: dict[str, Any]) -> dict[str, Any]:
        """A message already in its channel, for GET /channels/{id}/messages/{id} to return."""
        self.stored[str(payload["id"])] = payload
        return payload

    # -- queries used by tests --

    def find(self, method: str, pattern: str) -> list[Call]:
        return [c for c in self.calls if c.method == method and re.search(pattern, c.path)]

    def interaction_callbacks(self) -> list[Call]:
        return self.find("POST", r"^/interactions/\d+/[^/]+/callback$")

    def followups(self) -> list[Call]:
        return self.find("POST", rf"^/webhooks/{APP_ID}/[^/]+$")

    def channel_messages(self, channel_id: int | str | None = None) -> list[Call]:
        pattern = rf"^/channels/{channel_id}/messages$" if channel_id else r"^/channels/\d+/messages$"
        return self.find("POST", pattern)

    async def wait_for(self, predicate, timeout: float = 5.0) -> None:  # type: ignore[no-untyped-def]
        deadline = time.monotonic() + timeout
        while not predicate():
            if time.monotonic() > deadline:
                raise AssertionError("timed out waiting for the bot to call Discord")
            await asyncio.sleep(0.01)

    # -- the fake API --

    async def _handle(self, request: web.Request) -> web.Response:
        path = "/" + request.match_info["tail"]
        raw = await request.read()
        body: Any = None
        if raw:
            try:
                body = json.loads(raw)
            except ValueError:
                body = raw.decode(errors="replace")
        self.calls.append(Call(request.method, path, body, dict(request.query), time.monotonic()))
        return self._answer(request.method, path, body)

    def _answer(self, method: str, path: str, body: Any) -> web.Response:
        if method == "GET" and path == "/users/@me":
            return _json(BOT_USER)
        if method == "GET" and path == "/gateway/bot":
            return _json(
                {
                    "url": "wss://gateway.invalid",
                    "shards": self.recommended_shards,
                    "session_start_limit": {"total": 1000, "remaining": 1000, "reset_after": 0},
                }
            )
        if method == "GET" and path == "/oauth2/applications/@me":
            return _json(
                {
                    "id": str(APP_ID),
                    "name": "Kindred",
                    "description": "",
                    "icon": None,
                    "bot_public": True,
                    "bot_require_code_grant": False,
                    "owner": user_payload(USER_ID),
                    "verify_key": "0" * 64,
                    "flags": 0,
                }
            )
        if method == "PUT" and re.fullmatch(r"/applications/\d+(/guilds/\d+)?/commands", path):
            return _json(
                [
                    {
                        "description": "",  # context menus have none
                        **cmd,
                        "id": snowflake(),
                        "application_id": str(APP_ID),
                        "version": "1",
                        "type": cmd.get("type", 1),
                    }
                    for cmd in body or []
                ]
            )
        if match := re.fullmatch(r"/interactions/(\d+)/[^/]+/callback", path):
            return _json({"interaction": {"id": match[1], "type": 2}, "resource": {"type": body["type"]}})
        if match := re.fullmatch(r"/channels/(\d+)/messages", path):
            if match[1] in self.forbidden_channels:
                return _json({"message": "Missing Permissions", "code": 50013}, status=403)
            return _json(self._message(body, match[1], BOT_USER))
        if re.fullmatch(rf"/webhooks/{APP_ID}/[^/]+", path):
            return _json(self._message(body, str(GENERAL_ID), BOT_USER))
        if method == "POST" and path == "/users/@me/channels":
            recipient = body["recipient_id"]
            return _json({"id": f"5{recipient}"[:19], "type": 1, "recipients": [user_payload(recipient)]})
        if method == "GET" and (match := re.fullmatch(r"/channels/(\d+)/messages/(\d+)", path)):
            found = self.stored.get(match[2])
            if found is None or found["channel_id"] != match[1]:
                return _json({"message": "Unknown Message", "code": 10008}, status=404)
            return _json(found)
        if match := re.fullmatch(r"/users/(\d+)", path):
            return _json(user_payload(match[1]))
        if method == "DELETE" and re.fullmatch(r"/channels/\d+/messages/\d+", path):
            return web.Response(status=204)
        return _json({"message": "Unknown route (fake)", "code": 0}, status=404)

    @staticmethod
    def _message(body: Any, channel_id: str, author: dict[str, Any]) -> dict[str, Any]:
        body = body if isinstance(body, dict) else {}
        return message_payload(
            body.get("content") or "",
            author=author,
            channel_id=int(channel_id),
            guild_id=None,
            components=body.get("components"),
            embeds=body.get("embeds"),
            flags=body.get("flags") or 0,
        )
