"""Specialist roles: the controlled vocabulary, the embedded profile text and the peer ranker."""

import pytest

from bot.domain.teachers import Teacher
from bot.domain.vocabulary import ROLES, normalize_role, normalize_roles, role_label, role_subject
from bot.matching.context import extract_context
from bot.matching.peer_ranker import rank_peers, specialist_role
from bot.matching.resource_ranker import target_for


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("SPED", "sped"),
        ("special ed", "sped"),
        ("Special Education Teacher", "sped"),
        ("resource teacher", "sped"),
        ("ELL", "ell"),
        ("ESL", "ell"),
        ("ESL teacher", "ell"),
        ("ELL specialist", "ell"),
        ("counselor", "counsellor"),
        ("Counsellor", "counsellor"),
        ("the school counselor", "counsellor"),
        ("guidance counselor", "counsellor"),
        ("librarian", "library media"),
        ("Media Specialist", "library media"),
        ("instructional coach", "instructional coach"),
        ("reading specialist", "reading specialist"),
        ("PE", "pe"),
        ("PE teacher", "pe"),
        ("physical education", "pe"),
        ("music teacher", "music"),
        ("band director", "band director"),
        ("band", "band director"),
        ("art teacher", "art"),
        ("drama", "theatre"),
        ("CTE", "cte"),
        ("speech-language pathologist", "speech-language pathologist"),
        ("Debate  Coach.", "debate coach"),  # unknown: kept as typed, lowercased, one spelling of spaces
        ("  ", None),
    ],
)
def test_normalize_role(raw, expected):
    assert normalize_role(raw) == expected


def test_every_label_reads_back_as_its_role():
    """The profile modals prefill labels; saving them unchanged keeps the same roles."""
    assert {key: normalize_role(role.label) for key, role in ROLES.items()} == {key: key for key in ROLES}


def test_roles_are_deduplicated_in_order_and_unknown_ones_shown_without_a_subject():
    assert normalize_roles(["counselor", "SPED", "school counsellor", "", "robotics mentor"]) == (
        "counsellor",
        "sped",
        "robotics mentor",
    )
    assert role_label("robotics mentor") == "robotics mentor" and role_subject("robotics mentor") is None
    assert role_label("counsellor") == "school counsellor" and role_subject("counsellor") == "sel"
    assert role_subject("library media") == "ela" and role_subject("instructional coach") is None


def test_roles_are_in_the_embedded_profile_text():
    teacher = Teacher(
        1, "console", "x", "X", subjects=("ela",), roles=("sped", "robotics mentor"), bio="I co-teach"
    )
    assert (
        teacher.profile_text() == "Teaches ela. I co-teach. Roles: special education teacher, robotics mentor"
    )


ANXIETY = extract_context("A 4th grader's anxiety spikes before every test")


def test_a_stated_role_comes_before_the_subjects_and_the_bio():
    counsellor = Teacher(1, "console", "c", "C", subjects=("sel",), roles=("counsellor",))
    assert (
        specialist_role(counsellor, ANXIETY) == "school counsellor"
    )  # not the subject's "SEL / counselling"
    by_subject = Teacher(2, "console", "s", "S", subjects=("sel",))
    assert specialist_role(by_subject, ANXIETY) == "SEL / counselling"
    assert specialist_role(counsellor, extract_context("fractions on a number line")) is None


def test_the_bio_is_read_only_for_a_profile_without_roles():
    bio = "I'm the school counselor at Maple."
    assert specialist_role(Teacher(1, "console", "c", "C", bio=bio), ANXIETY) == "school counsellor"
    coach = Teacher(2, "console", "k", "K", bio=bio, roles=("instructional coach",))
    assert specialist_role(coach, ANXIETY) is None, "stated roles are not second-guessed by the bio"


def test_a_colleague_with_the_role_outranks_an_equally_similar_one_and_says_why():
    context = extract_context("my 3rd grader with an IEP needs accommodations in math")
    target = target_for(context, ("3",), ("math",))
    generalist = Teacher(1, "console", "gen", "Gen", subjects=("math",), grades=("3",))
    specialist = Teacher(2, "console", "sam", "Sam", subjects=("math",), grades=("3",), roles=("sped",))
    peers = rank_peers([(1, 0.3), (2, 0.3)], {1: generalist, 2: specialist}, context, target, None, "console")
    assert peers[0].teacher_id == 2 and peers[0].reason.startswith("special education teacher")
    assert [p.teacher_id for p in peers] == [2], "same grade and subject alone is no reason to be shown"


@pytest.mark.parametrize(
    ("question", "role", "specialist"),
    [
        (
            "One of my 3rd graders lost her dad. How do I support a grieving child?",
            "counsellor",
            "school counsellor",
        ),
        (
            "A Deaf student with an ASL interpreter joins my class: how do I plan?",
            "sped",
            "special education teacher",
        ),
        ("Fun ways to practice gross motor goals like hopping and galloping?", "pe", "PE teacher"),
        ("A 7th grade health lesson comparing the sugar in snacks?", "health", "health teacher"),
        (
            "My 5th graders want to write their initials in binary with beads",
            "technology coach",
            "technology coach",
        ),
    ],
)
def test_questions_about_a_specialty_find_its_specialist(question, role, specialist):
    context = extract_context(question)
    target = target_for(context, (), ())
    colleague = Teacher(1, "console", "s", "S", roles=(role,))
    classroom = Teacher(2, "console", "c", "C", subjects=("ela",), grades=("3", "5", "7"))
    peers = rank_peers([(2, 0.4), (1, 0.3)], {1: colleague, 2: classroom}, context, target, None, "console")
    assert [p.teacher_id for p in peers] == [1]
    assert peers[0].reason.startswith(specialist)


def test_a_coach_is_the_go_to_for_the_grades_and_subjects_they_coach():
    coach = Teacher(
        1,
        "console",
        "r",
        "R",
        grades=("K", "1", "2", "3", "4", "5"),
        subjects=("math", "ela"),
        roles=("instructional coach",),
    )
    context = extract_context(
        "My 2nd graders line the ruler up at 1 instead of 0. Ways to practice measuring in math?"
    )
    assert specialist_role(coach, context) == "instructional coach"
    peers = rank_peers([(1, 0.3)], {1: coach}, context, target_for(context, (), ()), None, "console")
    assert [p.reason for p in peers] == ["instructional coach · teaches 2nd grade math"]
    assert specialist_role(coach, extract_context("a 9th grade math question")) is None, "not their grades"
    assert specialist_role(coach, extract_context("a 2nd grade music question")) is None, "not their subjects"
