"""Counting the transactions a database opens: an honest check of "one transaction per event"."""

from __future__ import annotations

from typing import Any

from sqlalchemy import event

from bot.storage.database import Database

WRITES = ("INSERT", "UPDATE", "DELETE")


class Transactions:
    """Counts every BEGIN on the database's engine (``count``, whether it ends in COMMIT or ROLLBACK) and
    the committed transactions that changed something (``writes``: an INSERT, UPDATE or DELETE ran)."""

    def __init__(self, db: Database) -> None:
        self.count = 0
        self.writes = 0
        self._writing: set[int] = set()
        event.listen(db.engine, "begin", self._began)
        event.listen(db.engine, "before_cursor_execute", self._executing)
        event.listen(db.engine, "commit", self._committed)

    def _began(self, _connection: object) -> None:
        self.count += 1

    def _executing(self, connection: Any, _cursor: object, statement: str, *_args: object) -> None:
        if statement.lstrip().upper().startswith(WRITES):
            self._writing.add(id(connection))

    def _committed(self, connection: Any) -> None:
        if id(connection) in self._writing:
            self._writing.discard(id(connection))
            self.writes += 1

    def reset(self) -> tuple[int, int]:
        """(transactions, writing transactions) so far, starting again from zero."""
        counts = (self.count, self.writes)
        self.count = self.writes = 0
        self._writing.clear()
        return counts
