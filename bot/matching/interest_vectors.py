"""Colleagues' interests by meaning: each interest phrase embedded once, compared with the question.

A whole profile's vector averages what a colleague teaches, their bio and every interest, so a profile with
generic words is close to many questions (a hub) and a specific interest ("debugging") is diluted. Each
interest phrase gets its own vector (embedded the first time a candidate with it is ranked, then kept), and
a colleague's closest interest to the question is the one a reason can name ("related interest: …").

Short generic phrases ("math games", "classroom management") are close to everything too, so the question
is first moved away from the mean profile vector (``hubness.CorpusMeans.centred``): similarity minus
``hub`` × the phrase's similarity to the mean profile — a centring computed from the profiles themselves.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Iterable, Sequence

import numpy as np

from bot.domain.teachers import Teacher
from bot.matching.embedder import Embedder

MAX_PHRASES = 50_000  # distinct interest phrases kept (about 75 MB at 384 dimensions)


class InterestVectors:
    """Interest phrase -> unit vector for one embedder, filled on demand, least recently used dropped."""

    def __init__(self, embedder: Embedder, max_phrases: int = MAX_PHRASES) -> None:
        self.embedder = embedder
        self.max_phrases = max_phrases
        self._vectors: OrderedDict[str, np.ndarray] = OrderedDict()
        self._lock = threading.Lock()

    def vectors(self, phrases: Iterable[str]) -> dict[str, np.ndarray]:
        """The vectors of ``phrases``; the ones not seen before are embedded together in one call."""
        wanted = list(dict.fromkeys(p for p in phrases if p.strip()))
        with self._lock:
            known = {p: self._vectors[p] for p in wanted if p in self._vectors}
            for phrase in known:
                self._vectors.move_to_end(phrase)
        missing = [p for p in wanted if p not in known]
        if missing:
            embedded = np.asarray(self.embedder.embed(missing), dtype=np.float32)
            fresh = dict(zip(missing, embedded, strict=True))
            known.update(fresh)
            with self._lock:
                self._vectors.update(fresh)
                while len(self._vectors) > self.max_phrases:
                    self._vectors.popitem(last=False)
        return known

    def closest(self, query: np.ndarray, teachers: Sequence[Teacher]) -> dict[int, tuple[float, str]]:
        """teacher id -> (similarity, interest) of their interest closest to ``query`` (teachers with
        interests only). ``query`` is the question's vector, already centred if hubs are to be reduced."""
        vectors = self.vectors(p for t in teachers for p in t.interests)
        out: dict[int, tuple[float, str]] = {}
        for teacher in teachers:
            scored = [(float(vectors[p] @ query), p) for p in teacher.interests if p in vectors]
            if scored:
                out[teacher.id] = max(scored, key=lambda pair: pair[0])
        return out
