"""Hybrid retrieval, hubs, open subjects and colleagues by expertise (the matching engine's parts)."""

from __future__ import annotations

from datetime import datetime

import numpy as np

from bot.bootstrap import App
from bot.domain.teachers import Teacher
from bot.domain.vocabulary import broad_subject, normalize_subject, subject_label
from bot.handlers.knowledge import record_answer
from bot.matching.context import extract_context
from bot.matching.expertise import HelpedWith
from bot.matching.fit import subject_fit
from bot.matching.indexer import RESOURCE
from bot.matching.lexical import Bm25Index
from bot.matching.peer_ranker import PeerWeights, peer_reason, rank_peers
from bot.matching.relevance import fused
from bot.matching.resource_ranker import target_for
from bot.matching.synonyms import concept_tokens, expand_query, question_context
from bot.storage.repositories import ResourceRepository
from tests.unit.test_knowledge import ANSWER, LAB, START, ask, tid


def test_acronym_meets_its_spelled_out_phrase_both_ways():
    index = Bm25Index()
    index.add(1, "Sentence frames so English learners can join academic conversations")
    index.add(2, "Fraction strips for equivalent fractions")
    assert [i for i, _ in index.search("partner talk for my ELLs", 5)] == [1]
    index.add(3, "ELL picture word wall")
    assert {i for i, _ in index.search("english language learners", 5)} == {1, 3}
    assert concept_tokens("a PBIS plan") == {"pbis"}
    assert "positive behavior" in expand_query("What does PBIS look like in 2nd grade?")
    assert expand_query("no acronyms here") == "no acronyms here"


def test_bm25_is_incremental():
    index = Bm25Index()
    index.add(1, "Punnett square dragons")
    index.add(2, "Heredity card sort")
    assert index.search("punnett squares", 3)[0][0] == 1
    index.add(1, "Plate tectonics cracker model")  # edited
    assert index.search("punnett", 3) == []
    index.remove(2)
    assert index.search("heredity", 3) == [] and len(index) == 1


def test_lexical_index_follows_the_indexer(app: App):
    deps = app.kindred.deps
    assert deps.indexer.lexical.search(RESOURCE, "zymurgy", 3) == []  # built on first search
    with deps.db.session() as session:
        resource, _ = ResourceRepository(session).upsert(
            {"title": "Zymurgy for beginners", "url": "https://example.org/zymurgy", "tags": ["brewing"]}
        )
    deps.indexer.upsert(RESOURCE, resource.id, resource.embedding_text())
    assert [i for i, _ in deps.indexer.lexical.search(RESOURCE, "zymurgy", 3)] == [resource.id]
    with deps.db.session() as session:  # edited: the old words are gone, the new ones found
        edited, _ = ResourceRepository(session).upsert(
            {"title": "Kombucha basics", "url": "https://example.org/zymurgy", "tags": ["brewing"]}
        )
    deps.indexer.upsert(RESOURCE, edited.id, edited.embedding_text())
    assert deps.indexer.lexical.search(RESOURCE, "zymurgy", 3) == []
    assert [i for i, _ in deps.indexer.lexical.search(RESOURCE, "kombucha", 3)] == [resource.id]


def test_hub_centring_moves_the_query_away_from_the_catalog_mean(app: App):
    means = app.kindred.deps.indexer.means
    query = np.ones(app.kindred.deps.indexer.embedder.dimension, dtype=np.float32)
    mean = means.mean(RESOURCE)
    assert mean is not None
    assert np.allclose(means.centred(RESOURCE, query, 0.5), query - 0.5 * mean)
    assert means.centred(RESOURCE, query, 0.0) is query


def test_reciprocal_rank_fusion_rewards_both_rankings():
    assert fused(0, 0, 20) == 1.0
    assert fused(0, None, 20) < fused(1, 1, 20)


def test_specific_subjects_are_kept_shown_and_fit_their_broad_subject():
    assert normalize_subject("Chemistry") == "chemistry"
    assert normalize_subject("theater") == "theatre"
    assert normalize_subject("Library/Media") == "library media"
    assert subject_label("library media") == "library/media"
    assert broad_subject("band") == "music" and broad_subject("math") == "math"
    assert subject_fit(["science"], ["chemistry"]) == 1.0
    assert subject_fit(["music"], ["chemistry"]) == -1.0


