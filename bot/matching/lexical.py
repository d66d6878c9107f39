"""A small incremental BM25 index: the exact words (and acronyms, see ``synonyms``) a question shares.

The embedding search finds what is close in meaning; this finds what uses the question's own words —
"Punnett", "Elkonin", "IEP" — which a small model blurs. Documents are added, replaced and removed one at a
time (the change feed drives it); postings are plain dicts, turned into numpy arrays per term on first
use after a change, so a search at 100k documents is a few array additions.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterable

import numpy as np

from bot.matching.context import STOPWORDS, fold
from bot.matching.synonyms import concept_tokens

K1 = 1.2
B = 0.75
COMMON_SHARE = 0.1  # terms in more than this share of the documents are skipped (once there are many)
COMMON_MIN = 2_000
_WORD = re.compile(r"[a-z0-9][a-z0-9'-]*[a-z0-9]|[a-z0-9]")


def lexical_terms(text: str) -> list[str]:
    """Folded content words plus concept tokens (``ell`` for "English learners" and "ELLs" alike)."""
    words = []
    for raw in _WORD.findall(text.lower()):
        for word in raw.split("-") if "-" in raw else (raw,):
            folded = fold(word.removesuffix("'s"))
            if len(folded) < 2 or word in STOPWORDS or folded in STOPWORDS:
                continue
            words.append(folded)
    return words + [f"§{token}" for token in sorted(concept_tokens(text))]


class Bm25Index:
    def __init__(self) -> None:
        self._row: dict[int, int] = {}  # item id -> row
        self._ids: list[int] = []  # row -> item id (-1 once removed)
        self._lengths: list[int] = []
        self._terms: list[Counter[str]] = []
        self._postings: dict[str, dict[int, int]] = {}  # term -> row -> term frequency
        self._arrays: dict[str, tuple[np.ndarray, np.ndarray]] = {}
        self._total_length = 0
        self._lengths_array: np.ndarray | None = None  # cached for search; rebuilt when rows change

    def __len__(self) -> int:
        return len(self._row)

    def add(self, item_id: int, text: str) -> None:
        """Index ``text`` under ``item_id`` (replacing what was there)."""
        self.remove(item_id)
        counts = Counter(lexical_terms(text))
        row = len(self._ids)
        self._row[item_id] = row
        self._ids.append(item_id)
        self._terms.append(counts)
        length = sum(counts.values())
        self._lengths.append(length)
        self._total_length += length
        for term, tf in counts.items():
            self._postings.setdefault(term, {})[row] = tf
            self._arrays.pop(term, None)

    def add_many(self, items: Iterable[tuple[int, str]]) -> None:
        for item_id, text in items:
            self.add(item_id, text)

    def remove(self, item_id: int) -> None:
        row = self._row.pop(item_id, None)
        if row is None:
            return
        self._ids[row] = -1
        self._total_length -= self._lengths[row]
        for term in self._terms[row]:
            self._postings[term].pop(row, None)
            self._arrays.pop(term, None)
        self._terms[row] = Counter()

    def search(self, text: str, k: int) -> list[tuple[int, float]]:
        """The ``k`` best (item id, BM25 score) for ``text``, best first; only items sharing a term."""
        n = len(self._row)
        if not n:
            return []
        avg = self._total_length / n or 1.0
        if self._lengths_array is None or len(self._lengths_array) != len(self._lengths):
            self._lengths_array = np.asarray(self._lengths, dtype=np.float32)
        lengths = self._lengths_array
        scores = np.zeros(len(self._ids), dtype=np.float32)
        common = max(COMMON_MIN, COMMON_SHARE * n)
        for term in set(lexical_terms(text)):
            rows, tfs = self._array(term)
            if not len(rows) or len(rows) > common:  # in a tenth of a big catalog: says little, costs most
                continue
            idf = math.log(1 + (n - len(rows) + 0.5) / (len(rows) + 0.5))
            norm = K1 * (1 - B + B * lengths[rows] / avg)
            scores[rows] += idf * tfs * (K1 + 1) / (tfs + norm)
        hit = np.flatnonzero(scores > 0)
        if not len(hit):
            return []
        top = hit[np.argsort(-scores[hit], kind="stable")[:k]]
        return [(self._ids[r], float(scores[r])) for r in top]

    def _array(self, term: str) -> tuple[np.ndarray, np.ndarray]:
        if term not in self._arrays:
            posting = self._postings.get(term, {})
            self._arrays[term] = (
                np.fromiter(posting.keys(), dtype=np.int64, count=len(posting)),
                np.fromiter(posting.values(), dtype=np.float32, count=len(posting)),
            )
        return self._arrays[term]
