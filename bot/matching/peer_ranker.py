"""Ranks kindred-spirit colleagues for a question.

Colleagues by expertise: a colleague is suggested only with a true reason — a past answer that helped with
a paraphrase, a specialist role the question is about, an interest the question names (its words on word
boundaries, hyphenated parts apart, or a concept in any spelling: "family engagement" for "parents"), or,
among the nearest few, an interest close in meaning to the question (``interest_vectors``, hub-centred,
within a calibrated floor and margin of the best). Similarity to the whole profile orders them; it never
shows a colleague on its own, nor does a grade or a subject. Fewer than three with a reason: fewer shown.

Flat by design: experience and seniority are never weighted. Helpers suggested often recently are
gently pushed down so the same people are not swamped.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from functools import lru_cache

from bot.domain.requests import PeerMatch
from bot.domain.teachers import Teacher
from bot.domain.vocabulary import (
    broad_subject,
    broad_subjects,
    grade_label,
    role_label,
    role_subject,
    subject_label,
)
from bot.matching.context import QuestionContext, content_terms
from bot.matching.expertise import HelpedWith
from bot.matching.fit import grade_fit, subject_fit
from bot.matching.relevance import CALIBRATED_MODEL, saturated
from bot.matching.resource_ranker import Target
from bot.matching.synonyms import concept_tokens

# Specialist subjects (broad or specific, as on the profile): a colleague who teaches one is the school's
# go-to when a question is about it (the question's broad subject, see ``vocabulary.broad_subject``).
SPECIALIST_ROLES: dict[str, str] = {
    "sped": "special education teacher",
    "ell": "ELL specialist",
    "sel": "SEL / counselling",
    "counselling": "school counsellor",
    "pe": "PE teacher",
    "music": "music teacher",
    "band": "band director",
    "choir": "choir director",
    "orchestra": "orchestra director",
    "art": "art teacher",
    "theatre": "theatre teacher",
    "dance": "dance teacher",
    "library media": "library/media specialist",
    "cs": "computer science teacher",
    "world languages": "world languages teacher",
    "cte": "CTE teacher",
    "health": "health teacher",
}

# Roles a profile states in its bio ("I'm the school counselor"), with the broad subject they are the
# go-to for: read only for a profile without roles of its own (``Teacher.roles``), so a bio written before
# roles existed still counts, and stated roles are never second-guessed by the bio.
_BIO_ROLES: tuple[tuple[re.Pattern[str], str, str], ...] = tuple(
    (re.compile(pattern, re.I), role, subject)
    for pattern, role, subject in (
        (r"\bschool counsel(?:l)?or\b|\bcounsel(?:l)?ing\b", "school counsellor", "sel"),
        (r"\bELL specialist\b|\bESL teacher\b|\bELD teacher\b", "ELL specialist", "ell"),
        (r"\bspecial education\b|\bresource teacher\b|\bSPED\b", "special education teacher", "sped"),
        (r"\blibrar(?:y|ian)\b|\bmedia specialist\b", "library/media specialist", "ela"),
        (r"\bband director\b|\bgeneral music\b|\bchoir\b", "music teacher", "music"),
        (r"\bPE teacher\b|\bphysical education\b", "PE teacher", "pe"),
    )
)
# teacher id -> (similarity, interest) of each colleague's interest closest to the question
# (``InterestVectors.closest`` with the question's hub-centred vector bound).
ClosestInterests = Callable[[Sequence[Teacher]], Mapping[int, tuple[float, str]]]


@dataclass(frozen=True)
class PeerWeights:
    # Calibrated on the tuning split (benchmarks/calibrate_matching.py), with topic >= grade + subject so a
    # grade/subject-only match cannot outrank a colleague whose interests or role the question names.
    # grade and subject fit count only for a colleague with a topic, role or past answer; the tuning split
    # calibrates them to 0 (the question's words, BM25 over the profile, carry what grade fit used to).
    # Re-calibrated on the 243 tuning questions: topic 0.1 and BM25 0.1 (colleague hit@3 0.858 -> 0.875);
    # with reasons required (below), BM25 0.2.
    grade: float = 0.0
    subject: float = 0.0
    topic: float = 0.1  # per interest the question names, or a matching specialist role (at most two)
    interest: float = 0.0  # per interest shared with the asker (at most two)
    helped: float = 0.3  # answered a paraphrase of this question well before (expertise)
    lexical: float = 0.2  # × the profile's saturated BM25 score for the question (see ``relevance``)
    bm25_half: float = 4.0
    recent_penalty: float = 0.04
    max_penalty: float = 0.2
    # An interest close in meaning to the question is a reason for one of the ``semantic_pool`` best-scored
    # colleagues when its hub-centred similarity clears ``semantic_floor`` and is within ``semantic_margin``
    # of the best such interest among them; ``hub`` is the centring weight (the mean profile vector).
    # Calibrated on the tuning split for the bundled model (benchmarks/calibrate_matching.py --peers-only,
    # with topic 0.1 and BM25 0.2): the most hit@3 with no colleague in over 10% of the answers they do not
    # fit. Every colleague shown now has a reason: precision 0.337 -> 0.489, off-topic share of the most
    # shown colleague 0.288 -> 0.086, 1.8 colleagues per answer instead of 3, hit@3 0.869 -> 0.830.
    semantic_floor: float = 0.18
    semantic_margin: float = 0.12
    semantic_pool: int = 15
    hub: float = 0.8

    def wider(self, pool: int) -> PeerWeights:
        """For asking more colleagues later (escalation): any of the ``pool`` best-scored colleagues whose
        closest interest clears the floor, not only those near the best one — still never without a reason."""
        return replace(self, semantic_margin=float("inf"), semantic_pool=max(self.semantic_pool, pool))


# Another model's similarities are on another scale: no absolute floor until calibrated (see ``relevance``).
UNCALIBRATED = PeerWeights(semantic_floor=float("-inf"))


def peer_weights_for(model_name: str) -> PeerWeights:
    """The calibrated weights for the bundled model (plain or ONNX); no semantic floor for other models."""
    return PeerWeights() if model_name.split("+", 1)[0] == CALIBRATED_MODEL else UNCALIBRATED


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
    helped: Mapping[int, HelpedWith] | None = None,
    lexical_hits: Sequence[tuple[int, float]] = (),
    closest_interests: ClosestInterests | None = None,
) -> list[PeerMatch]:
    """Colleagues by expertise: similarity, plus a past answer that helped, the topics the question names
    and a specialist role; grade and subject fit count only on top of one of those, so a grade-only match
    never outranks a topic match. Only colleagues with a true reason are returned (at most ``limit``)."""
    recent_counts = recent_counts or {}
    helped = helped or {}
    bm25 = dict(lexical_hits)
    scored: list[tuple[float, Teacher, bool]] = []
    for teacher_id, similarity in candidates:
        teacher = teachers.get(teacher_id)
        if teacher is None or not eligible(teacher, asker, platform, workspace_id):
            continue
        topics = topic_interests(teacher, context)
        role = bool(specialist_role(teacher, context))
        score = similarity + weights.topic * min(2, len(topics) + role)
        score += weights.lexical * saturated(bm25.get(teacher_id, 0.0), weights.bm25_half)
        if teacher_id in helped:
            score += weights.helped
        if topics or role or teacher_id in helped:
            score += weights.grade * grade_fit(target.grades, teacher.grades)
            score += weights.subject * subject_fit(target.subjects, teacher.subjects)
        asker_shared = [i for i in teacher.interests if asker and i in asker.interests and i not in topics]
        score += weights.interest * min(2, len(asker_shared))
        score -= min(weights.max_penalty, weights.recent_penalty * recent_counts.get(teacher_id, 0))
        scored.append((score, teacher, bool(topics or role or teacher_id in helped)))
    scored.sort(key=lambda entry: (-entry[0], entry[1].id))
    related = _related_interests(scored, weights, closest_interests)
    out: list[PeerMatch] = []
    for score, t, _ in scored:
        reason = peer_reason(t, context, target, asker, helped.get(t.id), related.get(t.id))
        if reason is not None:
            out.append(PeerMatch(t.id, round(score, 4), reason))
            if len(out) == limit:
                break
    return out


def _related_interests(
    scored: Sequence[tuple[float, Teacher, bool]],
    weights: PeerWeights,
    closest_interests: ClosestInterests | None,
) -> dict[int, str]:
    """Teacher id -> the interest close in meaning to the question, for the best-scored colleagues without
    a lexical reason whose closest interest clears the floor and the margin below the best one's."""
    pool = [t for _, t, _ in scored[: weights.semantic_pool]]
    if closest_interests is None or not any(not lexical for _, _, lexical in scored[: len(pool)]):
        return {}
    closest = closest_interests(pool)
    if not closest:
        return {}
    best = max(similarity for similarity, _ in closest.values())
    floor = max(weights.semantic_floor, best - weights.semantic_margin)
    return {tid: interest for tid, (similarity, interest) in closest.items() if similarity >= floor}


