"""Keeps follow-ups from nudging an anonymous asker about their own question, without decrypting anyone.

Candidates are compared by keyed fingerprint (HMAC of platform:user id) with the fingerprint stored for
the question; no plaintext link between asker and question is ever written.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from bot.anonymity.config import AnonymityConfig
from bot.anonymity.escrow import Escrow
from bot.domain.teachers import Teacher
from bot.storage.database import Database

HiddenAskers = Callable[[int, Sequence[Teacher]], set[int]]


def hidden_asker_filter(db: Database, config: AnonymityConfig) -> HiddenAskers | None:
    """Ids among ``teachers`` who secretly asked ``request_id``; None when anonymity is off."""
    if not config.identity_key:
        return None
    escrow = Escrow(config.identity_key)

    def hidden(request_id: int, teachers: Sequence[Teacher]) -> set[int]:
        with db.unit_of_work(writes=False) as uow:
            question = uow.anonymity.question(request_id)
        if question is None:
            return set()
        return {
            t.id
            for t in teachers
            if escrow.fingerprint(t.platform, t.platform_user_id) == question.fingerprint
        }

    return hidden
