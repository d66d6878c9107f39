"""How districts write grades and subjects: bands, ranges and local names, understood without a closed list.

The shared vocabulary (bot.domain.vocabulary) is what matching knows; anything else is kept as a tag.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from bot.domain.vocabulary import GRADES, normalize_grade, normalize_subject

PRE_K_TAG = "pre-k"
ADULT_ED_TAG = "adult ed"

_PRE_K = {"pre-k", "prek", "pre k", "tk", "pre-kindergarten", "prekindergarten", "pre kindergarten", "pk"}
_PRE_K |= {"transitional kindergarten", "preschool"}
_ADULT = {"adult ed", "adult education", "adult", "adult-ed", "adulted", "ged"}
_ALL = {"all", "all grades", "k-12", "k–12", "k—12"}
_SEPARATOR = re.compile(r"\s*(?:-|–|—|\bto\b|\bthrough\b|\bthru\b)\s*")


@dataclass
class Understood:
    """Values the matcher knows, values kept as tags, and the raw values nobody recognised."""

    known: list[str] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    unknown: list[str] = field(default_factory=list)

    def add(self, target: list[str], value: str) -> None:
        if value not in target:
            target.append(value)


def _band(key: str) -> str | None:
    """Pre-K and adult ed: bands outside the K–12 scale matching ranks by."""
    if key in _PRE_K:
        return PRE_K_TAG
    if key in _ADULT:
        return ADULT_ED_TAG
    return None


def _grade_or_band(raw: str) -> str | None:
    key = " ".join(raw.strip().lower().split())
    return _band(key) or normalize_grade(key)


def understand_grades(values: list[str]) -> Understood:
    """``K``, ``4th``, ``Pre-K``/``TK``, ``adult ed`` and ranges (``K-2``, ``6–8``, ``PreK-2``)."""
    out = Understood()
    for raw in values:
        key = " ".join(raw.strip().lower().split())
        if key in _ALL:
            for grade in GRADES:
                out.add(out.known, grade)
            continue
        single = _grade_or_band(key)
        if single is not None:
            out.add(out.tags if single in (PRE_K_TAG, ADULT_ED_TAG) else out.known, single)
            continue
        low, high = _range(key.removeprefix("grades").strip())
        if low == PRE_K_TAG and high in GRADES:
            out.add(out.tags, PRE_K_TAG)
            low = "K"
        if low in GRADES and high in GRADES and GRADES.index(low) <= GRADES.index(high):
            for grade in GRADES[GRADES.index(low) : GRADES.index(high) + 1]:
                out.add(out.known, grade)
            continue
        out.add(out.tags, key)
        out.add(out.unknown, raw.strip())
    return out


def _range(key: str) -> tuple[str | None, str | None]:
    """Both ends of ``low-high``, trying each separator (``Pre-K-2`` splits after ``Pre-K``)."""
    for match in _SEPARATOR.finditer(key):
        low, high = _grade_or_band(key[: match.start()]), _grade_or_band(key[match.end() :])
        if low is not None and high is not None:
            return low, high
    return None, None


def understand_subjects(values: list[str]) -> Understood:
    """Known subjects (with their aliases); anything else ("classroom management") becomes a tag."""
    out = Understood()
    for raw in values:
        key = " ".join(raw.strip().lower().split())
        subject = normalize_subject(key) or normalize_subject(key.replace("&", "and"))
        if subject is not None:
            out.add(out.known, subject)
        else:
            out.add(out.tags, key)
            out.add(out.unknown, raw.strip())
    return out
