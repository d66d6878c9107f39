import pytest

from bot.domain.vocabulary import grade_label, normalize_grade, normalize_subject
from bot.matching.context import extract_context, extract_grades, extract_subjects, fold


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("4th", "4"),
        ("Grade 4", "4"),
        ("fourth", "4"),
        ("K", "K"),
        ("kindergarten", "K"),
        ("12", "12"),
        ("13", None),
    ],
)
def test_normalize_grade(raw, expected):
    assert normalize_grade(raw) == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("Math", "math"), ("English", "ela"), ("ESL", "ell"), ("History", "social studies"), ("x", None)],
)
def test_normalize_subject(raw, expected):
    assert normalize_subject(raw) == expected


def test_grade_label_reads_like_a_person_wrote_it():
    assert grade_label(["4"]) == "4th grade"
    assert grade_label(["3", "4", "5"]) == "grades 3–5"
    assert grade_label(["K"]) == "kindergarten"
    assert grade_label(["1", "3"]) == "grades 1, 3"


@pytest.mark.parametrize(
    ("text", "grades"),
    [
        ("How do I teach fractions to 4th graders?", {"4"}),
        ("fourth grade math centers", {"4"}),
        ("grades 3-5 reading", {"3", "4", "5"}),
        ("K-2 phonics games", {"K", "1", "2"}),
        ("my 3rd period is wild today", set()),
        ("middle school science labs", {"6", "7", "8"}),
        ("kindergarten centers", {"K"}),
    ],
)
def test_extract_grades(text, grades):
    assert extract_grades(text) == grades


def test_extract_subjects_and_terms():
    context = extract_context("Equivalent fractions with manipulatives for my 4th graders?")
    assert extract_subjects("photosynthesis lab ideas") == {"science"}
    assert context.subjects == {"math"}
    assert {"fraction", fold("manipulative"), "equivalent"} <= context.terms
    assert fold("writing") == fold("write") and fold("fractions") == "fraction"
