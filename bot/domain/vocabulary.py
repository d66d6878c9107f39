"""Controlled vocabulary for grades and subjects, and their normalisation.

Teachers type "4th", "Grade 4", "fourth", "Math", "ELA"…; matching needs one spelling. Subjects are open
at one level: a specific subject (chemistry, band, theatre, library media, counselling, CTE…) is kept as
typed in one spelling and shown, and ``broad_subject`` maps it to one of ``SUBJECTS`` for fit. Specialist
roles (``ROLES``) are open the same way: a known role has a label and the broad subject it is the go-to
for; any other is kept as typed, lowercased, and shown, with no subject.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

GRADES: tuple[str, ...] = ("K", "1", "2", "3", "4", "5", "6", "7", "8", "9", "10", "11", "12")

SUBJECTS: tuple[str, ...] = (
    "math",
    "ela",
    "science",
    "social studies",
    "art",
    "music",
    "pe",
    "health",
    "sped",
    "ell",
    "cs",
    "world languages",
    "sel",
)

# Specific subject -> the broad subject it fits under. Kept on profiles and resources, shown as written.
SPECIFIC_SUBJECTS: dict[str, str] = {
    "chemistry": "science",
    "biology": "science",
    "physics": "science",
    "earth science": "science",
    "environmental science": "science",
    "anatomy": "science",
    "algebra": "math",
    "geometry": "math",
    "calculus": "math",
    "statistics": "math",
    "us history": "social studies",
    "world history": "social studies",
    "economics": "social studies",
    "psychology": "social studies",
    "government": "social studies",
    "band": "music",
    "choir": "music",
    "orchestra": "music",
    "general music": "music",
    "theatre": "art",
    "dance": "art",
    "visual art": "art",
    "library media": "ela",
    "reading intervention": "ela",
    "counselling": "sel",
    "spanish": "world languages",
    "french": "world languages",
    "german": "world languages",
    "mandarin": "world languages",
    "robotics": "cs",
    "cte": "cte",  # career and technical education: its own broad area, outside the profile form's list
    "culinary arts": "cte",
    "welding": "cte",
    "business": "cte",
    "engineering": "cte",
}

SUBJECT_LABELS: dict[str, str] = {
    "math": "math",
    "ela": "ELA",
    "science": "science",
    "social studies": "social studies",
    "art": "art",
    "music": "music",
    "pe": "PE",
    "health": "health",
    "sped": "special education",
    "ell": "ELL",
    "cs": "computer science",
    "world languages": "world languages",
    "sel": "SEL",
    "cte": "CTE",
    "us history": "U.S. history",
    "library media": "library/media",
}

_SUBJECT_ALIASES: dict[str, str] = {
    "mathematics": "math",
    "maths": "math",
    "english": "ela",
    "english language arts": "ela",
    "reading": "ela",
    "writing": "ela",
    "literacy": "ela",
    "language arts": "ela",
    "history": "social studies",
    "social-studies": "social studies",
    "civics": "social studies",
    "geography": "social studies",
    "physical education": "pe",
    "gym": "pe",
    "special education": "sped",
    "special ed": "sped",
    "esl": "ell",
    "esol": "ell",
    "ml": "ell",
    "computer science": "cs",
    "coding": "cs",
    "computing": "cs",
    "social emotional learning": "sel",
    "social-emotional learning": "sel",
    "career and technical education": "cte",
    "career technical education": "cte",
    # spellings of specific subjects
    "counseling": "counselling",
    "school counseling": "counselling",
    "theater": "theatre",
    "drama": "theatre",
    "library": "library media",
    "library/media": "library media",
    "media center": "library media",
    "librarian": "library media",
    "chem": "chemistry",
    "bio": "biology",
    "u.s. history": "us history",
    "american history": "us history",
    "concert band": "band",
    "chorus": "choir",
    "strings": "orchestra",
    "culinary": "culinary arts",
    "earth and space science": "earth science",
}

_ORDINAL_WORDS: dict[str, str] = {
    "kindergarten": "K",
    "kinder": "K",
    "k": "K",
    "first": "1",
    "second": "2",
    "third": "3",
    "fourth": "4",
    "fifth": "5",
    "sixth": "6",
    "seventh": "7",
    "eighth": "8",
    "ninth": "9",
    "tenth": "10",
    "eleventh": "11",
    "twelfth": "12",
}


def normalize_subject(raw: str) -> str | None:
    """The canonical subject for ``raw`` (broad, or a kept specific one) or ``None`` when unknown."""
    key = " ".join(raw.strip().lower().split())
    if key in SUBJECTS or key in SPECIFIC_SUBJECTS:
        return key
    return _SUBJECT_ALIASES.get(key)


def broad_subject(subject: str) -> str:
    """The broad subject a specific one fits under ("chemistry" -> "science"); broad ones are themselves."""
    return SPECIFIC_SUBJECTS.get(subject, subject)


def broad_subjects(subjects: Iterable[str]) -> frozenset[str]:
    return frozenset(broad_subject(s) for s in subjects)


def normalize_grade(raw: str) -> str | None:
    """Return the canonical grade ("K", "1"…"12") for ``raw`` or ``None`` when unknown."""
    key = raw.strip().lower().removeprefix("grade").strip()
    for suffix in ("st", "nd", "rd", "th"):
        if key.endswith(suffix) and key[: -len(suffix)].isdigit():
            key = key[: -len(suffix)]
    if key in _ORDINAL_WORDS:
        return _ORDINAL_WORDS[key]
    if key.isdigit() and 1 <= int(key) <= 12:
        return str(int(key))
    return None


def normalize_many(values: Iterable[str], normalizer: Callable[[str], str | None]) -> tuple[str, ...]:
    """Normalise each value, drop unknowns and duplicates, keep the first-seen order."""
    seen: dict[str, None] = {}
    for value in values:
        norm = normalizer(value)
        if norm is not None:
            seen.setdefault(norm, None)
    return tuple(seen)


def grade_label(grades: Iterable[str]) -> str:
    """Human label for a list of grades: "4th grade", "grades 3–5", "K"."""
    ordered = sorted(set(grades), key=GRADES.index)
    if not ordered:
        return ""
    if len(ordered) == 1:
        return _single_grade(ordered[0])
    first, last = ordered[0], ordered[-1]
    contiguous = GRADES.index(last) - GRADES.index(first) == len(ordered) - 1
    if contiguous:
        return f"grades {first}–{last}"
    return "grades " + ", ".join(ordered)


def _single_grade(grade: str) -> str:
    if grade == "K":
        return "kindergarten"
    n = int(grade)
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix} grade"


def subject_label(subject: str) -> str:
    """Human label for a canonical subject."""
    return SUBJECT_LABELS.get(subject, subject)


@dataclass(frozen=True)
class Role:
    """A specialist role: how it is shown and the broad subject it is the school's go-to for."""

    label: str
    subject: str | None


