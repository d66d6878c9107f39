"""Ranks kindred-spirit colleagues for a question.

Flat by design: experience and seniority are never weighted. Helpers suggested often recently are
gently pushed down so the same people are not swamped.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass

from bot.domain.requests import PeerMatch
from bot.domain.teachers import Teacher
from bot.domain.vocabulary import grade_label, subject_label
from bot.matching.context import QuestionContext
from bot.matching.fit import grade_fit, subject_fit
from bot.matching.relevance import matched_phrases
from bot.matching.resource_ranker import Target

# Specialist subjects: a colleague who teaches one is the school's go-to when a question is about it.
SPECIALIST_ROLES: dict[str, str] = {
    "sped": "special education teacher",
    "ell": "ELL specialist",
    "sel": "SEL / counselling",
    "pe": "PE teacher",
    "music": "music teacher",
    "art": "art teacher",
}


@dataclass(frozen=True)
class PeerWeights:
    # Calibrated on the tuning split (benchmarks/calibrate_matching.py), with topic >= grade + subject so a
    # grade/subject-only match cannot outrank a colleague whose interests or role the question names.
    grade: float = 0.03
    subject: float = 0.03
    topic: float = 0.1  # per interest the question names, or a matching specialist role (at most two)
    interest: float = 0.05  # per interest shared with the asker (at most two)
    recent_penalty: float = 0.04
    max_penalty: float = 0.2


def eligible(teacher: Teacher, asker: Teacher | None, platform: str, workspace_id: str | None) -> bool:
    """Open to help, not the asker, reachable on the asker's platform (and workspace, when known)."""
    if not teacher.open_to_help or teacher.platform != platform:
        return False
    if asker is not None and teacher.id == asker.id:
        return False
    return not (workspace_id and teacher.workspace_id and teacher.workspace_id != workspace_id)


def rank_peers(
    candidates: list[tuple[int, float]],
    teachers: Mapping[int, Teacher],
    context: QuestionContext,
    target: Target,
    asker: Teacher | None,
    platform: str,
    workspace_id: str | None = None,
    recent_counts: Mapping[int, int] | None = None,
    limit: int = 3,
    weights: PeerWeights = PeerWeights(),
) -> list[PeerMatch]:
    recent_counts = recent_counts or {}
    scored: list[tuple[float, Teacher]] = []
    for teacher_id, similarity in candidates:
        teacher = teachers.get(teacher_id)
        if teacher is None or not eligible(teacher, asker, platform, workspace_id):
            continue
        score = similarity
        score += weights.grade * grade_fit(target.grades, teacher.grades)
        score += weights.subject * subject_fit(target.subjects, teacher.subjects)
        topics = _topic_interests(teacher, context)
        score += weights.topic * min(2, len(topics) + bool(specialist_role(teacher, context)))
        score += weights.interest * min(2, len(_shared_interests(teacher, context, asker)) - len(topics))
        score -= min(weights.max_penalty, weights.recent_penalty * recent_counts.get(teacher_id, 0))
        scored.append((score, teacher))
    scored.sort(key=lambda pair: (-pair[0], pair[1].id))
    return [
        PeerMatch(t.id, round(score, 4), peer_reason(t, context, target, asker))
        for score, t in scored[:limit]
    ]


def peer_reason(teacher: Teacher, context: QuestionContext, target: Target, asker: Teacher | None) -> str:
    """A topic first ("shared: fractions, manipulatives"), a specialist role, then what they teach.

    Never a grade or subject alone: without a topic or role the reason names the colleague's interests."""
    parts: list[str] = []
    role = specialist_role(teacher, context)
    if role:
        parts.append(role)
    shared = _shared_interests(teacher, context, asker)
    if shared:
        parts.append("shared: " + ", ".join(shared[:3]))
    elif not role and teacher.interests:
        parts.append("into " + ", ".join(teacher.interests[:2]))
    grades = [g for g in teacher.grades if g in target.grades]
    subjects = [s for s in teacher.subjects if s in target.subjects]
    if parts and (grades or subjects):
        what = " ".join(p for p in (grade_label(grades), ", ".join(subject_label(s) for s in subjects)) if p)
        shares_with_asker = asker is not None and (
            set(grades) & set(asker.grades) or set(subjects) & set(asker.subjects)
        )
        parts.append(("also teaches " if shares_with_asker else "teaches ") + what)
    return " · ".join(parts) or "a colleague who is glad to help"


def specialist_role(teacher: Teacher, context: QuestionContext) -> str | None:
    """The colleague's specialist role when the question itself is about that specialty."""
    for subject, role in SPECIALIST_ROLES.items():
        if subject in context.subjects and subject in teacher.subjects:
            return role
    return None


def _shared_interests(teacher: Teacher, context: QuestionContext, asker: Teacher | None) -> list[str]:
    """Interests that match words in the question, then interests shared with the asker."""
    asker_interests: Collection[str] = asker.interests if asker else ()
    hits = _topic_interests(teacher, context)
    hits += [i for i in teacher.interests if i in asker_interests and i not in hits]
    return hits


def _topic_interests(teacher: Teacher, context: QuestionContext) -> list[str]:
    """Interests the question names (all their words in it, lightly folded)."""
    return matched_phrases(teacher.interests, context.terms)
