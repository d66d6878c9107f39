"""A teacher's follow-up preferences (the value lives in ``bot.domain.preferences``, the stored row behind
``uow.preferences``); ``load_prefs`` and ``save_prefs`` read and write them in a given session."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy.orm import Session

from bot.domain.preferences import DEFAULT_CHECKIN_TIME, WEEKDAYS, FollowUpPrefs, Window
from bot.storage.repositories.preferences import PreferenceRepository

__all__ = ["DEFAULT_CHECKIN_TIME", "WEEKDAYS", "FollowUpPrefs", "Window", "load_prefs", "save_prefs"]


def load_prefs(session: Session, teacher_ids: Iterable[int]) -> dict[int, FollowUpPrefs]:
    """Preferences for each id (defaults for teachers who never changed anything)."""
    return PreferenceRepository(session).load(teacher_ids)


def save_prefs(
    session: Session, teacher_id: int, prefs: FollowUpPrefs, before: FollowUpPrefs | None = None
) -> None:
    """Store ``prefs``; given ``before``, only the columns that differ from it (see the repository)."""
    PreferenceRepository(session).save(teacher_id, prefs, before)
