"""Resource and teacher rows for the question path, from memory: the database is asked only what changed.

Every ``/ask`` reads a few hundred candidate rows; from the database that was most of the time left after
the embedding and the vector search. Here each process keeps the rows it has read, per database, and
before answering from them reads the ``row_changes`` feed after its watermark (one indexed query, empty
when nothing changed). The feed is written by triggers (migration ``0019_row_changes``), so an edit by any
code path or any process drops the row here, and the next read loads it again.

What the cache gives is always committed state at least as new as its watermark:

* a session that has written anything in its transaction reads the database directly (what it wrote is
  not committed, and may still roll back);
* a session whose snapshot is older than the watermark (a long SQLite read transaction) reads directly too;
* on PostgreSQL, ids are handed out before commit, so a change can commit after a later one was seen: the
  feed is read from ``LOOKBACK`` changes before the watermark and each change is applied once.

The feed is read once per transaction: a question reads a table's rows three times in one read session,
and a later read of the same transaction skips the feed when nothing moved the watermark since its own
read (any other session's catch-up makes it read the feed again, as the first read would).
"""

from __future__ import annotations

import threading
import weakref
from collections.abc import Callable, Sequence
from typing import Any, Generic, TypeVar

from sqlalchemy import Connection, Engine, Integer, bindparam, event, func, null, select, union_all
from sqlalchemy.orm import Session
from sqlalchemy.sql.selectable import CompoundSelect

from bot.storage.models import RowChangeRow

T = TypeVar("T")
LOOKBACK = {"postgresql": 200}  # changes re-read before the watermark; SQLite commits in id order: none
MAX_ROWS = 250_000  # rows kept per table; cleared when full (refilled by the next reads)
_WROTE = "kindred_wrote"  # on a connection's info while its transaction has written
_CAUGHT_UP = "kindred_caught_up"  # on a connection's info: table -> the watermark its transaction read to
WRITES = frozenset({"INSERT", "UPDATE", "DELETE", "REPLACE", "UPSERT", "MERGE", "CREATE", "DROP", "ALTER"})


class RowCache(Generic[T]):
    """Objects of one table by id, for one database; ``load`` reads ids the cache does not hold."""

    def __init__(self, table_name: str, load: Callable[[Session, Sequence[int]], dict[int, T]]) -> None:
        self.table_name = table_name
        self._load = load
        self._rows: dict[int, T] = {}
        self._watermark: int | None = None  # the last change applied; None until the first read
        self._applied: set[int] = set()  # change ids within the lookback already applied
        self._lock = threading.Lock()

    def __len__(self) -> int:
        return len(self._rows)

    def get_many(self, session: Session, ids: Sequence[int]) -> dict[int, T]:
        """id -> object for those of ``ids`` that exist, as this session would read them."""
        if not ids:
            return {}
        connection = session.connection()
        if _has_written(session, connection):
            return self._load(session, ids)
        with self._lock:
            if not self._caught_up(connection):
                return self._load(session, ids)  # this snapshot is older than what the cache holds
            missing = [i for i in ids if i not in self._rows]
            if missing:
                if len(self._rows) + len(missing) > MAX_ROWS:
                    self._rows.clear()
                self._rows.update(self._load(session, missing))
            rows = self._rows
            return {i: rows[i] for i in ids if i in rows}

    def fill(self, session: Session, read_all: Callable[[], dict[int, T]]) -> dict[int, T]:
        """``read_all()`` (every row, read by the caller in ``session``), kept here too when it is safe.

        The read is not made under the lock (it takes seconds at 100k rows): rows that changed while it
        ran are left out, and read again on their next use."""
        connection = session.connection()
        if _has_written(session, connection):
            return read_all()
        with self._lock:
            if not self._catch_up(connection):
                return read_all()
            start = self._watermark or 0
            applied_before = set(self._applied)  # committed before the read began: the read saw them
        rows = read_all()
        with self._lock:
            if not self._catch_up(connection):
                return rows
            changes, _ = self._feed(connection, start - LOOKBACK.get(connection.dialect.name, 0))
            changed = {item for change, item in changes if change > start or change not in applied_before}
            if len(self._rows) + len(rows) <= MAX_ROWS:
                for item_id, made in rows.items():
                    if item_id not in changed:
                        self._rows.setdefault(item_id, made)
        return rows

    def _caught_up(self, connection: Connection) -> bool:
        """``_catch_up``, unless this transaction already did and no one has moved the watermark since."""
        marks: dict[str, int] = connection.info.setdefault(_CAUGHT_UP, {})
        if self._watermark is not None and marks.get(self.table_name) == self._watermark:
            return True
        if not self._catch_up(connection):
            return False
        marks[self.table_name] = self._watermark  # type: ignore[assignment]
        return True

    def _catch_up(self, connection: Connection) -> bool:
        """Drop what changed since the watermark; False when this connection sees an older state."""
        lookback = LOOKBACK.get(connection.dialect.name, 0)
        if self._watermark is None:  # nothing held yet: start from this snapshot's last change
            self._watermark = int(connection.execute(_NEWEST).scalar() or 0)
            if lookback:  # what is already in the feed counts as applied
                self._applied = {c for c, _ in self._feed(connection, self._watermark - lookback)[0]}
            return True
        rows, last = self._feed(connection, self._watermark - lookback)
        if last < self._watermark:
            return False
        for change_id, item_id in rows:
            if change_id not in self._applied:
                self._rows.pop(item_id, None)
        self._watermark = last
        self._applied = {c for c, _ in rows if c > last - lookback} if lookback else set()
        return True

    def _feed(self, connection: Connection, after: int) -> tuple[list[tuple[int, int]], int]:
        """This table's (change id, item id) after ``after``, and the snapshot's last change id."""
        changes: list[tuple[int, int]] = []
        last = 0
        result: list[Any] = list(connection.execute(_CHANGES, {"after": after, "table": self.table_name}))
        for row in result:
            change, item = row[0], row[1]
            if item is None:  # the ``_NEWEST`` line (NULL max on an empty feed)
                last = int(change or 0)
            else:
                changes.append((int(change), int(item)))
        return changes, last


