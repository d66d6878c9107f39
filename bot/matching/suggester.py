"""From a question to ranked resources and peers: embed once, search both indexes, rank, explain."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta
from functools import partial

import numpy as np

from bot.domain.clock import Clock, system_clock
from bot.domain.requests import PeerMatch, ResourceMatch
from bot.domain.resources import Resource
from bot.domain.teachers import Teacher
from bot.matching.catalog_scope import SHARED, CatalogScope, in_scope
from bot.matching.expertise import PARAPHRASE, helpers
from bot.matching.hybrid import similarities, with_lexical
from bot.matching.indexer import ANSWER, RESOURCE, TEACHER, Indexer
from bot.matching.interest_vectors import InterestVectors
from bot.matching.overfetch import rank_with_overfetch, searched_once
from bot.matching.peer_ranker import PeerWeights, rank_peers
from bot.matching.relevance import RelevanceFloor
from bot.matching.resource_ranker import (
    ItemMemo,
    ResourceWeights,
    Target,
    rank_resources,
    target_for,
)
from bot.matching.shown_chosen import ShownVsChosen
from bot.matching.synonyms import expand_query, question_context
from bot.storage.database import Database
from bot.storage.repositories import (
    FeedbackRepository,
    RequestRepository,
    ResourceRepository,
    TeacherRepository,
)
from bot.storage.repositories.knowledge import KnowledgeRepository


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
    candidate_pool: int = 50  # first fetch; widened (×4) until re-ranking by fit provably cannot miss
    peer_candidate_pool: int = 50  # colleagues likewise (100 gave the same picks at 100k, 1 ms slower)
    max_candidate_pool: int = 200  # measured: 800 cost p99 260 ms of DB reads at 100k; 200 fits 60 ms
    lexical_pool: int = 20  # BM25 hits fused with the embedding hits
    answer_pool: int = 10  # answered questions looked at for colleagues who helped with a paraphrase
    paraphrase: float = PARAPHRASE
    recent_window: timedelta = timedelta(days=7)
    relevance: RelevanceFloor = field(default_factory=RelevanceFloor)
    resource_weights: ResourceWeights = field(default_factory=ResourceWeights)
    peer_weights: PeerWeights = field(default_factory=PeerWeights)
    clock: Clock = system_clock
    catalog_scope: CatalogScope = SHARED  # KINDRED_CATALOG_SCOPE: one district catalog, or per workspace
    shown_chosen: ShownVsChosen | None = None  # hubs learned from use: shown often, rarely chosen
    interest_vectors: InterestVectors | None = None  # colleagues' interests by meaning (built if None)

    def __post_init__(self) -> None:
        if self.interest_vectors is None:
            self.interest_vectors = InterestVectors(self.indexer.embedder)

    def warm_interests(self, batch: int = 512) -> int:
        """Embed every onboarded colleague's interests now, in this thread (benchmarks; a process that wants
        no interest embedded under traffic — otherwise each is embedded the first time it is ranked)."""
        if self.interest_vectors is None:
            return 0
        with self.db.read_session() as session:
            phrases = list(
                dict.fromkeys(p for t in TeacherRepository(session).all() if t.onboarded for p in t.interests)
            )
        for start in range(0, len(phrases), batch):
            self.interest_vectors.vectors(phrases[start : start + batch])
        return len(phrases)

    def suggest(
        self,
        question: str,
        asker: Teacher | None,
        platform: str,
        workspace_id: str | None = None,
        vector: np.ndarray | None = None,
    ) -> Suggestions:
        context = question_context(question)
        target = target_for(context, asker.grades if asker else (), asker.subjects if asker else ())
        query = expand_query(question)
        if vector is None:
            vector = self.indexer.embedder.embed([query])[0]
        model = self.indexer.embedder.model_name
        resource_vector = self.indexer.means.centred(RESOURCE, vector, self.relevance.hub)
        peer_vector = self.indexer.means.centred(TEACHER, vector, self.peer_weights.hub)  # interests
        lexical_hits = (
            self.indexer.lexical.search(RESOURCE, query, self.lexical_pool) if self.lexical_pool else []
        )
        lexical_only = similarities(
            self.db,
            RESOURCE,
            model,
            resource_vector,
            [i for i, _ in lexical_hits],
            index=self.indexer.index(RESOURCE),
        )
        with self.db.read_session() as session:  # committed rows; no lock of the caller's held
            lexical_items = in_scope(
                ResourceRepository(session).get_many([i for i, _ in lexical_only]),
                self.catalog_scope,
                workspace_id,
            )
            dismissed = (
                set(FeedbackRepository(session).resource_ids(asker.id, "not_relevant")) if asker else set()
            )
            hubs = self.shown_chosen.current() if self.shown_chosen else {}
            # BM25 counts only for the lexical hits, and those are ranked every round (``with_lexical``): an
            # item the embedding search has not reached yet can gain only its tag matches, not BM25
            unseen_lexical = self.relevance.max_tags()
            memo: ItemMemo = {}  # each candidate scored once, however often the widening ranks it
            _, resources, ranked_resources = rank_with_overfetch(
                searched_once(
                    lambda k: self.indexer.search(RESOURCE, resource_vector, k),
                    max(self.max_candidate_pool, self.candidate_pool, self.resource_limit),
                ),
                lambda ids: in_scope(
                    ResourceRepository(session).get_many(ids), self.catalog_scope, workspace_id
                ),
                lambda hits, items: rank_resources(
                    with_lexical(hits, lexical_only),
                    {**lexical_items, **items},
                    context,
                    target,
                    limit=self.resource_limit,
                    dismissed=dismissed,
                    weights=self.resource_weights,
                    floor=self.relevance,
                    lexical_hits=lexical_hits,
                    hubs=hubs,
                    memo=memo,
                ),
                pool=self.candidate_pool,
                max_pool=self.max_candidate_pool,
                limit=self.resource_limit,
                max_bonus=resource_max_bonus(target, self.resource_weights) + unseen_lexical,
                floor=self.relevance.floor,
                max_relevance=unseen_lexical,
            )
            recent: dict[int, int] = {}
            since = self.clock() - self.recent_window
            answer_hits = self.indexer.search(ANSWER, vector, self.answer_pool) if self.answer_pool else []
            helped = helpers(
                answer_hits,
                KnowledgeRepository(session).get_many(i for i, _ in answer_hits),
                self.paraphrase,
            )
            peer_lexical = (
                self.indexer.lexical.search(TEACHER, query, self.lexical_pool * 2)
                if self.peer_weights.lexical and self.lexical_pool
                else []
            )
            extra_peers = similarities(
                self.db,
                TEACHER,
                model,
                vector,
                list(dict.fromkeys([*helped, *(i for i, _ in peer_lexical)])),
                index=self.indexer.index(TEACHER),
            )
            extra_peer_items = TeacherRepository(session).get_many(i for i, _ in extra_peers)

            closest_interests = (
                partial(self.interest_vectors.closest, peer_vector)
                if self.interest_vectors is not None
                else None
            )

            def load_teachers(ids: list[int]) -> dict[int, Teacher]:
                found = TeacherRepository(session).get_many(ids)
                recent.update(RequestRepository(session).recent_peer_counts(since, found.keys()))
                return found

            _, teachers, ranked_peers = rank_with_overfetch(
                searched_once(
                    lambda k: self.indexer.search(TEACHER, vector, k),
                    max(self.max_candidate_pool, self.candidate_pool, self.peer_limit) * 2,
                ),
                load_teachers,
                lambda hits, items: rank_peers(
                    with_lexical(hits, extra_peers),
                    {**extra_peer_items, **items},
                    context,
                    target,
                    asker,
                    platform,
                    workspace_id,
                    recent_counts=recent,
                    limit=self.peer_limit,
                    weights=self.peer_weights,
                    helped=helped,
                    lexical_hits=peer_lexical,
                    closest_interests=closest_interests,
                ),
                pool=self.peer_candidate_pool,
                max_pool=self.max_candidate_pool * 2,
                limit=self.peer_limit,
                max_bonus=peer_max_bonus(target, self.peer_weights),
            )
        return Suggestions(
            resources=[(m, {**lexical_items, **resources}[m.resource_id]) for m in ranked_resources],
            peers=[(m, {**extra_peer_items, **teachers}[m.teacher_id]) for m in ranked_peers],
        )


def resource_max_bonus(target: Target, weights: ResourceWeights = ResourceWeights()) -> float:
    """The most grade/subject fit can add to a resource's similarity for this target."""
    grade = weights.grade * (1.0 if target.grades_from_question else weights.profile_factor)
    subject = weights.subject * (1.0 if target.subjects_from_question else weights.profile_factor)
    return (grade if target.grades else 0.0) + (subject if target.subjects else 0.0)


def peer_max_bonus(target: Target, weights: PeerWeights = PeerWeights()) -> float:
    """The most grade/subject/interest fit can add to a colleague's similarity for this target."""
    return (
        (weights.grade if target.grades else 0.0)
        + (weights.subject if target.subjects else 0.0)
        + (weights.topic + weights.interest) * 2
    )
