"""Ranks grab n' go resources: semantic similarity plus grade and subject fit."""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass

from bot.domain.requests import ResourceMatch
from bot.domain.resources import Resource
from bot.domain.vocabulary import grade_label, subject_label
from bot.matching.context import QuestionContext, content_terms
from bot.matching.fit import grade_fit, subject_fit


@dataclass(frozen=True)
class ResourceWeights:
    grade: float = 0.12
    subject: float = 0.10
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


def rank_resources(
    candidates: list[tuple[int, float]],
    resources: Mapping[int, Resource],
    context: QuestionContext,
    target: Target,
    limit: int = 3,
    dismissed: Collection[int] = (),
    weights: ResourceWeights = ResourceWeights(),
) -> list[ResourceMatch]:
    """Score each candidate (id, similarity) and return the best ``limit`` with reasons."""
    scored: list[tuple[float, Resource]] = []
    for resource_id, similarity in candidates:
        resource = resources.get(resource_id)
        if resource is None:
            continue
        g = grade_fit(target.grades, resource.grades)
        s = subject_fit(target.subjects, resource.subjects)
        score = similarity
        score += weights.grade * g * (1.0 if target.grades_from_question else weights.profile_factor)
        score += weights.subject * s * (1.0 if target.subjects_from_question else weights.profile_factor)
        if resource_id in dismissed:
            score -= weights.dismissed
        scored.append((score, resource))
    scored.sort(key=lambda pair: (-pair[0], pair[1].id))
    return [
        ResourceMatch(r.id, round(score, 4), resource_reason(r, context, target))
        for score, r in scored[:limit]
    ]


def resource_reason(resource: Resource, context: QuestionContext, target: Target) -> str:
    """A short human reason: "for 4th grade math · about fractions, manipulatives"."""
    parts: list[str] = []
    grades = sorted(
        set(target.grades) & set(resource.grades), key=lambda g: (g != "K", int(g) if g != "K" else 0)
    )
    subjects = [s for s in resource.subjects if s in target.subjects]
    fit = " ".join(p for p in (grade_label(grades), ", ".join(subject_label(s) for s in subjects)) if p)
    if fit:
        parts.append(f"fits {fit}")
    overlap = _shared_terms(context, resource)
    if overlap:
        parts.append("about " + ", ".join(overlap[:3]))
    return " · ".join(parts) or "close to what you asked"


def _shared_terms(context: QuestionContext, resource: Resource) -> list[str]:
    tag_hits = [t for t in resource.tags if content_terms(t) & context.terms]
    if tag_hits:
        return tag_hits
    return sorted(content_terms(resource.title) & context.terms)
