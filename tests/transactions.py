"""Counting the transactions a database opens: an honest check of "one transaction per event"."""

from __future__ import annotations

from sqlalchemy import event

from bot.storage.database import Database


class Transactions:
    """Counts every BEGIN on the database's engine, whether it ends in COMMIT or ROLLBACK."""

    def __init__(self, db: Database) -> None:
        self.count = 0
        event.listen(db.engine, "begin", self._began)

    def _began(self, _connection: object) -> None:
        self.count += 1

    def reset(self) -> int:
        """The count so far, starting again from zero."""
        count, self.count = self.count, 0
        return count
