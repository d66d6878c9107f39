"""An anonymous question as everything but the escrow sees it: a pseudonym and flags, never the identity."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class AnonymousQuestion:
    request_id: int
    platform: str
    workspace_id: str | None
    pseudonym: str
    hidden: bool  # a moderator hid it
    deleted: bool  # its asker deleted it


@dataclass(frozen=True)
class EscrowedQuestion(AnonymousQuestion):
    """The question with what only the escrow uses: the keyed fingerprint and the sealed identity."""

    fingerprint: str
    identity: bytes = field(repr=False)  # sealed: only ``Escrow.open`` reads it
