"""Import resources or teachers from a file: every good row kept, every bad line named with its reason."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from bot.importing.fields import RowError, resource_fields, teacher_fields
from bot.importing.reader import read_rows
from bot.storage.database import Database
from bot.storage.repositories import ResourceRepository, TeacherRepository

log = logging.getLogger(__name__)


@dataclass
class ImportReport:
    created: int = 0
    updated: int = 0
    errors: list[tuple[int, str]] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors

    def summary(self, what: str) -> str:
        lines = [f"{what}: {self.created} added, {self.updated} updated, {len(self.errors)} rejected"]
        lines += [f"  line {line}: {reason}" for line, reason in self.errors]
        return "\n".join(lines)


def import_resources(db: Database, path: Path, progress: Callable[[], None] | None = None) -> ImportReport:
    def save(session, record):  # type: ignore[no-untyped-def]
        return ResourceRepository(session).upsert(resource_fields(record))[1]

    return _import(db, path, save, progress)


def import_teachers(db: Database, path: Path, progress: Callable[[], None] | None = None) -> ImportReport:
    def save(session, record):  # type: ignore[no-untyped-def]
        platform, user_id, fields = teacher_fields(record)
        return TeacherRepository(session).upsert(platform, user_id, fields)[1]

    return _import(db, path, save, progress)


def _import(db: Database, path: Path, save, progress) -> ImportReport:  # type: ignore[no-untyped-def]
    report = ImportReport()
    for row in read_rows(path):
        if progress:
            progress()
        if row.record is None:
            report.errors.append((row.line, row.error or "unreadable"))
            continue
        try:
            with db.session() as session:
                created = save(session, row.record)
        except RowError as exc:
            report.errors.append((row.line, str(exc)))
            continue
        if created:
            report.created += 1
        else:
            report.updated += 1
    for line, reason in report.errors:
        log.warning("import row rejected", extra={"file": path.name, "line": line, "reason": reason})
    return report
