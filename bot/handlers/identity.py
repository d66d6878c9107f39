"""Who is acting: find the teacher behind a platform user, creating a light profile on first contact.

Low threshold: nobody fills in a form before their first question is answered.
"""

from __future__ import annotations

import logging

from sqlalchemy.exc import IntegrityError

from bot.domain.events import Actor
from bot.domain.teachers import Teacher
from bot.handlers.ports import Profiles, Storage
from bot.matching.indexer import TEACHER
from bot.storage.repositories import TeacherRepository
from bot.storage.repositories.teachers import PENDING_PREFIX

log = logging.getLogger(__name__)


def find_teacher(deps: Storage, actor: Actor) -> Teacher | None:
    with deps.db.unit_of_work() as uow:
        return uow.teachers.find(actor.platform, actor.user_id)


def ensure_teacher(deps: Profiles, actor: Actor) -> Teacher:
    """The actor's profile; a first-timer gets an empty, not-yet-onboarded one (not indexed as a peer).

    Two first messages at once (two processes on PostgreSQL, or a retry racing the original) may both find
    no profile: the second insert then fails on the unique (platform, user) key, and the profile the first
    one created is used, so neither question is lost."""
    try:
        return _find_or_create(deps, actor)
    except IntegrityError:
        found = find_teacher(deps, actor)
        if found is None:
            raise
        log.info("first-contact profile created concurrently: using it", extra={"teacher_id": found.id})
        return found


def _find_or_create(deps: Profiles, actor: Actor) -> Teacher:
    with deps.db.unit_of_work() as uow:
        repo = uow.teachers
        teacher = repo.find(actor.platform, actor.user_id)
        if teacher is not None:
            return teacher
        imported = _imported_by_email(repo, actor)
        if imported is None:
            fields: dict[str, object] = {
                "name": actor.display_name or actor.user_id,
                "onboarded": False,
                "open_to_help": False,
                "workspace_id": actor.workspace_id,
            }
            if actor.timezone:
                fields["timezone"] = actor.timezone
            created, _ = repo.upsert(actor.platform, actor.user_id, fields)
            return created
    reindex_teacher(deps, imported)  # the imported profile is complete: a possible helper now
    return imported


def _imported_by_email(repo: TeacherRepository, actor: Actor) -> Teacher | None:
    """A profile the district imported with only an email becomes this account's, as imported."""
    if not actor.email:
        return None
    teacher = repo.find_by_email(actor.platform, actor.email)
    if teacher is None or not teacher.platform_user_id.startswith(PENDING_PREFIX):
        return None
    repo.relink(teacher.id, actor.user_id)
    log.info("teacher imported by email linked on first contact", extra={"teacher_id": teacher.id})
    return repo.get(teacher.id)


def reindex_teacher(deps: Profiles, teacher: Teacher) -> None:
    deps.indexer.upsert(TEACHER, teacher.id, teacher.profile_text())