def peer_reason(
    teacher: Teacher,
    context: QuestionContext,
    target: Target,
    asker: Teacher | None,
    helped: HelpedWith | None = None,
    related: str | None = None,
) -> str | None:
    """A past answer that helped, a specialist role, the question's topics ("shared: fractions"), an
    interest close in meaning (``related``: "related interest: debugging"), then what they teach; None
    when there is none of these: a grade or a subject alone is never a reason, nor interests the question
    is not about ("into robotics" for a 3D-printer question), nor a word their bio happens to use."""
    parts: list[str] = []
    if helped is not None:
        parts.append(helped.reason(context.terms))
    role = specialist_role(teacher, context)
    if role:
        parts.append(role)
    shared = topic_interests(teacher, context)
    if shared:
        parts.append("shared: " + ", ".join(shared[:3]))
    elif related and not parts:
        parts.append(f"related interest: {related}")
    if not parts:
        return None
    grades = [g for g in teacher.grades if g in target.grades]
    wanted = {broad_subject(s) for s in target.subjects}
    subjects = [s for s in teacher.subjects if broad_subject(s) in wanted]
    if grades or subjects:
        what = " ".join(p for p in (grade_label(grades), ", ".join(subject_label(s) for s in subjects)) if p)
        shares_with_asker = asker is not None and (
            set(grades) & set(asker.grades) or set(subjects) & set(asker.subjects)
        )
        parts.append(("also teaches " if shares_with_asker else "teaches ") + what)
    return " · ".join(parts)


