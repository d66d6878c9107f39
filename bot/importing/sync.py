"""``kindred teachers sync``: add a workspace's members; never overwrites a teacher's own profile."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass

from bot.importing.directory import Directory, Member
from bot.storage.database import Database
from bot.storage.repositories import TeacherRepository

log = logging.getLogger(__name__)


@dataclass
class SyncReport:
    added: int = 0
    linked: int = 0  # teachers imported by email, now linked to their account
    unchanged: int = 0  # already known: left exactly as they are

    def summary(self, platform: str) -> str:
        return (
            f"{platform} members: {self.added} added, {self.linked} linked by email, "
            f"{self.unchanged} already known (left as they are)"
        )


def sync_members(
    db: Database, directory: Directory, progress: Callable[[int], None] | None = None
) -> SyncReport:
    """Members arrive as first contact would make them: named, in their time zone, not yet onboarded
    (so not suggested as helpers until they say so). An email-imported profile is linked, not replaced."""
    report = SyncReport()
    for count, member in enumerate(directory.members(), start=1):
        with db.session() as session:
            _sync_one(TeacherRepository(session), directory.platform, member, report)
        if progress:
            progress(count)
    log.info("members synced", extra={"added": report.added, "linked": report.linked})
    return report


def _sync_one(repo: TeacherRepository, platform: str, member: Member, report: SyncReport) -> None:
    if repo.find(platform, member.user_id) is not None:
        report.unchanged += 1
        return
    pending = repo.find_by_email(platform, member.email) if member.email else None
    if pending is not None:
        repo.relink(pending.id, member.user_id)
        report.linked += 1
        return
    fields: dict[str, object] = {
        "name": member.name or member.user_id,
        "onboarded": False,
        "open_to_help": False,
        "workspace_id": member.team_id,
        "email": member.email,
    }
    if member.timezone:
        fields["timezone"] = member.timezone
    repo.upsert(platform, member.user_id, fields)
    report.added += 1
