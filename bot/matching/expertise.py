"""Answers that helped, folded into the helper's expertise: a paraphrase of a question a colleague has
already answered well brings that colleague up first, with the reason "helped a colleague with …".
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from bot.domain.knowledge import AnsweredQuestion
from bot.matching.context import content_terms, fold

PARAPHRASE = 0.6  # cosine between the new question and an answered one (bundled model; tuning split)
_WORD = re.compile(r"[A-Za-z][A-Za-z'-]+")


@dataclass(frozen=True)
class HelpedWith:
    """The closest question this helper answered well, and how close it is to the new one."""

    similarity: float
    question: str
    when: datetime | None

    def reason(self, question_terms: frozenset[str]) -> str:
        topic = shared_phrase(self.question, question_terms)
        month = f" in {self.when:%B}" if self.when else ""
        return f"helped a colleague with {topic}{month}" if topic else f"helped a colleague with this{month}"


def helpers(
    hits: Sequence[tuple[int, float]], answers: dict[int, AnsweredQuestion], floor: float
) -> dict[int, HelpedWith]:
    """helper id -> their closest answered question among ``hits`` (answer id, cosine) from ``floor`` up."""
    out: dict[int, HelpedWith] = {}
    for answer_id, similarity in hits:
        answer = answers.get(answer_id)
        if answer is None or similarity < floor:
            continue
        known = out.get(answer.helper_id)
        if known is None or similarity > known.similarity:
            out[answer.helper_id] = HelpedWith(similarity, answer.question, answer.created_at)
    return out


def shared_phrase(answered: str, terms: frozenset[str]) -> str:
    """The longest run of words of the answered question that the new question also uses ("exit tickets")."""
    runs: list[list[str]] = [[]]
    for word in _WORD.findall(answered):
        if fold(word.lower()) in terms and content_terms(word):
            runs[-1].append(word.lower())
        elif runs[-1]:
            runs.append([])
    phrases = sorted((" ".join(r) for r in runs if r), key=lambda p: -len(p.split()))
    return phrases[0] if phrases else ""
