"""Teaching frameworks (Danielson) and school goals, and linking a free-text goal to one component.

Linking is by keywords first (explainable, predictable); when no keyword matches, the embedder picks the
nearest component above a similarity floor, and otherwise the goal simply stays unlinked.
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from importlib.resources import files
from pathlib import Path
from typing import Any

import numpy as np

from bot.matching.embedder import Embedder

log = logging.getLogger(__name__)

# The framework ships inside the package (an installed wheel links goals too); a school's own goals are
# the operator's file, read from ``config/`` under the working directory (the checkout, or /app in Docker).
DANIELSON_FILE = Path(str(files("bot.resources") / "frameworks" / "danielson.yml"))
SCHOOL_GOALS_FILE = Path("config") / "school_goals.yml"
EMBEDDING_FLOOR = 0.35
_NAME_WEIGHT = 0.25
_WORD = re.compile(r"[a-z0-9]+")
_COMMON = frozenset(
    [
        "a",
        "an",
        "and",
        "the",
        "of",
        "with",
        "in",
        "on",
        "for",
        "to",
        "my",
        "our",
        "their",
        "using",
        "use",
        "student",
        "students",
        "learning",
        "about",
        "more",
    ]
)


@dataclass(frozen=True)
class Component:
    """One framework component (e.g. Danielson 3b) or school goal a teacher's goal can be linked to."""

    framework: str
    code: str
    name: str
    keywords: tuple[str, ...] = ()

    @property
    def label(self) -> str:
        return f"{self.code} {self.name}"

    def profile_text(self) -> str:
        return ". ".join((self.name, ", ".join(self.keywords)))


def stem(word: str) -> str:
    """Crude and predictable: questions/questioning/questioned -> question."""
    for suffix in ("ing", "ed", "es", "s"):
        if len(word) > len(suffix) + 3 and word.endswith(suffix):
            return word[: -len(suffix)]
    return word


def terms(text: str) -> list[str]:
    return [stem(w) for w in _WORD.findall(text.lower())]


def _contains(words: Sequence[str], phrase: Sequence[str]) -> bool:
    n = len(phrase)
    return n > 0 and any(tuple(words[i : i + n]) == tuple(phrase) for i in range(len(words) - n + 1))


class Catalog:
    """All components Kindred can link goals to, in file order."""

    def __init__(self, components: Iterable[Component]) -> None:
        self.components = tuple(components)
        self._by_code = {c.code.lower(): c for c in self.components}

    def by_code(self, code: str) -> Component | None:
        return self._by_code.get(code.strip().strip("[]()").lower())

    def keyword_scores(self, text: str) -> dict[Component, float]:
        words = terms(text)
        scores: dict[Component, float] = {}
        for component in self.components:
            score = 0.0
            for keyword in component.keywords:
                phrase = terms(keyword)
                if _contains(words, phrase):
                    score += len(phrase)
            name_terms = {t for t in terms(component.name) if t not in _COMMON}
            score += _NAME_WEIGHT * len(name_terms & set(words))
            if score > 0:
                scores[component] = score
        return scores

    def match(self, text: str, embedder: Embedder | None = None) -> Component | None:
        """The closest component to a free-text goal, or None when nothing is close enough."""
        scores = self.keyword_scores(text)
        if scores:
            best = max(scores.values())
            return next(c for c in self.components if scores.get(c) == best)  # file order breaks ties
        if embedder is None or not self.components:
            return None
        try:
            vectors = np.asarray(embedder.embed([text, *(c.profile_text() for c in self.components)]))
        except Exception:
            log.warning("could not embed a goal for framework linking", exc_info=True)
            return None
        goal, rest = vectors[0], vectors[1:]
        norms = np.linalg.norm(rest, axis=1) * (np.linalg.norm(goal) or 1.0)
        similarity = rest @ goal / np.where(norms == 0, 1.0, norms)
        index = int(np.argmax(similarity))
        return self.components[index] if float(similarity[index]) >= EMBEDDING_FLOOR else None


def read_structured(path: Path) -> Any:
    """YAML through PyYAML when installed; otherwise the file must be JSON (JSON is valid YAML)."""
    text = path.read_text(encoding="utf-8")
    try:
        import yaml
    except ImportError:  # pragma: no cover - PyYAML ships with the bot's dependencies
        return json.loads(text)
    return yaml.safe_load(text)


def parse_framework(data: dict[str, Any]) -> list[Component]:
    """A framework file (``domains`` -> ``components``) or a school-goals file (``goals``)."""
    framework = str(data.get("id") or "framework")
    entries = list(data.get("goals") or [])
    for domain in data.get("domains") or []:
        entries.extend(domain.get("components") or [])
    return [
        Component(
            framework=framework,
            code=str(entry["code"]),
            name=str(entry["name"]),
            keywords=tuple(str(k) for k in entry.get("keywords") or ()),
        )
        for entry in entries
    ]


def load_catalog(paths: Iterable[Path] = (DANIELSON_FILE, SCHOOL_GOALS_FILE)) -> Catalog:
    """Components from every file that exists (the school goals file is optional)."""
    components: list[Component] = []
    for path in paths:
        if path.exists():
            components.extend(parse_framework(read_structured(path)))
    return Catalog(components)
