"""Settings, packs, goals, ripples, answers given: each exported as a labelled section a teacher can read."""

from __future__ import annotations

from typing import Any

from sqlalchemy import delete, or_, select, update

from bot.matching.indexer import ANSWER
from bot.privacy.user_data import UserDataDeps, UserDataHook
from bot.storage.models import (
    AnsweredQuestionRow,
    GoalCheckinRow,
    GoalLogRow,
    GoalRow,
    PackAssignmentRow,
    PackMembershipRow,
    PackRow,
    RippleEventRow,
    TeacherPrefsRow,
    ThreadAnswerRow,
)

SETTING_FIELDS = (
    "nudges_enabled",
    "work_days",
    "day_start",
    "day_end",
    "quiet_start",
    "quiet_end",
    "weekly_nudge_limit",
    "snoozed_until",
    "checkin_enabled",
    "checkin_day",
    "checkin_time",
    "post_unanswered",
    "updated_at",
)


# --- /kindred settings ----------------------------------------------------------------------------------


def export_settings(deps: UserDataDeps, teacher_id: int) -> dict[str, Any]:
    with deps.db.session() as session:
        row = session.get(TeacherPrefsRow, teacher_id)
        if row is None:
            return {"note": "you never changed a setting: the defaults apply"}
        return {name: getattr(row, name) for name in SETTING_FIELDS}


def forget_settings(deps: UserDataDeps, teacher_id: int) -> None:
    with deps.db.session() as session:
        session.execute(delete(TeacherPrefsRow).where(TeacherPrefsRow.teacher_id == teacher_id))


# --- /pack ------------------------------------------------------------------------------------------------


def export_packs(deps: UserDataDeps, teacher_id: int) -> dict[str, Any]:
    with deps.db.session() as session:
        member = session.get(PackMembershipRow, teacher_id)
        rows = session.execute(
            select(PackAssignmentRow, PackRow.focus)
            .join(PackRow, PackRow.id == PackAssignmentRow.pack_id)
            .where(PackAssignmentRow.teacher_id == teacher_id)
            .order_by(PackAssignmentRow.id)
        ).all()
        return {
            "membership": (
                {
                    "status": member.status,
                    "focus": member.focus,
                    "snoozed_until": member.snoozed_until,
                    "joined_at": member.joined_at,
                }
                if member
                else None
            ),
            "packs_you_were_in": [
                {
                    "focus": focus,
                    "introduced_at": a.introduced_at,
                    "did_you_meet": a.check_in,
                    "answered_at": a.answered_at,
                }
                for a, focus in rows
            ],
        }


def forget_packs(deps: UserDataDeps, teacher_id: int) -> None:
    with deps.db.session() as session:
        session.execute(delete(PackAssignmentRow).where(PackAssignmentRow.teacher_id == teacher_id))
        session.execute(delete(PackMembershipRow).where(PackMembershipRow.teacher_id == teacher_id))


# --- /goal ------------------------------------------------------------------------------------------------


def export_goals(deps: UserDataDeps, teacher_id: int) -> dict[str, Any]:
    with deps.db.session() as session:
        goals = session.scalars(select(GoalRow).where(GoalRow.teacher_id == teacher_id).order_by(GoalRow.id))
        out = []
        for goal in goals:
            logs = session.scalars(
                select(GoalLogRow).where(GoalLogRow.goal_id == goal.id).order_by(GoalLogRow.id)
            )
            checkins = session.scalars(
                select(GoalCheckinRow).where(GoalCheckinRow.goal_id == goal.id).order_by(GoalCheckinRow.id)
            )
            out.append(
                {
                    "goal": goal.text,
                    "framework": goal.framework,
                    "component": goal.component_name,
                    "active": goal.active,
                    "set_at": goal.created_at,
                    "learning_log": [{"reflection": g.text, "at": g.created_at} for g in logs],
                    "weekly_checkins": [{"week_of": c.week_start, "state": c.state} for c in checkins],
                }
            )
        return {"goals": out}


