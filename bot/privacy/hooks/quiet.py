"""Quiet channels remember who silenced them (``/kindred quiet here``, on any platform): export lists them;
forget-me keeps the channel quiet (a channel setting) but drops who asked."""

from __future__ import annotations

from typing import Any

from bot.privacy.user_data import PersonHook, UserDataDeps


def export_quiet(deps: UserDataDeps, platform: str, user: str) -> dict[str, Any] | None:
    with deps.db.unit_of_work(writes=False) as uow:
        channels = uow.quiet_channels.set_by(platform, user)
    if not channels:
        return None
    return {"channels_you_quieted": [{"workspace_id": w, "channel_id": c} for w, c in channels]}


def forget_quiet(deps: UserDataDeps, platform: str, user: str) -> bool:
    if not user:
        return False
    with deps.db.unit_of_work() as uow:
        return uow.quiet_channels.forget_setter(platform, user)


QUIET_CHANNELS = PersonHook("quiet_channels", export_quiet, forget_quiet, ("quiet_channels",))