def test_vocabulary_or_english_in_an_ell_or_science_question_is_not_ela():
    assert extract_context("Teaching science vocabulary to English learners").subjects == {"ell", "science"}
    assert extract_context("English vocabulary for my newcomer ELLs").subjects == {"ell"}
    assert "ela" in extract_context("Building vocabulary in 8th grade ELA").subjects


GENERALIST = Teacher(1, "console", "gen", "Gen", subjects=("math", "ela"), grades=("2",))
SPECIALIST = Teacher(
    2,
    "console",
    "spec",
    "Spec",
    subjects=("counselling",),
    grades=("K", "5"),
    interests=("calm-down corners",),
)
HELPER = Teacher(3, "console", "help", "Help", subjects=("science",), grades=("9",))


def _peers(question: str, hits, helped=None):  # type: ignore[no-untyped-def]
    context = extract_context(question)
    target = target_for(context, ("2",), ("math",))
    teachers = {t.id: t for t in (GENERALIST, SPECIALIST, HELPER)}
    return rank_peers(hits, teachers, context, target, None, "console", helped=helped, weights=PeerWeights())


def test_a_grade_only_match_never_outranks_a_topic_match():
    ranked = _peers("2nd grade math: a calm-down corners setup?", [(1, 0.40), (2, 0.36)])
    assert [m.teacher_id for m in ranked][:1] == [2]
    assert "calm-down corners" in ranked[0].reason


def test_an_answer_that_helped_surfaces_its_helper_first_with_a_true_reason():
    helped = {3: HelpedWith(0.8, "Quick exit tickets for a lab?", datetime(2026, 10, 5))}
    ranked = _peers("exit tickets after a lab", [(1, 0.40), (2, 0.30), (3, 0.25)], helped)
    assert ranked[0].teacher_id == 3
    assert ranked[0].reason.startswith("helped a colleague with exit tickets in October")


def test_shared_lists_only_interests_the_question_names():
    asker = Teacher(9, "console", "a", "A", interests=("calm-down corners", "math games"))
    colleague = Teacher(4, "console", "c", "C", interests=("math games", "fractions"), grades=("2",))
    context = extract_context("fractions with paper strips")
    reason = peer_reason(colleague, context, target_for(context, (), ()), asker)
    assert reason == "shared: fractions"
    assert "math games" not in reason


def test_a_paraphrase_of_an_answered_question_brings_its_helper_first(app: App):
    request_id = ask(app, "jamal.carter", LAB).request_id
    record_answer(app.kindred.deps, request_id, tid(app, "marcus.johnson"), ANSWER)
    reply = ask(app, "fatima.yusuf", LAB.replace("7th", "6th"), START)
    first = reply.peers[0].to_text()
    assert "Marcus Johnson" in first and "helped a colleague with keep lab groups safe" in first, first


def test_a_big_catalog_warmed_up_front_is_searched_from_the_first_question(app: App, monkeypatch):
    """Above the inline size the first search starts a background build and finds nothing lexically;
    ``warm()`` builds it in the caller's thread, so the first search already has BM25 hits."""
    monkeypatch.setattr("bot.matching.lexical_sync.BUILD_INLINE", 0)  # the sample catalog counts as big
    lexical = app.kindred.deps.indexer.lexical
    lexical.warm()
    hits = lexical.search(RESOURCE, "fractions exit ticket", 3)
    assert hits, "searched at once, no build waited for"


def test_bm25_weights_kept_between_questions_follow_every_change():
    index = Bm25Index()
    index.add(1, "Punnett square dragons")
    index.add(2, "Punnett squares with coins and dragons, dragons")
    before = index.search("punnett dragons", 5)
    assert index.search("punnett dragons", 5) == before  # the kept weights give the same scores
    index.add(3, "Dragons of heredity")  # n and the average length change: weights are recomputed
    fresh = Bm25Index()
    for item_id, text in [
        (1, "Punnett square dragons"),
        (2, "Punnett squares with coins and dragons, dragons"),
        (3, "Dragons of heredity"),
    ]:
        fresh.add(item_id, text)
    assert index.search("punnett dragons", 5) == fresh.search("punnett dragons", 5)
    index.remove(2)
    assert [i for i, _ in index.search("coins", 5)] == []
    assert {i for i, _ in index.search("dragons", 5)} == {1, 3}


