"""One session, one transaction, every repository: what a handler changes in the database goes through here.

``Database.unit_of_work()`` opens one; a ``unit_of_work()`` (or ``session()``) opened while another is active
in the same context joins it inside a savepoint, so everything an incoming event does is one transaction and
a nested block that fails undoes only its own part. Repositories are built on first use.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cached_property

from sqlalchemy.orm import Session

from bot.storage.intent_corrections import IntentCorrectionRepository
from bot.storage.repositories.anonymity import AnonymityStore
from bot.storage.repositories.asked_messages import AskedMessages
from bot.storage.repositories.embeddings import EmbeddingRepository
from bot.storage.repositories.feedback import FeedbackRepository
from bot.storage.repositories.followup_queue import FollowUpQueue
from bot.storage.repositories.followups import FollowUpRepository
from bot.storage.repositories.goal_checkins import GoalCheckinRepository
from bot.storage.repositories.goals import GoalRepository
from bot.storage.repositories.indexed_items import IndexedItems
from bot.storage.repositories.insights import InsightsRepository
from bot.storage.repositories.knowledge import KnowledgeRepository
from bot.storage.repositories.packs import PackRepository
from bot.storage.repositories.preferences import PreferenceRepository
from bot.storage.repositories.quiet_channels import QuietChannelRepository
from bot.storage.repositories.requests import RequestRepository
from bot.storage.repositories.resources import ResourceRepository
from bot.storage.repositories.ripples import RippleRepository
from bot.storage.repositories.teachers import TeacherRepository
from bot.storage.repositories.user_data import UserDataRepository


class UnitOfWork:
    """The repositories of one transaction. ``Database.unit_of_work()`` commits it or rolls it back."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self._after_commit: list[Callable[[], None]] = []

    @cached_property
    def requests(self) -> RequestRepository:
        return RequestRepository(self.session)

    @cached_property
    def teachers(self) -> TeacherRepository:
        return TeacherRepository(self.session)

    @cached_property
    def resources(self) -> ResourceRepository:
        return ResourceRepository(self.session)

    @cached_property
    def feedback(self) -> FeedbackRepository:
        return FeedbackRepository(self.session)

    @cached_property
    def embeddings(self) -> EmbeddingRepository:
        return EmbeddingRepository(self.session)

    @cached_property
    def followups(self) -> FollowUpRepository:
        return FollowUpRepository(self.session)

    @cached_property
    def followup_queue(self) -> FollowUpQueue:
        return FollowUpQueue(self.session)

    @cached_property
    def goals(self) -> GoalRepository:
        return GoalRepository(self.session)

    @cached_property
    def indexed_items(self) -> IndexedItems:
        return IndexedItems(self.session)

    @cached_property
    def goal_checkins(self) -> GoalCheckinRepository:
        return GoalCheckinRepository(self.session)

    @cached_property
    def preferences(self) -> PreferenceRepository:
        return PreferenceRepository(self.session)

    @cached_property
    def knowledge(self) -> KnowledgeRepository:
        return KnowledgeRepository(self.session)

    @cached_property
    def packs(self) -> PackRepository:
        return PackRepository(self.session)

    @cached_property
    def ripples(self) -> RippleRepository:
        return RippleRepository(self.session)

    @cached_property
    def asked_messages(self) -> AskedMessages:
        return AskedMessages(self.session)

    @cached_property
    def intent_corrections(self) -> IntentCorrectionRepository:
        return IntentCorrectionRepository(self.session)

    @cached_property
    def anonymity(self) -> AnonymityStore:
        return AnonymityStore(self.session)

    @cached_property
    def quiet_channels(self) -> QuietChannelRepository:
        return QuietChannelRepository(self.session)

    @cached_property
    def insights(self) -> InsightsRepository:
        return InsightsRepository(self.session)

    @cached_property
    def user_data(self) -> UserDataRepository:
        return UserDataRepository(self.session)

    def commit(self) -> None:
        """Commit what this transaction did so far (it stays even if the rest fails); what follows runs in a
        new transaction. Also ends a transaction before slow work (an embedding) so it holds no lock."""
        self.session.commit()
        self._run_after_commit()

    def after_commit(self, call: Callable[[], None]) -> None:
        """Run ``call`` once the transaction has committed (e.g. scrubbing the SQLite log after a delete)."""
        self._after_commit.append(call)

    def _run_after_commit(self) -> None:
        calls, self._after_commit = self._after_commit, []
        for call in calls:
            call()

    def _discard_after_commit(self) -> None:
        self._after_commit = []
