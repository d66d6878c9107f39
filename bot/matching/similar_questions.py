"""Questions like a new one: answered ones in the knowledge base, and near-duplicates still open.

Both stay inside the asker's community (platform and workspace): one district's knowledge and questions
never show up in another's.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta

import numpy as np

from bot.domain.knowledge import AnsweredQuestion, OpenDuplicate, SimilarAnswer
from bot.matching.context import extract_context
from bot.matching.indexer import ANSWER, Indexer
from bot.matching.question_vectors import REQUEST
from bot.storage.database import Database
from bot.storage.repositories import TeacherRepository
from bot.storage.repositories.knowledge import KnowledgeRepository

__all__ = ["REQUEST", "SimilarQuestions", "Thresholds", "same_words"]


@dataclass(frozen=True)
class Thresholds:
    """Cosine similarities, calibrated on all-MiniLM-L6-v2 (tests/data/answered_questions.jsonl).

    An answered question must also share a topic word with the new one: on the labeled set, paraphrases
    score 0.66–0.9 and the closest other question on the same grade and subject ("long division" against
    "equivalent fractions", 4th grade) 0.665, but shares none; with that rule any threshold from 0.5 to
    0.65 finds 24 of 24, so 0.6 sits in the middle.
    """

    answer: float = 0.6  # a paraphrase of an answered question (plus a shared topic word)
    duplicate: float = 0.9  # "someone asked this 2 days ago": nearly the same question, same grades
    duplicate_window: timedelta = timedelta(days=14)


@dataclass
class SimilarQuestions:
    db: Database
    indexer: Indexer
    thresholds: Thresholds = Thresholds()
    candidates: int = 20

    def answers(
        self,
        vector: np.ndarray,
        question: str,
        platform: str,
        workspace_id: str | None,
        exclude_request_id: int | None = None,
        exclude_helper_id: int | None = None,
        limit: int = 1,
    ) -> list[SimilarAnswer]:
        """Answered questions at least ``thresholds.answer`` close and on the same topic, best first, in the
        asker's community."""
        hits = [
            (i, s)
            for i, s in self.indexer.search(ANSWER, vector, self.candidates)
            if s >= self.thresholds.answer
        ]
        if not hits:
            return []
        with self.db.read_session() as session:  # committed rows; no lock held
            answers = KnowledgeRepository(session).get_many(i for i, _ in hits)
            helpers = TeacherRepository(session).get_many({a.helper_id for a in answers.values()})
        topic = extract_context(question).terms
        found: list[SimilarAnswer] = []
        for answer_id, score in hits:
            answer = answers.get(answer_id)
            if answer is None or not _same_community(answer, platform, workspace_id):
                continue
            if not topic & extract_context(answer.question).terms:
                continue
            if answer.request_id == exclude_request_id or answer.helper_id == exclude_helper_id:
                continue
            helper = helpers.get(answer.helper_id)
            found.append(SimilarAnswer(answer, score, helper.name if helper else "a colleague"))
            if len(found) == limit:
                break
        return found

    def remember(self, request_id: int, text: str, vector: np.ndarray) -> None:
        """Keep the question's vector so later questions can be compared with it without re-embedding."""
        with self.db.unit_of_work() as uow:
            uow.embeddings.put(REQUEST, request_id, self.indexer.embedder.model_name, vector, text)
        self.indexer.questions.put(request_id, text, vector)

    def own_open_repeat(
        self,
        vector: np.ndarray,
        question: str,
        request_id: int,
        asker_id: int,
        platform: str,
        now: datetime,
    ) -> int | None:
        """The asker's own still-open question that this one repeats (the same words, or a near-duplicate
        on the same grades), if any: asking again after *Save* or *Not relevant* is natural."""
        with self.db.read_session() as session:  # committed rows; no lock held
            own = KnowledgeRepository(session).askers_open_requests(
                asker_id, platform, now - self.thresholds.duplicate_window, request_id
            )
            if not own:
                return None
            words = same_words(question)
            for other_id, text in own:
                if same_words(text) == words:
                    return other_id
            stored_ids, matrix = self.indexer.questions.load(session, own)
        if not len(stored_ids) or matrix.shape[1] != vector.shape[0]:
            return None
        texts = dict(own)
        grades = extract_context(question).grades
        scores = matrix @ np.asarray(vector, dtype=np.float32)
        close = sorted(
            ((float(s), int(i)) for i, s in zip(stored_ids, scores, strict=True)),
            reverse=True,
        )
        for score, other_id in close:
            if score < self.thresholds.duplicate:
                break
            if _same_grades(grades, extract_context(texts[other_id]).grades):
                return other_id
        return None

    def open_duplicates(
        self,
        vector: np.ndarray,
        question: str,
        request_id: int,
        asker_id: int | None,
        platform: str,
        workspace_id: str | None,
        now: datetime,
    ) -> list[OpenDuplicate]:
        """Other teachers' open questions from the last ``duplicate_window`` that this one nearly repeats
        (questions naming different grades are different questions)."""
        with self.db.read_session() as session:  # committed rows; no lock held
            recent = KnowledgeRepository(session).recent_open_requests(
                now - self.thresholds.duplicate_window, platform, workspace_id, request_id, asker_id
            )
            if not recent:
                return []
            stored_ids, matrix = self.indexer.questions.load(session, [(i, t) for i, t, _ in recent])
        if not len(stored_ids) or matrix.shape[1] != vector.shape[0]:
            return []
        scores = matrix @ np.asarray(vector, dtype=np.float32)
        close = [(int(i), float(s)) for i, s in zip(stored_ids, scores, strict=True)]
        close = [(i, s) for i, s in close if s >= self.thresholds.duplicate]
        found = {i: (text, asked) for i, text, asked in recent}
        grades = extract_context(question).grades
        return sorted(
            (
                OpenDuplicate(i, s, found[i][1])
                for i, s in close
                if i in found and _same_grades(grades, extract_context(found[i][0]).grades)
            ),
            key=lambda d: -d.score,
        )


def same_words(text: str) -> tuple[str, ...]:
    """The words of ``text``, case and punctuation aside (so "Fractions?" repeats "fractions")."""
    return tuple(re.findall(r"\w+", text.casefold()))


def _same_grades(a: frozenset[str], b: frozenset[str]) -> bool:
    return not (a and b) or bool(a & b)


def _same_community(answer: AnsweredQuestion, platform: str, workspace_id: str | None) -> bool:
    if answer.platform != platform:
        return False
    return not (workspace_id and answer.workspace_id and answer.workspace_id != workspace_id)
