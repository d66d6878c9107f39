"""What one teacher's export lists and what forgetting them removes, in the tables that ship with Kindred.

The privacy hooks (``bot.privacy.hooks``) decide what a section says and in which order things go; this
repository only reads and writes rows. Records come back as plain dicts keyed by column name.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import ScalarSelect, delete, or_, select, update
from sqlalchemy.orm import Session

from bot.storage.models import (
    AdaptationRow,
    AnsweredQuestionRow,
    EmbeddingRow,
    FeedbackRow,
    FollowUpRow,
    GoalCheckinRow,
    GoalLogRow,
    GoalRow,
    HelpRequestRow,
    NudgeRow,
    PackAssignmentRow,
    PackMembershipRow,
    PackRow,
    ResourceRow,
    RippleEventRow,
    SuggestionRow,
    TeacherPrefsRow,
    TeacherRow,
    ThreadAnswerRow,
)

Record = dict[str, Any]


def _fields(row: object, names: Sequence[str]) -> Record:
    return {name: getattr(row, name) for name in names}


class UserDataRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    # --- the profile and its settings ------------------------------------------------------------------

    def profile(self, teacher_id: int, fields: Sequence[str]) -> Record | None:
        row = self.session.get(TeacherRow, teacher_id)
        return _fields(row, fields) if row else None

    def delete_profile(self, teacher_id: int) -> None:
        self.session.execute(delete(TeacherRow).where(TeacherRow.id == teacher_id))

    def settings(self, teacher_id: int, fields: Sequence[str]) -> Record | None:
        row = self.session.get(TeacherPrefsRow, teacher_id)
        return _fields(row, fields) if row else None

    def delete_settings(self, teacher_id: int) -> None:
        self.session.execute(delete(TeacherPrefsRow).where(TeacherPrefsRow.teacher_id == teacher_id))

    # --- their own questions ---------------------------------------------------------------------------

    def requests_of(self, teacher_id: int) -> list[Record]:
        """Their questions, oldest first: id, text, platform, channel_id, source, anonymous, status,
        created_at, first_human_reply_at."""
        rows = self.session.execute(
            select(
                HelpRequestRow.id,
                HelpRequestRow.text,
                HelpRequestRow.platform,
                HelpRequestRow.channel_id,
                HelpRequestRow.source,
                HelpRequestRow.anonymous,
                HelpRequestRow.status,
                HelpRequestRow.created_at,
                HelpRequestRow.first_human_reply_at,
            )
            .where(HelpRequestRow.asker_id == teacher_id)
            .order_by(HelpRequestRow.id)
        )
        return [row._asdict() for row in rows]

    def request_ids_of(self, teacher_id: int) -> list[int]:
        return list(
            self.session.scalars(select(HelpRequestRow.id).where(HelpRequestRow.asker_id == teacher_id))
        )

    def suggestions_for(self, request_ids: Sequence[int]) -> list[tuple[int, str, int | None, str | None]]:
        """(request id, kind, resource id, resource title) of what was suggested, by request, kind, rank."""
        if not request_ids:
            return []
        rows = self.session.execute(
            select(SuggestionRow.request_id, SuggestionRow.kind, SuggestionRow.resource_id, ResourceRow.title)
            .outerjoin(ResourceRow, ResourceRow.id == SuggestionRow.resource_id)
            .where(SuggestionRow.request_id.in_(request_ids))
            .order_by(SuggestionRow.request_id, SuggestionRow.kind, SuggestionRow.rank)
        )
        return [(request_id, kind, resource_id, title) for request_id, kind, resource_id, title in rows]

    def answer_ids_for(self, request_ids: Sequence[int]) -> list[int]:
        """The knowledge-base answers given to these questions."""
        return list(
            self.session.scalars(
                select(AnsweredQuestionRow.id).where(AnsweredQuestionRow.request_id.in_(request_ids))
            )
        )

    def delete_requests(self, request_ids: Sequence[int], vector_kind: str) -> None:
        """Delete questions with their vectors (``vector_kind``) and suggestions; feedback given on them
        stays, unlinked. Follow-ups, posts and links go by ON DELETE CASCADE."""
        session = self.session
        session.execute(  # their ripples stay, without the question (below, by SET NULL): no longer keyed
            update(RippleEventRow).where(RippleEventRow.request_id.in_(request_ids)).values(once_key=None)
        )
        session.execute(
            delete(EmbeddingRow).where(
                EmbeddingRow.kind == vector_kind, EmbeddingRow.item_id.in_(request_ids)
            )
        )
        session.execute(delete(SuggestionRow).where(SuggestionRow.request_id.in_(request_ids)))
        session.execute(
            update(FeedbackRow).where(FeedbackRow.request_id.in_(request_ids)).values(request_id=None)
        )
        session.execute(delete(HelpRequestRow).where(HelpRequestRow.id.in_(request_ids)))

    # --- suggested to others, feedback, notes, shared resources, vectors ---------------------------------

    def peer_suggestions(self, teacher_id: int) -> list[tuple[int, str, datetime]]:
        """(request id, reason, when) of each time they were suggested as a kindred spirit."""
        rows = self.session.execute(
            select(SuggestionRow.request_id, SuggestionRow.reason, SuggestionRow.created_at)
            .where(SuggestionRow.kind == "peer", SuggestionRow.teacher_id == teacher_id)
            .order_by(SuggestionRow.id)
        )
        return [(request_id, reason, at) for request_id, reason, at in rows]

    def delete_peer_suggestions(self, teacher_id: int) -> None:
        self.session.execute(delete(SuggestionRow).where(SuggestionRow.teacher_id == teacher_id))

    def feedback(self, teacher_id: int) -> list[tuple[str, int, str, datetime]]:
        """(kind, resource id, resource title, when) of their feedback buttons."""
        rows = self.session.execute(
            select(FeedbackRow.kind, FeedbackRow.resource_id, ResourceRow.title, FeedbackRow.created_at)
            .join(ResourceRow, ResourceRow.id == FeedbackRow.resource_id)
            .where(FeedbackRow.teacher_id == teacher_id)
            .order_by(FeedbackRow.id)
        )
        return [(kind, resource_id, title, at) for kind, resource_id, title, at in rows]

    def delete_feedback(self, teacher_id: int) -> None:
        self.session.execute(delete(FeedbackRow).where(FeedbackRow.teacher_id == teacher_id))

    def adaptations(self, teacher_id: int) -> list[tuple[int, str, datetime]]:
        """(resource id, note, when) of their "how I used it" notes."""
        rows = self.session.execute(
            select(AdaptationRow.resource_id, AdaptationRow.note, AdaptationRow.created_at)
            .where(AdaptationRow.teacher_id == teacher_id)
            .order_by(AdaptationRow.id)
        )
        return [(resource_id, note, at) for resource_id, note, at in rows]

    def delete_adaptations(self, teacher_id: int) -> None:
        self.session.execute(delete(AdaptationRow).where(AdaptationRow.teacher_id == teacher_id))

    def shared_resources(self, teacher_id: int) -> list[Record]:
        """Resources they shared: id, title, url, description, created_at."""
        rows = self.session.execute(
            select(
                ResourceRow.id,
                ResourceRow.title,
                ResourceRow.url,
                ResourceRow.description,
                ResourceRow.created_at,
            )
            .where(ResourceRow.shared_by == teacher_id)
            .order_by(ResourceRow.id)
        )
        return [row._asdict() for row in rows]

    def unlink_shared(self, teacher_id: int) -> None:
        """The resources stay in the catalog, without their sharer."""
        self.session.execute(
            update(ResourceRow).where(ResourceRow.shared_by == teacher_id).values(shared_by=None)
        )

    def vector_models(self, kind: str, item_id: int) -> list[str]:
        """The embedding models a vector of this item is stored for."""
        return list(
            self.session.scalars(
                select(EmbeddingRow.model).where(EmbeddingRow.kind == kind, EmbeddingRow.item_id == item_id)
            )
        )

    # --- packs, goals, ripples, answers given -----------------------------------------------------------

    def pack_membership(self, teacher_id: int) -> Record | None:
        """status, focus, snoozed_until, joined_at; None when they never joined."""
        member = self.session.get(PackMembershipRow, teacher_id)
        return _fields(member, ("status", "focus", "snoozed_until", "joined_at")) if member else None

    def pack_assignments(self, teacher_id: int) -> list[Record]:
        """The packs they were in: focus, introduced_at, check_in, answered_at."""
        rows = self.session.execute(
            select(
                PackRow.focus,
                PackAssignmentRow.introduced_at,
                PackAssignmentRow.check_in,
                PackAssignmentRow.answered_at,
            )
            .join(PackRow, PackRow.id == PackAssignmentRow.pack_id)
            .where(PackAssignmentRow.teacher_id == teacher_id)
            .order_by(PackAssignmentRow.id)
        )
        return [row._asdict() for row in rows]

    def delete_pack_rows(self, teacher_id: int) -> None:
        self.session.execute(delete(PackAssignmentRow).where(PackAssignmentRow.teacher_id == teacher_id))
        self.session.execute(delete(PackMembershipRow).where(PackMembershipRow.teacher_id == teacher_id))

    def goals(self, teacher_id: int) -> list[Record]:
        """Their goals, oldest first: text, framework, component_name, active, created_at, and ``logs``
        ((text, when) of the learning log) and ``checkins`` ((week_start, state))."""
        out = []
        for goal in self.session.scalars(
            select(GoalRow).where(GoalRow.teacher_id == teacher_id).order_by(GoalRow.id)
        ):
            logs = self.session.execute(
                select(GoalLogRow.text, GoalLogRow.created_at)
                .where(GoalLogRow.goal_id == goal.id)
                .order_by(GoalLogRow.id)
            )
            checkins = self.session.execute(
                select(GoalCheckinRow.week_start, GoalCheckinRow.state)
                .where(GoalCheckinRow.goal_id == goal.id)
                .order_by(GoalCheckinRow.id)
            )
            record = _fields(goal, ("text", "framework", "component_name", "active", "created_at"))
            record["logs"] = [(text, at) for text, at in logs]
            record["checkins"] = [(week, state) for week, state in checkins]
            out.append(record)
        return out

    def delete_goals(self, teacher_id: int) -> None:
        ids = select(GoalRow.id).where(GoalRow.teacher_id == teacher_id).scalar_subquery()
        self.session.execute(delete(GoalCheckinRow).where(GoalCheckinRow.goal_id.in_(ids)))
        self.session.execute(delete(GoalLogRow).where(GoalLogRow.goal_id.in_(ids)))
        self.session.execute(delete(GoalRow).where(GoalRow.teacher_id == teacher_id))

    def ripple_events(self, teacher_id: int) -> list[Record]:
        """Recorded ripples crediting them or a colleague they helped: kind, teacher_id, note, created_at."""
        rows = self.session.execute(
            select(
                RippleEventRow.kind, RippleEventRow.teacher_id, RippleEventRow.note, RippleEventRow.created_at
            )
            .where(or_(RippleEventRow.teacher_id == teacher_id, RippleEventRow.colleague_id == teacher_id))
            .order_by(RippleEventRow.id)
        )
        return [row._asdict() for row in rows]

    def forget_ripples(self, teacher_id: int) -> None:
        """Ripples crediting them go; a colleague's ripple that helped them stays, without them."""
        self.session.execute(delete(RippleEventRow).where(RippleEventRow.teacher_id == teacher_id))
        self.session.execute(  # no longer keyed: the key named them, and unnamed look-alikes may be distinct
            update(RippleEventRow)
            .where(RippleEventRow.colleague_id == teacher_id)
            .values(colleague_id=None, once_key=None)
        )

    def answers_given(self, teacher_id: int) -> list[tuple[str, str, datetime]]:
        """(question, answer, when) of their answers in the knowledge base."""
        rows = self.session.execute(
            select(AnsweredQuestionRow.question, AnsweredQuestionRow.answer, AnsweredQuestionRow.created_at)
            .where(AnsweredQuestionRow.helper_id == teacher_id)
            .order_by(AnsweredQuestionRow.id)
        )
        return [(question, answer, at) for question, answer, at in rows]

    def thread_replies(self, teacher_id: int) -> list[tuple[str, datetime]]:
        """(text, when) of their replies kept from question threads."""
        rows = self.session.execute(
            select(ThreadAnswerRow.text, ThreadAnswerRow.created_at)
            .where(ThreadAnswerRow.helper_id == teacher_id)
            .order_by(ThreadAnswerRow.id)
        )
        return [(text, at) for text, at in rows]

    def answer_ids_by(self, teacher_id: int) -> list[int]:
        return list(
            self.session.scalars(
                select(AnsweredQuestionRow.id).where(AnsweredQuestionRow.helper_id == teacher_id)
            )
        )

    def delete_answers(self, teacher_id: int, answer_ids: Sequence[int]) -> None:
        """Their answers, the ripples of those answers, and their kept thread replies."""
        self.session.execute(delete(RippleEventRow).where(RippleEventRow.answer_id.in_(answer_ids)))
        self.session.execute(delete(AnsweredQuestionRow).where(AnsweredQuestionRow.helper_id == teacher_id))
        self.session.execute(delete(ThreadAnswerRow).where(ThreadAnswerRow.helper_id == teacher_id))

    # --- follow-ups and nudges ---------------------------------------------------------------------------

    def followups(self, teacher_id: int) -> list[Record]:
        """Follow-ups about their questions or sent to them: kind, request_id, target_teacher_id, due_at,
        state, sent_at."""
        rows = self.session.execute(
            select(
                FollowUpRow.kind,
                FollowUpRow.request_id,
                FollowUpRow.target_teacher_id,
                FollowUpRow.due_at,
                FollowUpRow.state,
                FollowUpRow.sent_at,
            )
            .where(
                or_(
                    FollowUpRow.target_teacher_id == teacher_id,
                    FollowUpRow.request_id.in_(_own_requests(teacher_id)),
                )
            )
            .order_by(FollowUpRow.id)
        )
        return [row._asdict() for row in rows]

    def nudges_received(self, teacher_id: int) -> list[tuple[int, datetime]]:
        """(request id, when) of each nudge sent to them."""
        rows = self.session.execute(
            select(NudgeRow.request_id, NudgeRow.created_at)
            .where(NudgeRow.teacher_id == teacher_id)
            .order_by(NudgeRow.id)
        )
        return [(request_id, at) for request_id, at in rows]

    def delete_followups(self, teacher_id: int) -> None:
        own = _own_requests(teacher_id)
        self.session.execute(
            delete(FollowUpRow).where(
                or_(FollowUpRow.target_teacher_id == teacher_id, FollowUpRow.request_id.in_(own))
            )
        )
        self.session.execute(
            delete(NudgeRow).where(or_(NudgeRow.teacher_id == teacher_id, NudgeRow.request_id.in_(own)))
        )


def _own_requests(teacher_id: int) -> ScalarSelect[int]:
    return select(HelpRequestRow.id).where(HelpRequestRow.asker_id == teacher_id).scalar_subquery()
