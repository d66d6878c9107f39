"""Colleagues by expertise: shown only for a true reason, never for a grade, a subject or closeness alone."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from bot.domain.teachers import Teacher
from bot.matching.interest_vectors import InterestVectors
from bot.matching.peer_ranker import PeerWeights, peer_weights_for, rank_peers, topic_interests
from bot.matching.relevance import CALIBRATED_MODEL
from bot.matching.resource_ranker import target_for
from bot.matching.synonyms import question_context

# Close to every question (a generic profile), but about nothing in particular.
HUB = Teacher(1, "console", "hub", "Hub", subjects=("math",), grades=("2",), interests=("growth mindset",))
FRACTIONS = Teacher(2, "console", "fr", "Fr", subjects=("math",), grades=("4",), interests=("fractions",))
COUNSELLOR = Teacher(3, "console", "co", "Co", subjects=("sel",), roles=("counsellor",))
FAMILIES = Teacher(4, "console", "fa", "Fa", interests=("family engagement", "calm-down corners"))
TEACHERS = {t.id: t for t in (HUB, FRACTIONS, COUNSELLOR, FAMILIES)}


def _rank(question: str, hits: list[tuple[int, float]], asker: Teacher | None = None, **kwargs):  # type: ignore[no-untyped-def]
    context = question_context(question)
    target = target_for(context, asker.grades if asker else (), asker.subjects if asker else ())
    return rank_peers(hits, TEACHERS, context, target, asker, "console", **kwargs)


def test_a_hub_profile_is_not_shown_for_a_question_it_is_not_about():
    hits = [(1, 0.70), (2, 0.20), (3, 0.20), (4, 0.20)]  # the hub is the nearest for every question
    ranked = _rank("my 4th graders think 1/8 is bigger than 1/4: fractions help?", hits)
    assert [m.teacher_id for m in ranked] == [2]
    assert ranked[0].reason.startswith("shared: fractions")
    anxious = _rank("a student's anxiety before tests", hits)
    assert [m.teacher_id for m in anxious] == [3] and anxious[0].reason.startswith("school counsellor")
    assert [m.teacher_id for m in _rank("how do I build a growth mindset?", hits)][:1] == [1]


def test_a_grade_only_colleague_is_never_shown_above_a_topic_colleague_or_at_all():
    asker = Teacher(9, "console", "a", "A", subjects=("math",), grades=("2",))
    ranked = _rank("2nd grade math fractions with paper strips", [(1, 0.9), (2, 0.1)], asker)
    assert [m.teacher_id for m in ranked] == [2]
    assert _rank("2nd grade math on Monday", [(1, 0.9)], asker) == []


def test_interests_meet_the_question_by_hyphenated_parts_and_by_concept():
    assert topic_interests(FAMILIES, question_context("a calm down corners setup")) == ["calm-down corners"]
    assert topic_interests(FAMILIES, question_context("the parents never answer my emails")) == [
        "family engagement"
    ]
    assert topic_interests(FAMILIES, question_context("the corner of the room")) == []


def test_a_related_interest_is_a_reason_only_over_the_floor_near_the_best_and_among_the_best_scored():
    hits = [(1, 0.50), (2, 0.40), (4, 0.10)]
    closest = {1: (0.30, "growth mindset"), 2: (0.25, "fractions"), 4: (0.29, "family engagement")}

    def related(teachers: Sequence[Teacher]):  # type: ignore[no-untyped-def]
        return {t.id: closest[t.id] for t in teachers if t.id in closest}

    weights = PeerWeights(semantic_floor=0.2, semantic_margin=0.04, semantic_pool=2)
    ranked = _rank("what do I do on Monday", hits, weights=weights, closest_interests=related)
    assert [(m.teacher_id, m.reason) for m in ranked] == [(1, "related interest: growth mindset")]
    wide = _rank("what do I do on Monday", hits, weights=weights.wider(3), closest_interests=related)
    assert [m.teacher_id for m in wide] == [1, 2, 4], "escalation looks further down, still with a reason"
    high = PeerWeights(semantic_floor=0.31)
    assert _rank("what do I do on Monday", hits, weights=high, closest_interests=related) == []


def test_every_colleague_shown_has_a_reason_that_names_something_true():
    questions = [
        "2nd grade math fractions",
        "the parents never answer",
        "a student's anxiety",
        "growth mindset in 4th grade",
        "what do I do on Monday",
        "calm down corners for kinders",
    ]
    for question in questions:
        context = question_context(question)
        for match in _rank(question, [(1, 0.6), (2, 0.5), (3, 0.4), (4, 0.3)]):
            teacher = TEACHERS[match.teacher_id]
            first = match.reason.split(" · ")[0]
            assert not first.startswith(("teaches", "also teaches")), match.reason
            if first.startswith("shared: "):
                for interest in first.removeprefix("shared: ").split(", "):
                    assert interest in teacher.interests
                    assert topic_interests(teacher, context), (question, match.reason)
            else:
                assert first == "school counsellor" and "sel" in context.subjects, (question, match.reason)


class CountingEmbedder:
    """Fixed vectors per phrase: counts what it was asked to embed."""

    model_name = "counting"
    dimension = 3

    def __init__(self, vectors: dict[str, list[float]]) -> None:
        self.table = {k: np.asarray(v, dtype=np.float32) / np.linalg.norm(v) for k, v in vectors.items()}
        self.calls: list[list[str]] = []

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        self.calls.append(list(texts))
        return np.stack([self.table[t] for t in texts])


def test_interest_vectors_are_embedded_once_and_centring_demotes_a_phrase_close_to_everything():
    embedder = CountingEmbedder(
        {"classroom management": [1.0, 0.2, 0.0], "debugging": [0.3, 1.0, 0.0], "choir": [0.2, 0.0, 1.0]}
    )
    vectors = InterestVectors(embedder)
    generic = Teacher(1, "console", "g", "G", interests=("classroom management", "choir"))
    coder = Teacher(2, "console", "c", "C", interests=("debugging",))
    question = np.asarray([0.75, 0.66, 0.0], dtype=np.float32)  # a coding question, near the mean too
    plain = vectors.closest(question, [generic, coder])
    assert plain[1][1] == "classroom management" and plain[1][0] > plain[2][0]
    mean = np.asarray([1.0, 0.0, 0.0], dtype=np.float32)  # what profiles have in common
    centred = vectors.closest(question - 0.8 * mean, [generic, coder])
    assert centred[2][0] > centred[1][0] and centred[2][1] == "debugging"
    assert sorted(p for call in embedder.calls for p in call) == sorted(embedder.table)


def test_the_semantic_floor_holds_only_for_the_model_it_was_calibrated_on():
    assert peer_weights_for(CALIBRATED_MODEL) == PeerWeights()
    assert peer_weights_for(f"{CALIBRATED_MODEL}+onnx") == PeerWeights()
    assert peer_weights_for("hashing-384").semantic_floor == float("-inf")


def test_warming_embeds_every_onboarded_colleagues_interests_once(app):  # type: ignore[no-untyped-def]
    suggester = app.kindred.deps.suggester
    count = suggester.warm_interests(batch=7)
    assert count > 20  # the sample community's distinct interests
    assert suggester.warm_interests() == count and len(suggester.interest_vectors._vectors) == count
