"""Sync application commands only when they changed: a hash per scope is kept in the data dir.

Scopes: with DISCORD_GUILD_IDS, commands live in each listed guild (instant updates) and the global set
is synced empty once, so commands never show up twice; without it they are global.
"""

from __future__ import annotations

import hashlib
import json
import logging
from pathlib import Path
from typing import Any

import discord
from discord import app_commands

log = logging.getLogger(__name__)

STATE_FILE = "discord-commands.json"


def payload_hash(payload: list[dict[str, Any]]) -> str:
    ordered = sorted(payload, key=lambda c: str(c.get("name")))
    raw = json.dumps(ordered, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(raw.encode()).hexdigest()


class SyncState:
    """{scope: hash} persisted as JSON; a missing or unreadable file means "sync everything"."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def load(self) -> dict[str, str]:
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}
        return {str(k): str(v) for k, v in data.items()} if isinstance(data, dict) else {}

    def save(self, hashes: dict[str, str]) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        tmp = self.path.with_suffix(".tmp")
        tmp.write_text(json.dumps(hashes, indent=2, sort_keys=True), encoding="utf-8")
        tmp.replace(self.path)


async def sync_commands(
    tree: app_commands.CommandTree, application_id: int | None, guild_ids: list[int], state: SyncState
) -> list[str]:
    """Sync each scope whose command payload changed; returns the scopes synced (e.g. ``["guild:1"]``)."""
    scopes: list[tuple[str, discord.Object | None]] = [("global", None)]
    scopes += [(f"guild:{gid}", discord.Object(id=gid)) for gid in guild_ids]
    stored = state.load()
    synced: list[str] = []
    for name, guild in scopes:
        key = f"{application_id}:{name}"
        digest = payload_hash([cmd.to_dict(tree) for cmd in tree.get_commands(guild=guild)])
        if stored.get(key) == digest:
            log.info("discord commands unchanged; not syncing", extra={"scope": name})
            continue
        try:
            await tree.sync(guild=guild)
        except discord.HTTPException:
            log.exception("discord command sync failed", extra={"scope": name})
            continue
        stored[key] = digest
        state.save(stored)
        synced.append(name)
        log.info("discord commands synced", extra={"scope": name})
    return synced
