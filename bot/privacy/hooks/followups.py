"""Follow-up tables: scheduled follow-ups and nudges, about a teacher's questions or sent to them."""

from __future__ import annotations

from typing import Any

from sqlalchemy import ScalarSelect, delete, or_, select

from bot.privacy.user_data import UserDataDeps, UserDataHook
from bot.storage.models import FollowUpRow, HelpRequestRow, NudgeRow


def _own_requests(teacher_id: int) -> ScalarSelect[int]:
    return select(HelpRequestRow.id).where(HelpRequestRow.asker_id == teacher_id).scalar_subquery()


def export_followups(deps: UserDataDeps, teacher_id: int) -> dict[str, Any]:
    with deps.db.session() as session:
        followups = session.scalars(
            select(FollowUpRow)
            .where(
                or_(
                    FollowUpRow.target_teacher_id == teacher_id,
                    FollowUpRow.request_id.in_(_own_requests(teacher_id)),
                )
            )
            .order_by(FollowUpRow.id)
        ).all()
        nudges = session.scalars(
            select(NudgeRow).where(NudgeRow.teacher_id == teacher_id).order_by(NudgeRow.id)
        ).all()
        return {
            "followups": [
                {
                    "kind": f.kind,
                    "request_id": f.request_id,
                    "to_you": f.target_teacher_id == teacher_id,
                    "due_at": f.due_at,
                    "state": f.state,
                    "sent_at": f.sent_at,
                }
                for f in followups
            ],
            "nudges_received": [{"request_id": n.request_id, "at": n.created_at} for n in nudges],
        }


def forget_followups(deps: UserDataDeps, teacher_id: int) -> None:
    with deps.db.session() as session:
        own = _own_requests(teacher_id)
        session.execute(
            delete(FollowUpRow).where(
                or_(FollowUpRow.target_teacher_id == teacher_id, FollowUpRow.request_id.in_(own))
            )
        )
        session.execute(
            delete(NudgeRow).where(or_(NudgeRow.teacher_id == teacher_id, NudgeRow.request_id.in_(own)))
        )


# Before the questions themselves (order 40), so nothing dangles even without ON DELETE CASCADE.
FOLLOWUPS = UserDataHook("followups", export_followups, forget_followups, ("followups", "nudges"), order=30)
