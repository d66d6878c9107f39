"""From a question to ranked resources and peers: embed once, search both indexes, rank, explain."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import numpy as np

from bot.domain.requests import PeerMatch, ResourceMatch
from bot.domain.resources import Resource
from bot.domain.teachers import Teacher
from bot.matching.context import extract_context
from bot.matching.indexer import RESOURCE, TEACHER, Indexer
from bot.matching.peer_ranker import rank_peers
from bot.matching.resource_ranker import rank_resources, target_for
from bot.storage.database import Database
from bot.storage.repositories import (
    FeedbackRepository,
    RequestRepository,
    ResourceRepository,
    TeacherRepository,
)


@dataclass(frozen=True)
class Suggestions:
    resources: list[tuple[ResourceMatch, Resource]]
    peers: list[tuple[PeerMatch, Teacher]]

    def matches(self) -> list[ResourceMatch | PeerMatch]:
        return [m for m, _ in self.resources] + [m for m, _ in self.peers]


@dataclass
class Suggester:
    db: Database
    indexer: Indexer
    resource_limit: int = 3
    peer_limit: int = 3
    candidate_pool: int = 50
    recent_window: timedelta = timedelta(days=7)
    clock: Callable[[], datetime] = lambda: datetime.now(UTC)

    def suggest(
        self,
        question: str,
        asker: Teacher | None,
        platform: str,
        workspace_id: str | None = None,
        vector: np.ndarray | None = None,
    ) -> Suggestions:
        context = extract_context(question)
        target = target_for(context, asker.grades if asker else (), asker.subjects if asker else ())
        if vector is None:
            vector = self.indexer.embedder.embed([question])[0]
        resource_hits = self.indexer.search(RESOURCE, vector, self.candidate_pool)
        peer_hits = self.indexer.search(TEACHER, vector, self.candidate_pool * 2)
        with self.db.session() as session:
            resources = ResourceRepository(session).get_many(i for i, _ in resource_hits)
            teachers = TeacherRepository(session).get_many(i for i, _ in peer_hits)
            recent = RequestRepository(session).recent_peer_counts(
                self.clock() - self.recent_window, teachers.keys()
            )
            dismissed = (
                set(FeedbackRepository(session).resource_ids(asker.id, "not_relevant")) if asker else set()
            )
        ranked_resources = rank_resources(
            resource_hits, resources, context, target, limit=self.resource_limit, dismissed=dismissed
        )
        ranked_peers = rank_peers(
            peer_hits,
            teachers,
            context,
            target,
            asker,
            platform,
            workspace_id,
            recent_counts=recent,
            limit=self.peer_limit,
        )
        return Suggestions(
            resources=[(m, resources[m.resource_id]) for m in ranked_resources],
            peers=[(m, teachers[m.teacher_id]) for m in ranked_peers],
        )
