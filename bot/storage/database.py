"""Engine and session creation: SQLite (WAL) by default, PostgreSQL when configured."""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

from sqlalchemy import Connection, Engine, create_engine, event
from sqlalchemy.engine import CursorResult, Result, make_url
from sqlalchemy.orm import Session, SessionTransaction, sessionmaker

if TYPE_CHECKING:
    from bot.storage.unit_of_work import UnitOfWork

log = logging.getLogger(__name__)
# SQLite has one writer at a time. Within a process, writing transactions queue on a lock and are handed
# the database at once; left to SQLite, each waiter polls in its busy handler, sleeping up to 100 ms between
# tries. The lock is held from a writing transaction's BEGIN to its commit or rollback; other processes
# still wait in the busy handler, and past this wait a transaction goes on without it (waiting there too).
WRITE_GATE_TIMEOUT_S = 30.0
BEGIN = "kindred_begin"  # Session.info key: the BEGIN a unit of work's SQLite transaction starts with
GATE = "kindred_write_gate"  # Session.info: the process's write lock of this database (SQLite)
GATE_HELD = "kindred_write_gate_held"  # Session.info: the transaction holding it
# The units of work open in this context (a thread, an asyncio task): a nested one joins its database's.
_ACTIVE: ContextVar[tuple[UnitOfWork, ...]] = ContextVar("kindred_units_of_work", default=())


