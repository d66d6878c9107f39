"""Import resources or teachers from a file: every usable row kept, every bad line named with what to fix,
and one warning line per distinct value that was kept in a different form."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from bot.importing.directory import Directory, DirectoryError
from bot.importing.fields import RowError, resource_fields, teacher_fields
from bot.importing.reader import read_rows
from bot.storage.database import Database
from bot.storage.repositories import ResourceRepository, TeacherRepository
from bot.storage.repositories.teachers import PENDING_PREFIX

log = logging.getLogger(__name__)
MAX_LINES_SHOWN = 8


@dataclass
class ImportReport:
    created: int = 0
    updated: int = 0
    errors: list[tuple[int, str]] = field(default_factory=list)
    warnings: dict[str, list[int]] = field(default_factory=dict)  # message -> lines it applies to
    pending: int = 0  # teachers known only by email, linked at first contact
    resolved: int = 0  # teachers whose email was found in the platform's directory

    @property
    def ok(self) -> bool:
        return not self.errors

    def warn(self, message: str, line: int) -> None:
        lines = self.warnings.setdefault(message, [])
        if line not in lines:
            lines.append(line)

    def summary(self, what: str) -> str:
        lines = [f"{what}: {self.created} added, {self.updated} updated, {len(self.errors)} rejected"]
        if self.resolved:
            lines.append(f"  {self.resolved} teachers found by email in the workspace")
        if self.pending:
            lines.append(
                f"  {self.pending} teachers known only by email: linked to their account when they first "
                "use Kindred on Slack (or run `kindred teachers sync --platform slack`)"
            )
        for message, at in self.warnings.items():
            shown = ", ".join(map(str, at[:MAX_LINES_SHOWN])) + (" …" if len(at) > MAX_LINES_SHOWN else "")
            lines.append(f"  warning: {message} (line{'s' if len(at) > 1 else ''} {shown})")
        lines += [f"  line {line}: {reason}" for line, reason in self.errors]
        return "\n".join(lines)


Save = Callable[[Session, dict[str, Any], Callable[[str], None]], bool]


def import_resources(db: Database, path: Path, progress: Callable[[], None] | None = None) -> ImportReport:
    def save(session: Session, record: dict[str, Any], warn: Callable[[str], None]) -> bool:
        return ResourceRepository(session).upsert(resource_fields(record, warn))[1]

    return _import(db, path, save, progress, ImportReport())


def import_teachers(
    db: Database,
    path: Path,
    progress: Callable[[], None] | None = None,
    directory: Directory | None = None,
) -> ImportReport:
    """``directory`` (Slack with a token) turns email-only rows into linked accounts at import."""
    report = ImportReport()
    lookup: dict[str, Directory | None] = {"directory": directory}

    def save(session: Session, record: dict[str, Any], warn: Callable[[str], None]) -> bool:
        platform, user_id, fields = teacher_fields(record, warn)
        repo = TeacherRepository(session)
        email = fields.get("email")
        if user_id.startswith(PENDING_PREFIX) and email:
            user_id = _resolve(repo, platform, user_id, email, lookup, warn, report)
        return repo.upsert(platform, user_id, fields)[1]

    return _import(db, path, save, progress, report)


def _resolve(
    repo: TeacherRepository,
    platform: str,
    user_id: str,
    email: str,
    lookup: dict[str, Directory | None],
    warn: Callable[[str], None],
    report: ImportReport,
) -> str:
    """The account id for an email-only row: one already linked, else the directory's, else pending."""
    known = repo.find_by_email(platform, email)
    if known is not None and not known.platform_user_id.startswith(PENDING_PREFIX):
        return known.platform_user_id
    directory = lookup["directory"]
    if directory is not None and directory.platform == platform:
        try:
            member = directory.lookup_email(email)
        except DirectoryError as exc:
            warn(f"{exc} Teachers known only by email wait for their first contact")
            lookup["directory"] = None
            member = None
        else:
            if member is None:
                warn("email not found in the Slack workspace — kept; linked when they join and use Kindred")
        if member is not None:
            report.resolved += 1
            if known is not None:
                repo.relink(known.id, member.user_id)
            return member.user_id
    report.pending += 1
    return known.platform_user_id if known is not None else user_id


def _import(
    db: Database, path: Path, save: Save, progress: Callable[[], None] | None, report: ImportReport
) -> ImportReport:
    for row in read_rows(path):
        if progress:
            progress()
        if row.record is None:
            report.errors.append((row.line, row.error or "unreadable"))
            continue
        notes: list[str] = []
        try:
            with db.session() as session:
                created = save(session, row.record, notes.append)
        except RowError as exc:
            report.errors.append((row.line, str(exc)))
            continue
        for message in notes:
            report.warn(message, row.line)
        if created:
            report.created += 1
        else:
            report.updated += 1
    for line, reason in report.errors:
        log.warning("import row rejected", extra={"file": path.name, "line": line, "reason": reason})
    for message, lines in report.warnings.items():
        log.warning("import value kept", extra={"file": path.name, "note": message, "rows": len(lines)})
    return report
