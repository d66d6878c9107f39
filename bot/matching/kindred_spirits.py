"""A teacher's kindred spirits: the colleagues most like them (profile and recent questions), each with
why, plus one "stretch" colleague from another grade band, subject or school who has helped on questions
like theirs.

Flat by design, like the peer ranker: experience never counts. Colleagues who said they are not open to
being suggested are never shown.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from dataclasses import dataclass

import numpy as np

from bot.domain.teachers import Teacher
from bot.domain.vocabulary import grade_label, subject_label
from bot.matching.fit import grade_fit, subject_fit
from bot.matching.indexer import ANSWER, TEACHER, Indexer
from bot.matching.peer_ranker import PeerWeights, eligible
from bot.scheduling.messages import quote
from bot.storage.database import Database

GRADE_BANDS: dict[str, str] = {
    **dict.fromkeys(("K", "1", "2"), "K–2"),
    **dict.fromkeys(("3", "4", "5"), "3–5"),
    **dict.fromkeys(("6", "7", "8"), "6–8"),
    **dict.fromkeys(("9", "10", "11", "12"), "9–12"),
}


@dataclass(frozen=True)
class Kinship:
    teacher: Teacher
    score: float
    reason: str


@dataclass(frozen=True)
class KindredSpirits:
    closest: tuple[Kinship, ...]
    stretch: Kinship | None = None


def bands(grades: Iterable[str]) -> set[str]:
    return {GRADE_BANDS[g] for g in grades if g in GRADE_BANDS}


def kinship_reason(me: Teacher, them: Teacher) -> str:
    """ "both teach 3rd grade ELA; both into reading conferences"."""
    parts: list[str] = []
    grades = [g for g in them.grades if g in me.grades]
    subjects = [subject_label(s) for s in them.subjects if s in me.subjects]
    if grades or subjects:
        parts.append("both teach " + " ".join(p for p in (grade_label(grades), ", ".join(subjects)) if p))
    mine = {i.lower() for i in me.interests}
    shared = [i for i in them.interests if i.lower() in mine]
    if shared:
        parts.append("both into " + ", ".join(shared[:2]))
    if not parts and me.school and me.school == them.school:
        parts.append(f"both at {me.school}")
    if not parts:
        parts.append(
            "asks and cares about the same things"
            + (f" — into {them.interests[0]}" if them.interests else "")
        )
    return "; ".join(parts)


def difference(me: Teacher, them: Teacher) -> str | None:
    """How ``them`` stretches ``me``: another grade band, subject or school (None when none differ)."""
    if bands(me.grades) and bands(them.grades) and not bands(me.grades) & bands(them.grades):
        return f"teaches {grade_label(them.grades)} — another grade band"
    if me.subjects and them.subjects and not set(me.subjects) & set(them.subjects):
        return "teaches " + ", ".join(subject_label(s) for s in them.subjects) + " — another subject"
    if me.school and them.school and me.school != them.school:
        return f"at {them.school} — another school"
    return None


@dataclass
class KindredSpiritFinder:
    db: Database
    indexer: Indexer
    limit: int = 5
    recent_questions: int = 5
    candidates: int = 60
    stretch_answer_score: float = 0.5  # a profile-plus-questions vector is looser than a question's

    def find(self, me: Teacher) -> KindredSpirits:
        vector = self.vector_for(me)
        if vector is None:
            return KindredSpirits(closest=())
        hits = self.indexer.search(TEACHER, vector, self.candidates)
        with self.db.unit_of_work(writes=False) as uow:
            teachers = uow.teachers.get_many(i for i, _ in hits)
        pool = [
            (teachers[i], s)
            for i, s in hits
            if i in teachers
            and teachers[i].onboarded
            and eligible(teachers[i], me, me.platform, me.workspace_id)
        ]
        ranked = sorted(((self._score(me, t, s), t) for t, s in pool), key=lambda p: (-p[0], p[1].id))
        closest = tuple(Kinship(t, round(s, 4), kinship_reason(me, t)) for s, t in ranked[: self.limit])
        chosen = {k.teacher.id for k in closest}
        stretch = self._stretch_from_history(me, vector, chosen) or self._stretch_by_profile(me, pool, chosen)
        return KindredSpirits(closest=closest, stretch=stretch)

    def vector_for(self, me: Teacher) -> np.ndarray | None:
        """Profile and recent questions, weighted equally; None when there is neither."""
        parts: list[np.ndarray] = []
        model = self.indexer.embedder.model_name
        with self.db.unit_of_work(writes=False) as uow:
            _, stored = uow.embeddings.load(TEACHER, model, [me.id])
            questions = uow.requests.recent_texts_of(me.id, self.recent_questions)
        if me.onboarded and len(stored):
            parts.append(stored[0])
        elif me.onboarded and me.profile_text():
            parts.append(self.indexer.embedder.embed([me.profile_text()])[0])
        if questions:
            parts.append(self.indexer.embedder.embed(questions).mean(axis=0))
        if not parts:
            return None
        vector = np.sum(parts, axis=0).astype(np.float32)
        norm = float(np.linalg.norm(vector))
        return vector / norm if norm else None

    @staticmethod
    def _score(me: Teacher, them: Teacher, similarity: float) -> float:
        """The peer ranker's weights (experience never counts), fitted to me instead of a question."""
        weights = PeerWeights()
        shared = {i.lower() for i in me.interests} & {i.lower() for i in them.interests}
        return (
            similarity
            + weights.grade * grade_fit(me.grades, them.grades)
            + weights.subject * subject_fit(me.subjects, them.subjects)
            + weights.interest * min(2, len(shared))
        )

    def _stretch_from_history(
        self, me: Teacher, vector: np.ndarray, chosen: Collection[int]
    ) -> Kinship | None:
        """Someone different who answered a question like mine, shared what helped me, or was suggested
        for my questions — strongest evidence first."""
        evidence: list[tuple[int, str]] = []
        answer_hits = [
            (i, s) for i, s in self.indexer.search(ANSWER, vector, 10) if s >= self.stretch_answer_score
        ]
        with self.db.unit_of_work(writes=False) as uow:
            answers = uow.knowledge.get_many(i for i, _ in answer_hits)
            for answer_id, _ in answer_hits:
                if answer_id in answers:
                    a = answers[answer_id]
                    evidence.append(
                        (a.helper_id, f"answered a question like yours: “{quote(a.question, 80)}”")
                    )
            helped = uow.feedback.helpful_shares(me.id)
            evidence += [(t, f"shared “{title}”, which helped you") for t, title in helped]
            for peer_id, sharer_id, title in uow.requests.suggested_to_asker(me.id):
                if peer_id is not None:
                    evidence.append((peer_id, "was suggested as a helper for one of your questions"))
                elif sharer_id is not None:
                    evidence.append((sharer_id, f"shared “{title}”, suggested for one of your questions"))
            people = uow.teachers.get_many({t for t, _ in evidence})
        for teacher_id, why in evidence:
            them = people.get(teacher_id)
            if them is None or teacher_id in chosen or not eligible(them, me, me.platform, me.workspace_id):
                continue
            how = difference(me, them)
            if how is not None:
                return Kinship(them, 0.0, f"{how}; {why}")
        return None

    def _stretch_by_profile(
        self, me: Teacher, pool: list[tuple[Teacher, float]], chosen: Collection[int]
    ) -> Kinship | None:
        """No history yet: the most similar colleague in another grade band (else at another school)."""
        others = [(t, s) for t, s in pool if t.id not in chosen]
        for wanted in ("grade band", "school"):
            for them, score in others:
                how = difference(me, them)
                if how is not None and how.endswith(wanted):
                    shared = kinship_reason(me, them)
                    return Kinship(them, round(score, 4), f"{how}; {shared}")
        return None
