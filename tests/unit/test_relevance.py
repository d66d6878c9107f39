"""Relevance first: the floor, reasons that name what matched, specialist roles, the honest empty state."""

from bot.domain.resources import Resource
from bot.domain.teachers import Teacher
from bot.handlers.suggestion_reply import EMPTY_LIBRARY, build_suggestion_reply
from bot.matching.context import extract_context
from bot.matching.peer_ranker import PeerWeights, peer_reason, rank_peers
from bot.matching.relevance import RelevanceFloor, matched_phrases
from bot.matching.resource_ranker import rank_resources, target_for
from bot.matching.suggester import Suggestions
from bot.matching.synonyms import question_context

FLOOR = RelevanceFloor(floor=0.4, margin=1.0, lexical=0.05)
ON_TOPIC = Resource(
    1, "Co-Teaching Models Planning Guide", subjects=("sped",), grades=("6",), tags=("co-teaching",)
)
FITS_ASKER = Resource(2, "My Favorite No", subjects=("math",), grades=("6",), tags=("error analysis",))


def _rank(question: str, hits: list[tuple[int, float]], grades=("6",), subjects=("math",)):
    context = extract_context(question)
    target = target_for(context, grades, subjects)
    return rank_resources(hits, {1: ON_TOPIC, 2: FITS_ASKER}, context, target, floor=FLOOR)


def test_item_below_floor_is_never_shown_however_well_it_fits():
    matches = _rank("my co-teaching partner and I disagree", [(1, 0.45), (2, 0.39)])
    assert [m.resource_id for m in matches] == [1]


def test_nothing_clears_the_floor_gives_no_resources():
    assert _rank("grant money for a 3D printer", [(1, 0.2), (2, 0.3)]) == []


def test_fit_reorders_only_among_relevant_items():
    matches = _rank("error analysis warm-up in 6th grade math", [(1, 0.46), (2, 0.45)])
    assert [m.resource_id for m in matches] == [2, 1]


def test_reason_names_what_matched_on_word_boundaries():
    assert matched_phrases(["heart rate monitors"], extract_context("ratios and rates").terms) == []
    assert matched_phrases(["coaching cycles"], extract_context("the rock cycle").terms) == []
    assert matched_phrases(["fraction strips"], extract_context("using fraction strip games").terms) == [
        "fraction strips"
    ]
    (match,) = _rank("my co-teaching partner and I disagree", [(1, 0.45)])
    assert match.reason.startswith("about co-teaching")


def test_reason_is_never_only_grade_or_subject():
    (match,) = _rank("what should 6th grade math do on Monday", [(2, 0.5)])
    assert match.reason.startswith("close in meaning to what you asked")
    teacher = Teacher(1, "console", "x", "X", subjects=("math",), grades=("1",))
    reason = peer_reason(
        teacher,
        extract_context("1st grade math"),
        target_for(extract_context("1st grade math"), (), ()),
        None,
    )
    assert reason is None, "a colleague who only shares a grade and a subject has no reason to be shown"


def test_a_word_the_bio_happens_to_use_is_not_a_reason():
    question = "ideas to start the day so my 2nd graders feel like a community"
    context = question_context(question)
    typed = extract_context(question).terms
    assert "build" in context.terms and "build" not in typed  # "community building" spelled out
    teacher = Teacher(1, "console", "x", "X", bio="I love building things and our class community.")
    assert peer_reason(teacher, context, target_for(context, (), ()), None) is None
    assert rank_peers([(1, 0.6)], {1: teacher}, context, target_for(context, (), ()), None, "console") == []


def test_specialist_role_outranks_grade_only_match():
    question = "my student with an IEP needs accommodations in 3rd grade"
    context = extract_context(question)
    target = target_for(context, ("3",), ("math",))
    generalist = Teacher(1, "console", "gen", "Gen", subjects=("math", "ela"), grades=("3",))
    specialist = Teacher(
        2, "console", "sped", "Sam", subjects=("sped",), grades=("K", "1", "2", "3", "4", "5")
    )
    peers = rank_peers(
        [(1, 0.30), (2, 0.30)], {1: generalist, 2: specialist}, context, target, None, "console"
    )
    assert peers[0].teacher_id == 2 and "special education teacher" in peers[0].reason
    assert PeerWeights().topic >= PeerWeights().grade + PeerWeights().subject


def test_empty_state_reply_offers_colleagues_post_and_share():
    peer = Teacher(5, "console", "ravi", "Ravi", subjects=("cs",), interests=("robotics",))
    from bot.domain.requests import PeerMatch

    reply = build_suggestion_reply(
        9, Suggestions([], [(PeerMatch(5, 0.4, "into robotics"), peer)]), "Here's what:"
    )
    lines = reply.text.splitlines()
    assert lines[0] == EMPTY_LIBRARY and "Here's what" not in reply.text
    assert lines[1] == "The kindred spirits below may know."
    assert "#help" in lines[2] and "/share" in lines[3]
    assert [b.label for b in reply.buttons] == ["Post my question to #help"]


def test_a_widened_pool_ranked_with_the_question_memo_ranks_as_a_fresh_call():
    """The over-fetch ranks its first candidates again with more: the memo only saves the work."""
    catalog = {
        i: Resource(
            i, f"Fraction strips {i}", subjects=("math",), grades=(str(3 + i % 4),), tags=("fractions",)
        )
        for i in range(1, 41)
    }
    context = question_context("fraction strips for 4th grade math")
    target = target_for(context, ("4",), ("math",))
    hits = [(i, 0.6 - i / 200) for i in catalog]
    memo: dict = {}
    first = rank_resources(hits[:10], catalog, context, target, dismissed={3}, floor=FLOOR, memo=memo)
    assert first == rank_resources(hits[:10], catalog, context, target, dismissed={3}, floor=FLOOR)
    assert len(memo) == 10
    widened = rank_resources(hits, catalog, context, target, dismissed={3}, floor=FLOOR, memo=memo)
    assert widened == rank_resources(hits, catalog, context, target, dismissed={3}, floor=FLOOR)
    assert len(memo) == 40
    fused = RelevanceFloor(floor=0.4, margin=1.0, lexical=0.05, fusion=0.3)  # ranks count with a share
    assert rank_resources(hits, catalog, context, target, floor=fused, memo={}) == rank_resources(
        hits, catalog, context, target, floor=fused
    )
