"""Every table model, one package: importing it puts the whole schema on ``Base.metadata``.

Alembic's ``env.py`` and the drift test read that metadata; the migrations in ``migrations/`` create exactly
these tables. Import rows and constants from here; each module is one feature's tables."""

from __future__ import annotations

from bot.storage.models.anonymity import (
    AnonymityAuditRow,
    AnonymousBlockRow,
    AnonymousFlagRow,
    AnonymousQuestionRow,
    HelpChannelRow,
)
from bot.storage.models.base import Base, utcnow
from bot.storage.models.catalog import AdaptationRow, ResourceRow, TeacherRow
from bot.storage.models.channels import QuietChannelRow
from bot.storage.models.followups import (
    ANON_POST,
    CANCELLED,
    CLAIMED,
    DID_IT_HELP,
    ESCALATE,
    FAILED,
    PENDING,
    POST_PUBLIC,
    SENT,
    FollowUpRow,
    NudgeRow,
)
from bot.storage.models.goals import GOAL_CHECKIN, GoalCheckinRow, GoalLogRow, GoalRow, TeacherPrefsRow
from bot.storage.models.intent import MISSED_REQUEST, NOT_A_QUESTION, IntentCorrectionRow
from bot.storage.models.knowledge import (
    AnsweredQuestionRow,
    RequestLinkRow,
    RippleEventRow,
    ThreadAnswerRow,
)
from bot.storage.models.packs import PackAssignmentRow, PackMembershipRow, PackRoundRow, PackRow
from bot.storage.models.requests import FeedbackRow, HelpRequestRow, RequestPostRow, SuggestionRow
from bot.storage.models.slack import (
    SLACK_BOTS,
    SLACK_INSTALLATIONS,
    SLACK_OAUTH_STATES,
    SlackEventRow,
    SlackOutboxRow,
)
from bot.storage.models.vectors import EmbeddingRow, IndexChangeRow, RowChangeRow

__all__ = [
    "ANON_POST",
    "CANCELLED",
    "CLAIMED",
    "DID_IT_HELP",
    "ESCALATE",
    "FAILED",
    "GOAL_CHECKIN",
    "MISSED_REQUEST",
    "NOT_A_QUESTION",
    "PENDING",
    "POST_PUBLIC",
    "SENT",
    "SLACK_BOTS",
    "SLACK_INSTALLATIONS",
    "SLACK_OAUTH_STATES",
    "AdaptationRow",
    "AnonymityAuditRow",
    "AnonymousBlockRow",
    "AnonymousFlagRow",
    "AnonymousQuestionRow",
    "AnsweredQuestionRow",
    "Base",
    "EmbeddingRow",
    "FeedbackRow",
    "FollowUpRow",
    "GoalCheckinRow",
    "GoalLogRow",
    "GoalRow",
    "HelpChannelRow",
    "HelpRequestRow",
    "IndexChangeRow",
    "IntentCorrectionRow",
    "NudgeRow",
    "PackAssignmentRow",
    "PackMembershipRow",
    "PackRoundRow",
    "PackRow",
    "QuietChannelRow",
    "RequestLinkRow",
    "RequestPostRow",
    "ResourceRow",
    "RippleEventRow",
    "RowChangeRow",
    "SlackEventRow",
    "SlackOutboxRow",
    "SuggestionRow",
    "TeacherPrefsRow",
    "TeacherRow",
    "ThreadAnswerRow",
    "utcnow",
]
