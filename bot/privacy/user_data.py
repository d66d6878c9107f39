"""What Kindred stores about one teacher — exported or forgotten on request, one hook per feature.

Each feature that stores something about a teacher declares a ``UserDataHook``:
``export(deps, teacher_id) -> dict`` (JSON-ready, no vectors or secrets) and ``forget(deps, teacher_id)``
(delete, or anonymise what must stay, e.g. a shared resource keeps existing without its sharer).

How to add your feature's data (packs, ripples, anonymous questions, …):

1. Next to your feature's other storage code, write the two functions and the hook::

       PACKS = UserDataHook("packs", export_packs, forget_packs, tables=("packs", "pack_members"))

2. Register it where your feature registers its commands and buttons (``bot/handlers/<feature>.py``)::

       registry.user_data_hooks(PACKS)

``tables`` names the tables the hook takes care of. A table with a foreign key to ``teachers.id`` that no
hook claims is still handled by the generic hook (its rows exported as they are, then deleted), so nothing
that references a forgotten teacher survives; write your own hook when you need more: nulling instead of
deleting, rows keyed by a platform user id or a fingerprint, rows reached through another table.

Forget runs hooks in ascending ``order`` (default 50; the profile itself is 1000, always last). Every hook
must be idempotent: if one fails, the profile is still there and ``forget`` can simply run again.
Hooks open their own sessions (``deps.db.session()``) and never log message text.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time
from decimal import Decimal
from enum import Enum
from typing import Any, Protocol

from sqlalchemy import MetaData, Table, delete, func, inspect, select

from bot.matching.indexer import Indexer
from bot.storage.database import Database
from bot.storage.repositories import TeacherRepository

log = logging.getLogger(__name__)

EXPORT_VERSION = 1
PROFILE_ORDER = 1000
TEACHERS = "teachers"


class UserDataDeps(Protocol):
    """What hooks may use (``bot.handlers.deps.Deps`` has both); read-only, so narrower handler protocols
    (``bot.handlers.ports.Profiles``) fit too."""

    @property
    def db(self) -> Database: ...

    @property
    def indexer(self) -> Indexer: ...


Export = Callable[[UserDataDeps, int], dict[str, Any]]
Forget = Callable[[UserDataDeps, int], None]
PersonExport = Callable[[UserDataDeps, str, str], dict[str, Any] | None]
PersonForget = Callable[[UserDataDeps, str, str], bool]


@dataclass(frozen=True)
class UserDataHook:
    name: str  # the section of the export, e.g. "help_requests"
    export: Export
    forget: Forget
    tables: tuple[str, ...] = ()  # tables this hook takes care of
    order: int = 50  # forget order: lower first; the profile (1000) is last


@dataclass(frozen=True)
class PersonHook:
    """Data keyed by the platform user itself, not by a profile: anonymous questions (by keyed fingerprint),
    moderator audit rows, flags. Runs whether or not the person has a profile; ``export`` returns None and
    ``forget`` False when it holds nothing about them."""

    name: str
    export: PersonExport
    forget: PersonForget
    tables: tuple[str, ...] = ()


class ForgetIncomplete(RuntimeError):
    """Rows still reference the teacher after every hook ran; the profile was kept so forget can rerun."""


@dataclass
class UserDataRegistry:
    hooks: list[UserDataHook] = field(default_factory=list)
    person_hooks: list[PersonHook] = field(default_factory=list)

    def all(self) -> list[UserDataHook | PersonHook]:
        return [*self.hooks, *self.person_hooks]

    def add(self, hook: UserDataHook | PersonHook) -> None:
        if any(h.name == hook.name for h in self.all()):
            raise ValueError(f"user-data hook {hook.name!r} registered twice")
        if isinstance(hook, PersonHook):
            self.person_hooks.append(hook)
        else:
            self.hooks.append(hook)

    @property
    def claimed_tables(self) -> set[str]:
        return {table for hook in self.all() for table in hook.tables}

    def unclaimed(self, db: Database) -> list[tuple[str, str]]:
        """(table, column) pairs that reference ``teachers.id`` and that no hook claims."""
        return [(t, c) for t, c in teacher_references(db) if t not in self.claimed_tables]

    def export(self, deps: UserDataDeps, teacher_id: int) -> dict[str, Any]:
        """Everything about one teacher, as JSON-ready sections named after the hooks."""
        data: dict[str, Any] = {
            "kindred_export_version": EXPORT_VERSION,
            "exported_at": datetime.now(UTC).isoformat(),
        }
        for hook in sorted(self.hooks, key=lambda h: h.order):
            data[hook.name] = jsonable(hook.export(deps, teacher_id))
        for table, column in self.unclaimed(deps.db):
            data[f"other: {table.replace('_', ' ')}"] = jsonable(
                _generic_export(deps.db, table, column, teacher_id)
            )
        person = _person_of(deps.db, teacher_id)
        if person is not None:
            data.update(self.export_person(deps, *person))
        return data

    def export_person(self, deps: UserDataDeps, platform: str, user_id: str) -> dict[str, Any]:
        """The sections kept by platform user rather than by profile (empty when there are none)."""
        data = {}
        for hook in self.person_hooks:
            section = hook.export(deps, platform, user_id)
            if section is not None:
                data[hook.name] = jsonable(section)
        return data

    def forget_person(self, deps: UserDataDeps, platform: str, user_id: str) -> bool:
        """Run every person hook; True when any of them found something."""
        found = [hook.forget(deps, platform, user_id) for hook in self.person_hooks]
        return any(found)

    def forget(self, deps: UserDataDeps, teacher_id: int) -> list[str]:
        """Run every hook (the profile last); returns the hook names that ran, in order."""
        ran: list[str] = []
        person = _person_of(deps.db, teacher_id)
        if person is not None:
            self.forget_person(deps, *person)
            ran.extend(h.name for h in self.person_hooks)
        hooks = sorted(self.hooks, key=lambda h: h.order)
        for hook in (h for h in hooks if h.order < PROFILE_ORDER):
            hook.forget(deps, teacher_id)
            ran.append(hook.name)
        for table, column in self.unclaimed(deps.db):
            log.warning("no user-data hook for a table; deleting its rows", extra={"table": table})
            _generic_forget(deps.db, table, column, teacher_id)
            ran.append(f"other: {table.replace('_', ' ')}")
        left = remaining_references(deps.db, teacher_id)
        if left:
            raise ForgetIncomplete(f"rows still reference teacher {teacher_id}: {left}")
        for hook in (h for h in hooks if h.order >= PROFILE_ORDER):
            hook.forget(deps, teacher_id)
            ran.append(hook.name)
        deps.db.purge_deleted()
        log.info("user data forgotten", extra={"teacher_id": teacher_id, "hooks": len(ran)})
        return ran


def find_teacher_id(db: Database, platform: str, platform_user_id: str) -> int | None:
    with db.session() as session:
        teacher = TeacherRepository(session).find(platform, platform_user_id)
    return teacher.id if teacher else None


def export_user(
    deps: UserDataDeps, registry: UserDataRegistry, platform: str, platform_user_id: str
) -> dict[str, Any] | None:
    """Everything about a platform user (profile or not), or None when Kindred knows nothing about them."""
    teacher_id = find_teacher_id(deps.db, platform, platform_user_id)
    if teacher_id is not None:
        return registry.export(deps, teacher_id)
    person = registry.export_person(deps, platform, platform_user_id)
    if not person:
        return None
    return {"kindred_export_version": EXPORT_VERSION, "exported_at": datetime.now(UTC).isoformat(), **person}


def forget_user(deps: UserDataDeps, registry: UserDataRegistry, platform: str, platform_user_id: str) -> bool:
    """Forget a platform user, with or without a profile; False when there was nothing to forget."""
    teacher_id = find_teacher_id(deps.db, platform, platform_user_id)
    if teacher_id is not None:
        registry.forget(deps, teacher_id)
        return True
    found = registry.forget_person(deps, platform, platform_user_id)
    if found:
        deps.db.purge_deleted()
        log.info("user data forgotten (no profile)", extra={"platform": platform})
    return found


def _person_of(db: Database, teacher_id: int) -> tuple[str, str] | None:
    with db.session() as session:
        teacher = TeacherRepository(session).get(teacher_id)
    return (teacher.platform, teacher.platform_user_id) if teacher else None


def teacher_references(db: Database) -> list[tuple[str, str]]:
    """Every (table, column) with a foreign key to ``teachers.id``, read from the live schema."""
    inspector = inspect(db.engine)
    out: list[tuple[str, str]] = []
    for table in inspector.get_table_names():
        for fk in inspector.get_foreign_keys(table):
            if fk.get("referred_table") == TEACHERS and fk.get("referred_columns") == ["id"]:
                out.extend((table, column) for column in fk["constrained_columns"])
    return sorted(set(out))


def remaining_references(db: Database, teacher_id: int) -> dict[str, int]:
    """``{"table.column": rows}`` still pointing at the teacher (empty once every hook has run)."""
    left = {}
    with db.connection() as connection:
        for table_name, column in teacher_references(db):
            table = Table(table_name, MetaData(), autoload_with=connection)
            count = connection.scalar(
                select(func.count()).select_from(table).where(table.c[column] == teacher_id)
            )
            if count:
                left[f"{table_name}.{column}"] = int(count)
    return left


def jsonable(value: Any) -> Any:
    """Dates and times as ISO strings, bytes as a size (never raw vectors or ciphertext), containers
    recursively; any other value that JSON cannot hold as its text."""
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    if isinstance(value, Enum):
        return jsonable(value.value)
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, bytes | bytearray | memoryview):
        return f"<{len(bytes(value))} bytes>"
    if isinstance(value, dict):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [jsonable(v) for v in value]
    if value is None or isinstance(value, str | int | float | bool):
        return value
    return str(value)


def _generic_export(db: Database, table_name: str, column: str, teacher_id: int) -> list[dict[str, Any]]:
    with db.connection() as connection:
        table = Table(table_name, MetaData(), autoload_with=connection)
        rows = connection.execute(select(table).where(table.c[column] == teacher_id)).mappings()
        return [dict(row) for row in rows]


def _generic_forget(db: Database, table_name: str, column: str, teacher_id: int) -> None:
    with db.connection() as connection:
        table = Table(table_name, MetaData(), autoload_with=connection)
        connection.execute(delete(table).where(table.c[column] == teacher_id))