def create_db_engine(url: str) -> Engine:
    """Create an engine; SQLite gets WAL, foreign keys and a busy timeout, and its folder is created."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        if parsed.database and parsed.database != ":memory:":
            Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(
            url, connect_args={"check_same_thread": False, "timeout": 30}, hide_parameters=True
        )
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    if parsed.get_backend_name() == "postgresql" and parsed.drivername == "postgresql":
        url = parsed.set(drivername="postgresql+psycopg").render_as_string(hide_password=False)
    return create_engine(url, pool_pre_ping=True, hide_parameters=True)  # errors never log private text


def affected_rows(result: Result[Any]) -> int:
    """Rows an UPDATE or DELETE matched (its result is a ``CursorResult``, typed as a plain ``Result``)."""
    return int(cast("CursorResult[Any]", result).rowcount or 0)


def _sqlite_pragmas(dbapi_connection: Any, _record: object) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA secure_delete=ON")  # deleted rows are zeroed in the file, not just unlinked
    cursor.close()


def _sqlite_begin(session: Session, transaction: SessionTransaction, connection: Connection) -> None:
    """Start a unit of work's SQLite transaction explicitly, before its first statement.

    pysqlite begins a transaction only before the first write, and a SAVEPOINT outside one starts a
    deferred transaction; one that read and then writes fails at once ("database is locked",
    SQLITE_BUSY_SNAPSHOT) when another connection committed in between, whatever the busy timeout.
    ``BEGIN IMMEDIATE`` takes the write lock up front (waiting the busy timeout for it) instead."""
    begin = session.info.get(BEGIN)
    if begin and not transaction.nested:  # a savepoint's begin runs inside the transaction
        gate = session.info.get(GATE)
        if gate is not None and begin == "BEGIN IMMEDIATE" and gate.acquire(timeout=WRITE_GATE_TIMEOUT_S):
            session.info[GATE_HELD] = transaction
        connection.exec_driver_sql(begin)


def _sqlite_end(session: Session, transaction: SessionTransaction) -> None:
    """A writing transaction ended (commit or rollback): the next writer of this process may begin."""
    if session.info.get(GATE_HELD) is transaction:
        del session.info[GATE_HELD]
        session.info[GATE].release()


class Database:
    """Owns the engine and hands out transactional sessions and units of work."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self._factory = sessionmaker(engine, expire_on_commit=False)
        self._write_gate = threading.Lock()  # SQLite: this process's writing units of work, one at a time
        if engine.dialect.name == "sqlite":
            event.listen(self._factory, "after_begin", _sqlite_begin)
            event.listen(self._factory, "after_transaction_end", _sqlite_end)

    @classmethod
    def from_url(cls, url: str) -> Database:
        return cls(create_db_engine(url))

    def purge_deleted(self) -> None:
        """After forgetting someone: on SQLite, fold the write-ahead log (which still holds the old pages)
        into the zeroed database file and empty it. PostgreSQL's files are not Kindred's to scrub.
        Inside a unit of work this waits until it has committed (the deletes are in the log only then)."""
        if self.engine.dialect.name != "sqlite":
            return
        active = self._active()
        if active is not None:
            active.after_commit(self.purge_deleted)
            return
        with self.engine.connect() as connection:
            busy = connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)").first()
        if busy and busy[0]:
            log.warning("could not empty the SQLite write-ahead log after a forget; it empties on restart")

    @contextmanager
    def unit_of_work(self, *, writes: bool = True) -> Iterator[UnitOfWork]:
        """The repositories of one transaction: committed when the block succeeds, rolled back when it raises.

        Opened while another unit of work on this database is active in the same context, it joins that
        one in a savepoint (released on success, rolled back on raise); the outer one commits. On SQLite
        ``writes`` begins with ``BEGIN IMMEDIATE``; ``writes=False`` (reads only) with a plain ``BEGIN``."""
        joined = self._active()
        if joined is not None:
            with self._savepoint(joined):
                yield joined
            return
        from bot.storage.unit_of_work import UnitOfWork

        session = self._factory()
        if self.is_sqlite:
            session.info[BEGIN] = "BEGIN IMMEDIATE" if writes else "BEGIN"
            session.info[GATE] = self._write_gate
        uow = UnitOfWork(session)
        token = _ACTIVE.set((*_ACTIVE.get(), uow))
        try:
            yield uow
            session.commit()
        except BaseException:
            session.rollback()
            uow._discard_after_commit()
            raise
        finally:
            _ACTIVE.reset(token)
            session.close()
        uow._run_after_commit()

    def _active(self) -> UnitOfWork | None:
        for uow in reversed(_ACTIVE.get()):
            if uow.session.bind is self.engine:
                return uow
        return None

    @staticmethod
    @contextmanager
    def _savepoint(uow: UnitOfWork) -> Iterator[None]:
        savepoint = uow.session.begin_nested()
        try:
            yield
        except BaseException:
            if savepoint.is_active:
                savepoint.rollback()
            else:  # the unit of work committed inside the block: undo what the block did after that
                uow.session.rollback()
            raise
        if savepoint.is_active:
            savepoint.commit()

    @contextmanager
    def session(self) -> Iterator[Session]:
        """A session that commits when the block succeeds and rolls back when it raises (the active unit of
        work's, in a savepoint, when there is one: see ``unit_of_work``)."""
        joined = self._active()
        if joined is not None:
            with self._savepoint(joined):
                yield joined.session
            return
        session = self._factory()
        try:
            yield session
            session.commit()
        except BaseException:
            session.rollback()
            raise
        finally:
            session.close()

    @contextmanager
    def connection(self) -> Iterator[Connection]:
        """A Core connection in a transaction: the active unit of work's (a savepoint of it), else its own
        (committed when the block succeeds). Raw table work then sees, and joins, what the event did."""
        with self.session() as session:
            yield session.connection()

    @contextmanager
    def read_session(self) -> Iterator[Session]:
        """A session of its own even inside a unit of work: it reads what is committed and never waits
        for a lock the unit of work holds (the question path's ranking, which writes nothing)."""
        session = self._factory()
        try:
            yield session
        finally:
            session.rollback()
            session.close()

    @contextmanager
    def committed_reads(self) -> Iterator[UnitOfWork]:
        """Repositories over committed rows on a session of their own, even inside a unit of work: it never
        joins the event's transaction, so ranking a question begins no transaction (and takes no SQLite
        write lock) on the event's session. Nothing is written (rolled back at the end)."""
        from bot.storage.unit_of_work import UnitOfWork

        with self.read_session() as session:
            if self.is_sqlite:
                session.info[BEGIN] = "BEGIN"
            yield UnitOfWork(session)

    @property
    def is_sqlite(self) -> bool:
        return self.engine.dialect.name == "sqlite"

    def dispose(self) -> None:
        self.engine.dispose()