def specialist_role(teacher: Teacher, context: QuestionContext) -> str | None:
    """The colleague's specialist role when the question itself is about that specialty: a role on their
    profile first (a coach of no one subject, such as an instructional coach, when the question names a grade
    and a subject their profile covers), then a specialist subject, then (for a profile without roles) a role
    their bio states."""
    if not context.subjects:  # a role counts only for a subject the question is about
        return None
    for key in teacher.roles:
        go_to = role_subject(key)
        if go_to is not None and go_to in context.subjects:
            return role_label(key)
    for key in teacher.roles:  # a coach of no one subject: the go-to for what and whom they coach
        if role_subject(key) is None and _coaches(teacher, context):
            return role_label(key)
    for subject in teacher.subjects:
        role = SPECIALIST_ROLES.get(subject)
        if role and broad_subject(subject) in context.subjects:
            return role
    if teacher.roles:
        return None
    for stated, subject in bio_roles(teacher.bio):
        if subject in context.subjects:
            return stated
    return None


def _coaches(teacher: Teacher, context: QuestionContext) -> bool:
    """The question names a subject and a grade the colleague's profile covers."""
    return bool(context.grades & set(teacher.grades) and broad_subjects(teacher.subjects) & context.subjects)


@lru_cache(maxsize=16_384)
def bio_roles(bio: str) -> tuple[tuple[str, str], ...]:
    """(role, broad subject) for each specialist role a bio states (each bio scanned once)."""
    return tuple((role, subject) for pattern, role, subject in _BIO_ROLES if pattern.search(bio))


def topic_interests(teacher: Teacher, context: QuestionContext) -> list[str]:
    """Interests the question names: all their words in it (word boundaries, lightly folded, hyphenated
    words also by their parts: "small-group instruction" for "small groups"), or a concept both name in
    any spelling ("ell strategies" for "my ELLs", "family engagement" for "parents")."""
    terms = _with_parts(context.terms)
    return [
        phrase
        for phrase in teacher.interests
        if (words := interest_terms(phrase)) and (words <= terms or concept_tokens(phrase) & context.concepts)
    ]


@lru_cache(maxsize=65_536)
def interest_terms(phrase: str) -> frozenset[str]:
    """An interest's content words, hyphenated ones split into their parts ("small-group" -> small, group)."""
    return _with_parts(content_terms(phrase))


@lru_cache(maxsize=16_384)
def _with_parts(terms: frozenset[str]) -> frozenset[str]:
    parts = {fold for term in terms if "-" in term for fold in content_terms(term.replace("-", " "))}
    return terms | parts if parts else terms
