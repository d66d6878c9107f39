"""``kindred keys rotate``: re-seal every escrowed identity, and re-key every fingerprint, under a new key.

All or nothing, in one transaction: if any identity cannot be opened with the current key, nothing changes.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from bot.anonymity.escrow import Escrow
from bot.storage.database import Database

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class RotationReport:
    identities: int  # escrowed identities re-sealed
    blocks: int  # blocked authors re-keyed
    orphan_blocks: int  # blocks whose questions are gone: their fingerprint cannot be re-keyed, so dropped


def rotate_escrow(db: Database, old_key: str, new_key: str) -> RotationReport:
    """Raises ``EscrowUnavailable`` (and changes nothing) when ``old_key`` does not open every identity."""
    old, new = Escrow(old_key), Escrow(new_key)

    def reseal(sealed: bytes) -> tuple[bytes, str]:
        identity = old.open(sealed)
        return new.seal(identity), new.fingerprint(identity.platform, identity.user_id)

    with db.unit_of_work() as uow:
        report = RotationReport(*uow.anonymity.rekey(reseal))
    log.info("identity key rotated", extra={"identities": report.identities, "blocks": report.blocks})
    return report
