"""The knowledge base: questions colleagues asked, with the answer that helped and who gave it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True)
class AnsweredQuestion:
    id: int
    request_id: int
    helper_id: int
    question: str
    answer: str
    platform: str
    workspace_id: str | None = None
    created_at: datetime | None = None

    def embedding_text(self) -> str:
        """Only the question is embedded: a new question is matched against questions, not answers."""
        return self.question


@dataclass(frozen=True)
class SimilarAnswer:
    """An answered question close to a new one, with its cosine similarity and the helper's name."""

    answer: AnsweredQuestion
    score: float
    helper_name: str


@dataclass(frozen=True)
class OpenDuplicate:
    """A still-open question from the last days that a new one nearly repeats."""

    request_id: int
    score: float
    created_at: datetime


@dataclass(frozen=True)
class ThreadAnswer:
    """A colleague's reply in the thread of a question: what "did this help?" asks about, and what joins
    the knowledge base when the asker says it helped. ``helper_name`` is the replier's (a public poster)."""

    id: int
    request_id: int
    helper_id: int
    helper_name: str
    text: str
    created_at: datetime | None = None