def forget_goals(deps: UserDataDeps, teacher_id: int) -> None:
    with deps.db.session() as session:
        ids = select(GoalRow.id).where(GoalRow.teacher_id == teacher_id).scalar_subquery()
        session.execute(delete(GoalCheckinRow).where(GoalCheckinRow.goal_id.in_(ids)))
        session.execute(delete(GoalLogRow).where(GoalLogRow.goal_id.in_(ids)))
        session.execute(delete(GoalRow).where(GoalRow.teacher_id == teacher_id))


# --- /ripples ---------------------------------------------------------------------------------------------


def export_ripples(deps: UserDataDeps, teacher_id: int) -> dict[str, Any]:
    with deps.db.session() as session:
        rows = session.scalars(
            select(RippleEventRow)
            .where(or_(RippleEventRow.teacher_id == teacher_id, RippleEventRow.colleague_id == teacher_id))
            .order_by(RippleEventRow.id)
        ).all()
        return {
            "ripples": [
                {
                    "kind": r.kind,
                    "you_were": "credited" if r.teacher_id == teacher_id else "helped",
                    "note": r.note,
                    "at": r.created_at,
                }
                for r in rows
            ]
        }


def forget_ripples(deps: UserDataDeps, teacher_id: int) -> None:
    """Ripples crediting them go; a colleague's ripple that helped them stays, without them."""
    with deps.db.session() as session:
        session.execute(delete(RippleEventRow).where(RippleEventRow.teacher_id == teacher_id))
        session.execute(
            update(RippleEventRow).where(RippleEventRow.colleague_id == teacher_id).values(colleague_id=None)
        )


# --- answers they gave (the knowledge base) -----------------------------------------------------------------


def export_answers(deps: UserDataDeps, teacher_id: int) -> dict[str, Any]:
    with deps.db.session() as session:
        rows = session.scalars(
            select(AnsweredQuestionRow)
            .where(AnsweredQuestionRow.helper_id == teacher_id)
            .order_by(AnsweredQuestionRow.id)
        ).all()
        replies = session.scalars(
            select(ThreadAnswerRow)
            .where(ThreadAnswerRow.helper_id == teacher_id)
            .order_by(ThreadAnswerRow.id)
        ).all()
        return {
            "answers": [{"question": r.question, "answer": r.answer, "at": r.created_at} for r in rows],
            "replies in question threads": [{"reply": r.text, "at": r.created_at} for r in replies],
        }


def forget_answers(deps: UserDataDeps, teacher_id: int) -> None:
    """Their answers leave the knowledge base, vectors included."""
    with deps.db.session() as session:
        ids = list(
            session.scalars(select(AnsweredQuestionRow.id).where(AnsweredQuestionRow.helper_id == teacher_id))
        )
    for answer_id in ids:
        deps.indexer.remove(ANSWER, answer_id)
    with deps.db.session() as session:
        session.execute(delete(RippleEventRow).where(RippleEventRow.answer_id.in_(ids)))
        session.execute(delete(AnsweredQuestionRow).where(AnsweredQuestionRow.helper_id == teacher_id))
        session.execute(delete(ThreadAnswerRow).where(ThreadAnswerRow.helper_id == teacher_id))


# --- registered by the features that own the rows (``bot.handlers``) ---------------------------------------

SETTINGS = UserDataHook("settings", export_settings, forget_settings, ("teacher_prefs",))
PACKS = UserDataHook("packs", export_packs, forget_packs, ("pack_members", "pack_assignments"))
GOALS = UserDataHook("goals", export_goals, forget_goals, ("goals",))
RIPPLES = UserDataHook("ripples", export_ripples, forget_ripples, ("ripple_events",))
ANSWERS_YOU_GAVE = UserDataHook(
    "answers_you_gave", export_answers, forget_answers, ("answered_questions", "thread_answers"), order=35
)
