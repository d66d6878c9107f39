"""Ranks grab n' go resources: relevant ones first (``relevance``), then grade and subject fit among them."""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass

from bot.domain.requests import ResourceMatch
from bot.domain.resources import Resource
from bot.domain.vocabulary import broad_subject, grade_label, subject_label
from bot.matching.context import QuestionContext, words_in
from bot.matching.fit import grade_fit, subject_fit
from bot.matching.relevance import RelevanceFloor, fused, matched_phrases, passes, saturated


@dataclass(frozen=True)
class ResourceWeights:
    grade: float = 0.12  # calibrated on the tuning split (fit scale 3 of 0.04 / 0.03)
    subject: float = 0.09
    profile_factor: float = 0.5  # fit counts less when it comes from the profile, not the question
    dismissed: float = 0.5  # "Not relevant" from this teacher before


@dataclass(frozen=True)
class Target:
    """Grades and subjects to fit, and whether they came from the question itself."""

    grades: frozenset[str]
    subjects: frozenset[str]
    grades_from_question: bool
    subjects_from_question: bool


def target_for(
    context: QuestionContext, profile_grades: Collection[str], profile_subjects: Collection[str]
) -> Target:
    """The question's own grades/subjects win; the asker's profile fills the gaps."""
    return Target(
        grades=context.grades or frozenset(profile_grades),
        subjects=context.subjects or frozenset(profile_subjects),
        grades_from_question=bool(context.grades),
        subjects_from_question=bool(context.subjects),
    )


# What ``rank_resources`` works out per candidate for one question: (id, similarity) -> [relevance], then
# [relevance, grade term, subject term] once it cleared the floor. The over-fetch ranks a widened pool
# again; the items it ranked before cost nothing the second time.
ItemMemo = dict[tuple[int, float], list[float]]


def rank_resources(
    candidates: list[tuple[int, float]],
    resources: Mapping[int, Resource],
    context: QuestionContext,
    target: Target,
    limit: int = 3,
    dismissed: Collection[int] = (),
    weights: ResourceWeights = ResourceWeights(),
    floor: RelevanceFloor = RelevanceFloor(),
    lexical_hits: list[tuple[int, float]] = (),  # type: ignore[assignment]
    hubs: Mapping[int, float] | None = None,
    memo: ItemMemo | None = None,
) -> list[ResourceMatch]:
    """The best ``limit`` candidates (id, similarity) that clear the relevance floor, with reasons.

    ``lexical_hits`` are BM25 (id, score), best first; their ids must be among ``candidates`` to count.
    ``hubs``: id -> what is subtracted from relevance for an item shown often and rarely chosen
    (``shown_chosen``), so a learned hub can fall below the floor.
    ``memo``: an empty dict shared by the calls for one question (same context, target, dismissed, lexical
    hits and hubs), so each candidate's relevance and fit are worked out once however often it is ranked.
    Fit with the asker's grades and subjects only reorders items that are already relevant."""
    hubs = hubs or {}
    memo = {} if memo is None else memo
    bm25 = dict(lexical_hits)
    lexical_rank: dict[int, int] = {}
    dense_rank: dict[int, int] = {}
    if floor.fusion:  # the ranks count only with a fusion share
        lexical_rank = {item_id: rank for rank, (item_id, _) in enumerate(lexical_hits)}
        dense = sorted(candidates, key=lambda h: -h[1])
        dense_rank = {item_id: rank for rank, (item_id, _) in enumerate(dense)}
    grade_factor = 1.0 if target.grades_from_question else weights.profile_factor
    subject_factor = 1.0 if target.subjects_from_question else weights.profile_factor
    relevant: list[tuple[float, Resource, tuple[int, float]]] = []
    for key in candidates:
        resource_id, similarity = key
        resource = resources.get(resource_id)
        if resource is None:
            continue
        parts = memo.get(key)
        if parts is None:
            tags = min(len(matched_phrases(resource.tags, context.terms)), 2)
            words = saturated(bm25.get(resource_id, 0.0), floor.bm25_half)
            hub = hubs.get(resource_id, 0.0)
            parts = memo[key] = [similarity + floor.lexical * tags + floor.bm25 * words - hub]
        relevant.append((parts[0], resource, key))
    best = max((r for r, _, _ in relevant), default=0.0)
    scored: list[tuple[float, Resource]] = []
    for relevance, resource, key in relevant:
        if not passes(relevance, best, floor):
            continue
        # Without fusion its term is 0 × a finite number: the same score as working out the ranks.
        rrf = 0.0
        if floor.fusion:
            rrf = fused(dense_rank.get(resource.id), lexical_rank.get(resource.id), floor.rrf_k)
        score = (1 - floor.fusion) * relevance + floor.fusion * rrf
        parts = memo[key]
        if len(parts) == 1:
            g = grade_fit(target.grades, resource.grades)
            s = subject_fit(target.subjects, resource.subjects)
            parts += (weights.grade * g * grade_factor, weights.subject * s * subject_factor)
        score += parts[1]
        score += parts[2]
        if resource.id in dismissed:
            score -= weights.dismissed
        scored.append((score, resource))
    scored.sort(key=lambda pair: (-pair[0], pair[1].id))
    return [
        ResourceMatch(r.id, round(score, 4), resource_reason(r, context, target))
        for score, r in scored[:limit]
    ]


def resource_reason(resource: Resource, context: QuestionContext, target: Target) -> str:
    """What in the question it matched, then fit: "about fractions, fraction strips · for 4th grade math".

    Never a grade or subject alone: without a word in common the reason says it is close in meaning."""
    overlap = _shared_terms(context, resource)
    parts = ["about " + ", ".join(overlap[:3]) if overlap else "close in meaning to what you asked"]
    grades = sorted(
        set(target.grades) & set(resource.grades), key=lambda g: (g != "K", int(g) if g != "K" else 0)
    )
    wanted = {broad_subject(s) for s in target.subjects}
    subjects = [s for s in resource.subjects if broad_subject(s) in wanted]
    fit = " ".join(p for p in (grade_label(grades), ", ".join(subject_label(s) for s in subjects)) if p)
    if fit:
        parts.append(f"for {fit}")
    return " · ".join(parts)


def _shared_terms(context: QuestionContext, resource: Resource) -> list[str]:
    """Tags whose words all occur in the question, else title words the question uses (word boundaries)."""
    tag_hits = matched_phrases(resource.tags, context.terms)
    if tag_hits:
        return tag_hits
    return words_in(resource.title, context.terms)
