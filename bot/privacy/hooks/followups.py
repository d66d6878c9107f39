"""Follow-up tables: scheduled follow-ups and nudges, about a teacher's questions or sent to them."""

from __future__ import annotations

from typing import Any

from bot.privacy.user_data import UserDataDeps, UserDataHook


def export_followups(deps: UserDataDeps, teacher_id: int) -> dict[str, Any]:
    with deps.db.unit_of_work(writes=False) as uow:
        followups = uow.user_data.followups(teacher_id)
        nudges = uow.user_data.nudges_received(teacher_id)
    return {
        "followups": [
            {
                "kind": f["kind"],
                "request_id": f["request_id"],
                "to_you": f["target_teacher_id"] == teacher_id,
                "due_at": f["due_at"],
                "state": f["state"],
                "sent_at": f["sent_at"],
            }
            for f in followups
        ],
        "nudges_received": [{"request_id": request_id, "at": at} for request_id, at in nudges],
    }


def forget_followups(deps: UserDataDeps, teacher_id: int) -> None:
    with deps.db.unit_of_work() as uow:
        uow.user_data.delete_followups(teacher_id)


# Before the questions themselves (order 40), so nothing dangles even without ON DELETE CASCADE.
FOLLOWUPS = UserDataHook("followups", export_followups, forget_followups, ("followups", "nudges"), order=30)
