"""What a question says about its context: which grades and subjects it is about, and its key terms."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from bot.domain.vocabulary import GRADES, normalize_grade

_ORDINAL = r"(?:\d{1,2}(?:st|nd|rd|th)|first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|eleventh|twelfth)"
_GRADE_PATTERNS = (
    re.compile(rf"\b({_ORDINAL})[\s-]*(?:grade|graders?)\b", re.I),
    re.compile(r"\bgrades?\s*(\d{1,2}|k)\b(?!\s*[-–]\s*\d)", re.I),
)
_RANGE = re.compile(r"\b(?:grades?\s*)?(k|\d{1,2})\s*(?:-|–|to)\s*(\d{1,2})(?:st|nd|rd|th)?\b", re.I)
_RANGE_CONTEXT = re.compile(r"grade|k\s*[-–]", re.I)
_KINDER = re.compile(r"\bkinder(?:garten|gartners|garteners|s)?\b|\bpre-?k\b", re.I)
_BANDS: tuple[tuple[re.Pattern[str], tuple[str, ...]], ...] = (
    (re.compile(r"\bmiddle school(?:ers)?\b|\bjunior high\b", re.I), ("6", "7", "8")),
    (re.compile(r"\bhigh school(?:ers)?\b", re.I), ("9", "10", "11", "12")),
    (re.compile(r"\bfreshm[ae]n\b", re.I), ("9",)),
    (re.compile(r"\bsophomores?\b", re.I), ("10",)),
    (re.compile(r"\bjuniors\b", re.I), ("11",)),
    (re.compile(r"\bseniors\b", re.I), ("12",)),
    (re.compile(r"\b(?:lower elementary|primary grades)\b", re.I), ("K", "1", "2")),
    (re.compile(r"\b(?:upper elementary)\b", re.I), ("3", "4", "5")),
)

SUBJECT_KEYWORDS: dict[str, tuple[str, ...]] = {
    "math": (
        "math",
        "fraction",
        "decimal",
        "multiplication",
        "multiply",
        "division",
        "divide",
        "algebra",
        "geometry",
        "equation",
        "number line",
        "place value",
        "ratio",
        "percent",
        "arithmetic",
        "times tables",
        "long division",
        "addition",
        "subtraction",
        "integers",
        "calculus",
        "statistics",
        "proofs",
        "slope",
        "number sense",
        "word problems",
        "manipulatives",
        "area and perimeter",
    ),
    "ela": (
        "reading",
        "writing",
        "phonics",
        "essay",
        "read aloud",
        "read-aloud",
        "novel",
        "grammar",
        "poetry",
        "literacy",
        "ela",
        "english",
        "spelling",
        "comprehension",
        "book club",
        "guided reading",
        "writing workshop",
        "main idea",
        "theme",
        "paragraph",
        "narrative",
        "fluency",
        "decoding",
        "vocabulary",
        "literature",
        "reading conferences",
    ),
    "science": (
        "science",
        "lab",
        "photosynthesis",
        "cells",
        "chemistry",
        "physics",
        "biology",
        "experiment",
        "ecosystem",
        "water cycle",
        "stoichiometry",
        "periodic table",
        "forces",
        "magnets",
        "plants",
        "weather",
        "solar system",
        "scientific method",
        "earth science",
        "genetics",
    ),
    "social studies": (
        "history",
        "civil war",
        "primary source",
        "government",
        "geography",
        "maps",
        "civics",
        "social studies",
        "constitution",
        "revolution",
        "ancient",
        "economics",
        "current events",
    ),
    "art": (
        "art class",
        "drawing",
        "painting",
        "art project",
        "ceramics",
        "sketch",
        "theatre",
        "theater",
        "drama",
    ),
    "music": ("music", "choir", "band", "orchestra", "rhythm", "singing", "instrument", "solfege"),
    "cte": ("cte", "career and technical", "welding", "culinary", "shop class", "vocational"),
    "pe": (
        "pe class",
        "gym class",
        "physical education",
        "recess games",
        "fitness",
        "sports",
        "gross motor",
        "motor skills",
    ),
    "health": ("health", "nutrition", "puberty", "wellness"),
    "sped": (
        "iep",
        "504",
        "special ed",
        "sped",
        "accommodation",
        "modifications",
        "autism",
        "adhd",
        "dyslexia",
        "deaf",
        "hard of hearing",
        "asl",
        "disability",
        "disabilities",
    ),
    "ell": ("ell", "esl", "english learners", "english language learners", "newcomer", "multilingual"),
    "cs": (
        "coding",
        "scratch",
        "python",
        "programming",
        "computer science",
        "robotics",
        "code.org",
        "binary",
        "computer class",
        "computer teacher",
    ),
    "world languages": ("spanish", "french", "german", "mandarin", "world language"),
    "sel": (
        "sel",
        "social emotional",
        "social-emotional",
        "feelings",
        "anxiety",
        "restorative",
        "morning meeting",
        "growth mindset",
        "self-regulation",
        "calm down",
        "conflict",
        "bullying",
        "empathy",
        "grief",
        "grieving",
        "bereavement",
        "counseling",
        "counselling",
    ),
}

_KEYWORD_PATTERNS: dict[str, re.Pattern[str]] = {
    subject: re.compile(r"\b(?:" + "|".join(re.escape(k) for k in keywords) + r")s?\b", re.I)
    for subject, keywords in SUBJECT_KEYWORDS.items()
}

_TERM = re.compile(r"[a-z][a-z'-]+")
STOPWORDS = frozenset(
    [
        "a",
        "about",
        "above",
        "after",
        "again",
        "all",
        "also",
        "am",
        "an",
        "and",
        "any",
        "anyone",
        "anybody",
        "are",
        "as",
        "at",
        "be",
        "been",
        "before",
        "being",
        "below",
        "between",
        "both",
        "but",
        "by",
        "can",
        "could",
        "did",
        "do",
        "does",
        "doing",
        "don't",
        "down",
        "during",
        "each",
        "few",
        "for",
        "from",
        "further",
        "get",
        "got",
        "had",
        "has",
        "have",
        "having",
        "he",
        "her",
        "here",
        "hers",
        "him",
        "his",
        "how",
        "i",
        "i'm",
        "i've",
        "if",
        "in",
        "into",
        "is",
        "it",
        "it's",
        "its",
        "just",
        "know",
        "like",
        "looking",
        "me",
        "more",
        "most",
        "my",
        "need",
        "needs",
        "no",
        "nor",
        "not",
        "now",
        "of",
        "off",
        "on",
        "once",
        "only",
        "or",
        "other",
        "our",
        "out",
        "over",
        "own",
        "please",
        "same",
        "she",
        "should",
        "so",
        "some",
        "someone",
        "something",
        "such",
        "than",
        "thanks",
        "that",
        "the",
        "their",
        "them",
        "then",
        "there",
        "these",
        "they",
        "this",
        "those",
        "through",
        "to",
        "too",
        "under",
        "until",
        "up",
        "very",
        "was",
        "way",
        "we",
        "were",
        "what",
        "when",
        "where",
        "which",
        "while",
        "who",
        "whom",
        "why",
        "will",
        "with",
        "would",
        "you",
        "your",
        "yours",
        "ideas",
        "idea",
        "tips",
        "help",
        "advice",
        "suggestions",
        "recommend",
        "anyone's",
        "does",
        "y'all",
        "all",
        "kids",
        "students",
        "class",
        "classroom",
        "teach",
        "teaching",
        "grade",
        "graders",
        "really",
        "good",
        "best",
        "use",
        "using",
        "want",
        "try",
        "tried",
        "way",
        "ways",
        "work",
        "works",
        "hands-on",
        "get",
        "going",
        "make",
    ]
)


@dataclass(frozen=True)
class QuestionContext:
    """Grades and subjects a text is about, plus its content words (for reasons and tag overlap)."""

    grades: frozenset[str]
    subjects: frozenset[str]
    terms: frozenset[str]  # the text's words, plus those of the concepts it paraphrases (``synonyms``)
    concepts: frozenset[str] = frozenset()  # canonical concepts named in any spelling (``synonyms``)


@lru_cache(maxsize=8192)
def extract_context(text: str) -> QuestionContext:
    """The grades, subjects and content words of ``text`` (memoised: a pure function of the text, called
    again for the same open questions on every new one)."""
    terms = content_terms(text)
    return QuestionContext(grades=extract_grades(text), subjects=extract_subjects(text), terms=terms)


def extract_grades(text: str) -> frozenset[str]:
    found: set[str] = set()
    for pattern in _GRADE_PATTERNS:
        for match in pattern.finditer(text):
            grade = normalize_grade(match.group(1))
            if grade:
                found.add(grade)
    for match in _RANGE.finditer(text):
        if not _RANGE_CONTEXT.search(text[max(0, match.start() - 8) : match.end() + 8]):
            continue
        low, high = normalize_grade(match.group(1)), normalize_grade(match.group(2))
        if low and high and GRADES.index(low) <= GRADES.index(high):
            found.update(GRADES[GRADES.index(low) : GRADES.index(high) + 1])
    if _KINDER.search(text):
        found.add("K")
    for pattern, grades in _BANDS:
        if pattern.search(text):
            found.update(grades)
    return frozenset(found)


# Words that say ELA only when nothing else does: "vocabulary" in a science question, "English" in an
# English-learners question.
_WEAK_ELA = frozenset({"english", "vocabulary", "reading", "writing"})


def extract_subjects(text: str) -> frozenset[str]:
    found = {subject for subject, pattern in _KEYWORD_PATTERNS.items() if pattern.search(text)}
    if "ela" in found and found - {"ela"}:
        ela_words = {m.group(0).lower().rstrip("s") for m in _KEYWORD_PATTERNS["ela"].finditer(text)}
        if ela_words <= _WEAK_ELA or ("ell" in found and ela_words <= _WEAK_ELA | {"english"}):
            found.discard("ela")
    return frozenset(found)


def content_terms(text: str) -> frozenset[str]:
    """Lower-cased content words with a crude plural fold ("fractions" -> "fraction")."""
    terms = set()
    for word in _TERM.findall(text.lower()):
        folded = fold(word)
        if word in STOPWORDS or folded in STOPWORDS or len(word) < 3:
            continue
        terms.add(folded)
    return frozenset(terms)


def words_in(text: str, terms: frozenset[str]) -> list[str]:
    """The words of ``text`` (as written, lower-cased) whose folded form is among ``terms``, in order."""
    out: list[str] = []
    for word in _TERM.findall(text.lower()):
        if word not in STOPWORDS and len(word) >= 3 and fold(word) in terms and word not in out:
            out.append(word)
    return out


def fold(word: str) -> str:
    """Light lemma so "fractions" meets "fraction" and "writing" meets "write" (both sides are folded the
    same way, so a stem need not be a word: "writ")."""
    if len(word) > 4 and word.endswith("ies"):
        word = word[:-3] + "y"
    elif len(word) > 3 and word.endswith("s") and not word.endswith("ss"):
        word = word[:-1]
    for suffix in ("ing", "ed"):
        if len(word) > len(suffix) + 3 and word.endswith(suffix):
            word = word[: -len(suffix)]
            if word[-1] == word[-2] and word[-1] not in "ls":
                word = word[:-1]  # planned -> plan
            break
    if len(word) > 4 and word.endswith("e"):
        word = word[:-1]
    return word