def test_candidate_similarities_from_the_live_index_equal_the_stored_vectors(app: App):
    from bot.matching.hybrid import similarities

    indexer = app.kindred.deps.indexer
    ids = [int(i) for i in indexer.index(RESOURCE).ids()[:6]] + [987_654]  # and one that does not exist
    query = indexer.embedder.embed(["fractions for 4th grade"])[0]
    model = indexer.embedder.model_name
    stored = similarities(app.db, RESOURCE, model, query, ids[::-1])
    live = similarities(app.db, RESOURCE, model, query, ids[::-1], index=indexer.index(RESOURCE))
    assert [i for i, _ in live] == [i for i, _ in stored] == sorted(ids[:6])
    assert np.allclose([s for _, s in live], [s for _, s in stored], atol=1e-6)
    indexer.remove(RESOURCE, ids[0])  # removed: gone from both
    assert ids[0] not in {
        i for i, _ in similarities(app.db, RESOURCE, model, query, ids, index=indexer.index(RESOURCE))
    }


def test_a_teachers_paraphrase_meets_the_catalogs_concept_in_both_indexes():
    index = Bm25Index()
    index.add(1, "Exit Ticket Templates: Twenty Quick Formats")
    index.add(2, "Fraction strips for equivalent fractions")
    question = "a way to check at the end of class whether kids understood"
    assert [i for i, _ in index.search(question, 5)] == [1]
    assert "exit tickets" in expand_query(question)
    assert "tiered assignments" in expand_query("the same lesson at three levels of challenge")
    assert "reading fluency" not in expand_query("math fact fluency without timed tests")
    # a tag the question only paraphrases counts, and the reason can name it
    assert {"exit", "ticket"} <= question_context(question).terms
    assert expand_query("Happy Friday everyone") == "Happy Friday everyone"


def test_teachers_wordings_name_the_concept_a_colleagues_interest_names():
    cases = {
        "fishbowl discussions get dominated by the same three kids": ("socratic", "socratic seminar"),
        "so many of my 6th graders say they're just not a math person": ("growth_mindset", "growth mindset"),
        "during independent reading I meet with kids one on one, my notes are chaos": (
            "reading_conferences",
            "reading conferences",
        ),
        "a good routine for mental math discussions at the start of class": ("number_talks", "number talks"),
        "30-second ways to see if my chem kids are with me mid-lesson": ("formative", "formative assessment"),
        "switching between math groups takes five minutes of chaos": ("station_rotation", "station rotation"),
    }
    for question, (concept, interest) in cases.items():
        context = question_context(question)
        assert concept in context.concepts, question
        colleague = Teacher(1, "console", "c", "C", interests=(interest, "robotics"))
        peers = rank_peers([(1, 0.3)], {1: colleague}, context, target_for(context, (), ()), None, "console")
        assert [p.reason for p in peers] == [f"shared: {interest}"], question
    assert "number_talks" not in question_context("mental health days for staff").concepts


def test_teachers_wordings_name_the_catalogs_concepts():
    cases = {
        "my firsties count every dot one by one. how do i get them to just SEE five?": "subitizing",
        "middle schoolers quit the second their code throws an error": "debugging",
        "a quick way to see how everyone's feeling when they walk in": "feelings_check_in",
        "a big fight at lunch; can I run a circle with them tomorrow?": "restorative",
        "how do i show him what's coming next when we switch activities?": "visual_schedule",
        "2nd graders don't get that the 3 in 35 means thirty": "place_value",
        "they can't tell me what 6 x 4 actually means": "arrays",
        "they guess at big words instead of breaking them into chunks": "multisyllabic",
        "what do I give early finishers in 6th grade math?": "tiered",
        "How do I rebuild the class community after a rough week?": "morning_meeting",
        "My 7th graders will not stop talking while I'm teaching": "attention_signals",
    }
    for question, concept in cases.items():
        assert concept in question_context(question).concepts, question
    assert "subitizing" in concept_tokens("Ten-Frame Flash: Subitizing Warm-Up")
    assert not question_context("how do I run a science fair?").concepts & {"restorative", "debugging"}
