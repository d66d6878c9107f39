"""Acronyms and their spelled-out phrases, so "ELL" meets "English learners" and "PBIS" meets behaviour.

Teachers write "ELLs", the catalog says "English learners"; the model does not know "PBIS" or "UDL" at all.
Each concept has a canonical token and its variants. ``concept_tokens`` gives the canonical tokens a text
mentions (for the lexical index, on both sides); ``expand_query`` spells out acronyms a question uses
before it is embedded, so the embedding search sees words it knows.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache


@dataclass(frozen=True)
class Concept:
    token: str  # what the lexical index stores
    variants: tuple[str, ...]  # spellings teachers and authors use (the acronym included)
    spelled_out: str  # added to a question that uses only the acronym, before embedding
    expand_always: bool = False  # also added for a spelled-out variant (a paraphrase the model misses)


CONCEPTS: tuple[Concept, ...] = (
    Concept(
        "ell",
        (
            "ell",
            "ells",
            "esl",
            "esol",
            "ml",
            "mls",
            "english learner",
            "english learners",
            "english language learner",
            "english language learners",
            "multilingual learner",
            "multilingual learners",
            "emergent bilingual",
            "emergent bilinguals",
        ),
        "English learners",
    ),
    Concept(
        "sel",
        (
            "sel",
            "social emotional",
            "social-emotional",
            "social emotional learning",
            "social-emotional learning",
        ),
        "social emotional learning, feelings",
    ),
    Concept(
        "iep",
        (
            "iep",
            "ieps",
            "individualized education program",
            "individualized education plan",
            "504",
            "504 plan",
        ),
        "IEP accommodations",
    ),
    Concept(
        "pbis",
        (
            "pbis",
            "positive behavior interventions and supports",
            "positive behavior support",
            "positive behaviour support",
        ),
        "positive behavior supports, classroom management",
    ),
    Concept(
        "udl",
        ("udl", "universal design for learning"),
        "universal design for learning, student choice and differentiation",
    ),
    Concept(
        "newcomer",
        (
            "newcomer",
            "newcomers",
            "new arrival",
            "new arrivals",
            "recently arrived",
            "new to the country",
            "no english",
            "almost no english",
            "little english",
            "new to english",
        ),
        "newcomer English learners",
        expand_always=True,
    ),
    Concept(
        "family",
        ("family", "families", "parent", "parents", "caregiver", "caregivers", "guardians", "home"),
        "families",
    ),
    Concept("sped", ("sped", "special ed", "special education", "special educator"), "special education"),
    Concept("pe", ("pe", "phys ed", "physical education", "gym class"), "physical education"),
    Concept("cs", ("cs", "computer science"), "computer science, coding"),
    Concept(
        "cer", ("cer", "claim evidence reasoning", "claim-evidence-reasoning"), "claim evidence reasoning"
    ),
    Concept(
        "dbq",
        ("dbq", "dbqs", "document based question", "document-based question"),
        "document-based question",
    ),
    Concept("tpr", ("tpr", "total physical response"), "total physical response"),
    Concept("pbl", ("pbl", "project based learning", "project-based learning"), "project-based learning"),
    Concept(
        "cte",
        ("cte", "career and technical education", "career technical education"),
        "career and technical education",
    ),
    Concept("mtss", ("mtss", "rti", "response to intervention"), "tiered interventions"),
)

_PATTERNS = tuple(
    (
        c,
        re.compile(
            r"(?<![\w-])(?:"
            + "|".join(re.escape(v) for v in sorted(c.variants, key=len, reverse=True))
            + r")(?![\w-])",
            re.I,
        ),
    )
    for c in CONCEPTS
)
# An acronym alone (upper case in the question, or one of these always-lowercase-safe ones).
_ACRONYM = re.compile(r"[A-Z]{2,5}s?|504")


@lru_cache(maxsize=65_536)
def concept_tokens(text: str) -> frozenset[str]:
    """Canonical tokens of the concepts ``text`` mentions in any spelling."""
    return frozenset(c.token for c, pattern in _PATTERNS if pattern.search(text))


def expand_query(question: str) -> str:
    """The question with the concepts it names spelled out once: an acronym ("PBIS" -> "positive behavior
    supports, …") or a paraphrase ("speak almost no English" -> "newcomer English learners")."""
    lowered = question.lower()
    added: list[str] = []
    for concept, pattern in _PATTERNS:
        match = pattern.search(question)
        if match is None or concept.spelled_out.lower() in lowered or concept.spelled_out in added:
            continue
        if concept.expand_always or _ACRONYM.fullmatch(match.group(0)):
            added.append(concept.spelled_out)
    return f"{question} ({'; '.join(added)})" if added else question
