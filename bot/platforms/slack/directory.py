"""Slack's member directory: ``users.lookupByEmail`` and ``users.list`` (for imports and teacher sync)."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.importing.directory import DirectoryError, Member

log = logging.getLogger(__name__)


def _member(user: dict[str, Any]) -> Member:
    profile = user.get("profile") or {}
    name = profile.get("real_name") or profile.get("display_name") or user.get("real_name")
    return Member(
        user_id=user["id"],
        name=name or None,
        timezone=user.get("tz") or None,
        email=(profile.get("email") or "").lower() or None,
        team_id=user.get("team_id") or None,
    )


def is_person(user: dict[str, Any]) -> bool:
    """Real, active people: not bots, not Slackbot, not deactivated."""
    return not (user.get("is_bot") or user.get("deleted") or user.get("id") == "USLACKBOT")


@dataclass
class SlackDirectory:
    """Slack's directory through the Web API (``base_url`` points tests at the local fake)."""

    client: WebClient
    platform: str = "slack"

    @classmethod
    def connect(cls, token: str, base_url: str | None = None) -> SlackDirectory:
        return cls(WebClient(token=token, base_url=base_url or WebClient.BASE_URL))

    def lookup_email(self, email: str) -> Member | None:
        try:
            response = self.client.users_lookupByEmail(email=email)
        except SlackApiError as exc:
            error = exc.response.get("error")
            if error == "users_not_found":
                return None
            log.warning("users.lookupByEmail failed", extra={"error": error})
            raise DirectoryError(_explain(error, "users.lookupByEmail", "users:read.email")) from None
        user = response.get("user") or {}
        return _member(user) if user.get("id") and is_person(user) else None

    def members(self) -> Iterator[Member]:
        cursor: str | None = None
        while True:
            try:
                page: dict[str, Any] = {"cursor": cursor} if cursor else {}  # the first page sends none
                response = self.client.users_list(limit=200, **page)
            except SlackApiError as exc:
                error = exc.response.get("error")
                log.warning("users.list failed", extra={"error": error})
                raise DirectoryError(_explain(error, "users.list", "users:read")) from None
            for user in response.get("members") or []:
                if user.get("id") and is_person(user):
                    yield _member(user)
            cursor = (response.get("response_metadata") or {}).get("next_cursor") or None
            if not cursor:
                return


def _explain(error: str | None, method: str, scope: str) -> str:
    if error == "missing_scope":
        return f"Slack refused {method}: add the {scope} scope and reinstall the app."
    if error in ("invalid_auth", "not_authed", "token_revoked"):
        return f"Slack refused {method}: SLACK_BOT_TOKEN is not valid ({error})."
    return f"Slack refused {method}: {error}."
