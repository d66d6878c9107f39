"""``kindred keys rotate``: re-seal every escrowed identity, and re-key every fingerprint, under a new key.

All or nothing, in one transaction: if any identity cannot be opened with the current key, nothing changes.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from sqlalchemy import select

from bot.anonymity.escrow import Escrow
from bot.storage.database import Database
from bot.storage.models import AnonymousBlockRow, AnonymousQuestionRow

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class RotationReport:
    identities: int  # escrowed identities re-sealed
    blocks: int  # blocked authors re-keyed
    orphan_blocks: int  # blocks whose questions are gone: their fingerprint cannot be re-keyed, so dropped


def rotate_escrow(db: Database, old_key: str, new_key: str) -> RotationReport:
    """Raises ``EscrowUnavailable`` (and changes nothing) when ``old_key`` does not open every identity."""
    old, new = Escrow(old_key), Escrow(new_key)
    renamed: dict[tuple[str, str], str] = {}
    with db.session() as session:
        questions = session.scalars(select(AnonymousQuestionRow)).all()
        for row in questions:
            identity = old.open(row.identity)
            fingerprint = new.fingerprint(identity.platform, identity.user_id)
            renamed[(row.platform, row.fingerprint)] = fingerprint
            row.identity = new.seal(identity)
            row.fingerprint = fingerprint
        blocks, orphans = 0, 0
        for block in session.scalars(select(AnonymousBlockRow)).all():
            renamed_to = renamed.get((block.platform, block.fingerprint))
            if renamed_to is None:
                session.delete(block)
                orphans += 1
            else:
                block.fingerprint = renamed_to
                blocks += 1
    report = RotationReport(len(questions), blocks, orphans)
    log.info("identity key rotated", extra={"identities": report.identities, "blocks": report.blocks})
    return report
