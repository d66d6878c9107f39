"""An anonymous question as everything but the escrow sees it: a pseudonym and flags, never the identity."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class AnonymousQuestion:
    request_id: int
    platform: str
    workspace_id: str | None
    pseudonym: str
    hidden: bool  # a moderator hid it
    deleted: bool  # its asker deleted it