# Canonical role key -> its label and subject (``None``: shown and embedded, but no subject to be go-to for).
ROLES: dict[str, Role] = {
    "sped": Role("special education teacher", "sped"),
    "speech-language pathologist": Role("speech-language pathologist", "sped"),
    "ell": Role("ELL specialist", "ell"),
    "counsellor": Role("school counsellor", "sel"),
    "school psychologist": Role("school psychologist", "sel"),
    "pe": Role("PE teacher", "pe"),
    "health": Role("health teacher", "health"),
    "music": Role("music teacher", "music"),
    "band director": Role("band director", "music"),
    "choir director": Role("choir director", "music"),
    "orchestra director": Role("orchestra director", "music"),
    "art": Role("art teacher", "art"),
    "theatre": Role("theatre teacher", "art"),
    "dance": Role("dance teacher", "art"),
    "library media": Role("library/media specialist", "ela"),
    "reading specialist": Role("reading specialist", "ela"),
    "literacy coach": Role("literacy coach", "ela"),
    "math coach": Role("math coach", "math"),
    "math interventionist": Role("math interventionist", "math"),
    "instructional coach": Role("instructional coach", None),
    "technology coach": Role("technology coach", "cs"),
    "cte": Role("CTE teacher", "cte"),
    "gifted": Role("gifted and talented specialist", None),
}

_ROLE_ALIASES: dict[str, str] = {
    "special ed": "sped",
    "special education": "sped",
    "special educator": "sped",
    "resource teacher": "sped",
    "resource room": "sped",
    "intervention specialist": "sped",
    "speech pathologist": "speech-language pathologist",
    "speech language pathologist": "speech-language pathologist",
    "slp": "speech-language pathologist",
    "esl": "ell",
    "esol": "ell",
    "eld": "ell",
    "ml": "ell",
    "english learner": "ell",
    "english learners": "ell",
    "english language learners": "ell",
    "multilingual learner": "ell",
    "counselor": "counsellor",
    "school counselor": "counsellor",
    "school counsellor": "counsellor",
    "guidance counselor": "counsellor",
    "guidance counsellor": "counsellor",
    "guidance": "counsellor",
    "counseling": "counsellor",
    "counselling": "counsellor",
    "physical education": "pe",
    "gym": "pe",
    "general music": "music",
    "band": "band director",
    "choir": "choir director",
    "chorus": "choir director",
    "orchestra": "orchestra director",
    "strings": "orchestra director",
    "visual art": "art",
    "visual arts": "art",
    "theater": "theatre",
    "drama": "theatre",
    "librarian": "library media",
    "school librarian": "library media",
    "library": "library media",
    "library/media": "library media",
    "library media specialist": "library media",
    "media specialist": "library media",
    "teacher librarian": "library media",
    "reading interventionist": "reading specialist",
    "reading intervention": "reading specialist",
    "reading": "reading specialist",
    "interventionist": "reading specialist",
    "coach": "instructional coach",
    "academic coach": "instructional coach",
    "tech coach": "technology coach",
    "technology integration": "technology coach",
    "edtech coach": "technology coach",
    "career and technical education": "cte",
    "career technical education": "cte",
    "gifted and talented": "gifted",
    "gt": "gifted",
}
MAX_ROLES = 6  # kept per profile (``/kindred profile roles``, district imports)
# Said after a role and dropped when looking it up: "ELL specialist", "art teacher", "SPED teacher".
_ROLE_SUFFIXES: tuple[str, ...] = (" teacher", " specialist", " director", " educator")


def normalize_role(raw: str) -> str | None:
    """The canonical role for ``raw``; an unknown one as typed (lowercased, one spelling of spaces);
    ``None`` only when empty."""
    key = " ".join(raw.strip().strip(".").lower().split()).removeprefix("the ").removeprefix("a ")
    if not key:
        return None
    for candidate in (key, *(key.removesuffix(s) for s in _ROLE_SUFFIXES if key.endswith(s))):
        if candidate in ROLES:
            return candidate
        if candidate in _ROLE_ALIASES:
            return _ROLE_ALIASES[candidate]
    return key[:60]


def normalize_roles(values: Iterable[str]) -> tuple[str, ...]:
    """Each role normalised, empty ones and duplicates dropped, first-seen order kept."""
    return normalize_many(values, normalize_role)


def role_label(role: str) -> str:
    """How a role is shown: its label, or the role as typed."""
    known = ROLES.get(role)
    return known.label if known else role


def role_subject(role: str) -> str | None:
    """The broad subject a role is the go-to for; ``None`` for an unknown role."""
    known = ROLES.get(role)
    return known.subject if known else None