def _has_written(session: Session, connection: Connection) -> bool:
    """Whether this transaction holds writes of its own (pending in the session, or sent to the database)."""
    return bool(connection.info.get(_WROTE) or session.new or session.dirty or session.deleted)


_NEWEST = select(func.max(RowChangeRow.id), null())  # a snapshot's last change, of any table
# One table's changes after a watermark, then the snapshot's last change.
_CHANGES: CompoundSelect[Any] = union_all(
    select(RowChangeRow.id, RowChangeRow.item_id).where(
        RowChangeRow.id > bindparam("after", type_=Integer), RowChangeRow.table_name == bindparam("table")
    ),
    _NEWEST,
)
_CACHES: weakref.WeakKeyDictionary[Engine, dict[str, RowCache[Any]]] = weakref.WeakKeyDictionary()
_CACHES_LOCK = threading.Lock()


def cache_for(
    session: Session, table_name: str, load: Callable[[Session, Sequence[int]], dict[int, T]]
) -> RowCache[T]:
    """The cache of ``table_name`` rows of the database ``session`` is bound to (one per engine)."""
    engine = session.get_bind()
    assert isinstance(engine, Engine)
    with _CACHES_LOCK:
        caches = _CACHES.get(engine)
        if caches is None:
            caches = _CACHES[engine] = {}
            _watch_writes(engine)
        cache = caches.get(table_name)
        if cache is None:
            cache = caches[table_name] = RowCache(table_name, load)
        return cache


def _watch_writes(engine: Engine) -> None:
    """Mark a connection whose transaction wrote anything (any statement but a read), until it ends."""

    def before_execute(connection: Connection, _cursor: Any, statement: str, *_args: Any) -> None:
        verb = statement.lstrip()[:8].split(None, 1)
        if verb and verb[0].upper() in WRITES:
            connection.info[_WROTE] = True

    def ended(connection: Connection) -> None:
        connection.info.pop(_WROTE, None)
        connection.info.pop(_CAUGHT_UP, None)

    def reset(_dbapi: Any, record: Any, _state: Any) -> None:  # back in the pool without a commit
        record.info.pop(_WROTE, None)
        record.info.pop(_CAUGHT_UP, None)

    event.listen(engine, "before_cursor_execute", before_execute)
    event.listen(engine, "commit", ended)
    event.listen(engine, "rollback", ended)
    event.listen(engine, "reset", reset)
