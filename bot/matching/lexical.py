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
from functools import lru_cache

import numpy as np

from bot.matching.context import STOPWORDS, fold
from bot.matching.synonyms import concept_tokens

K1 = 1.2
B = 0.75
COMMON_SHARE = 0.1  # terms in more than this share of the documents are skipped (once there are many)
COMMON_MIN = 2_000
WEIGHTS_KEPT = 20_000  # terms whose weights are kept between questions
QUERY_MAX = 2_000  # texts up to this long (questions) have their terms memoised
_WORD = re.compile(r"[a-z0-9][a-z0-9'-]*[a-z0-9]|[a-z0-9]")


def lexical_terms(text: str) -> list[str]:
    """Folded content words plus concept tokens (``ell`` for "English learners" and "ELLs" alike)."""
    return list(_query_terms(text)) if len(text) <= QUERY_MAX else _terms(text)


@lru_cache(maxsize=256)
def _query_terms(text: str) -> tuple[str, ...]:
    """A question's terms, made once: each question is searched in both indexes (resources, colleagues)."""
    return tuple(_terms(text))


def _terms(text: str) -> list[str]:
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
        # term -> (generation, rows, BM25 weight per row): valid until any document changes (n, lengths)
        self._weights: dict[str, tuple[int, np.ndarray, np.ndarray]] = {}
        self._generation = 0
        self._total_length = 0
        self._lengths_array: np.ndarray | None = None  # cached for search; rebuilt when rows change

    def __len__(self) -> int:
        return len(self._row)

    def add(self, item_id: int, text: str) -> None:
        """Index ``text`` under ``item_id`` (replacing what was there)."""
        self.remove(item_id)
        self._generation += 1
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
        self._generation += 1
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
            cached = self._weights.get(term)
            if cached is not None and cached[0] == self._generation:
                weights = cached[2]
            else:  # computed once per term until the next change, not on every question
                idf = math.log(1 + (n - len(rows) + 0.5) / (len(rows) + 0.5))
                norm = K1 * (1 - B + B * lengths[rows] / avg)
                weights = idf * tfs * (K1 + 1) / (tfs + norm)
                if len(self._weights) >= WEIGHTS_KEPT:
                    self._weights.clear()
                self._weights[term] = (self._generation, rows, weights)
            scores[rows] += weights
        hit = np.flatnonzero(scores > 0)
        if not len(hit):
            return []
        top = _top(hit, scores[hit], k)
        return [(self._ids[r], float(scores[r])) for r in top]

    def _array(self, term: str) -> tuple[np.ndarray, np.ndarray]:
        if term not in self._arrays:
            posting = self._postings.get(term, {})
            self._arrays[term] = (
                np.fromiter(posting.keys(), dtype=np.int64, count=len(posting)),
                np.fromiter(posting.values(), dtype=np.float32, count=len(posting)),
            )
        return self._arrays[term]


def _top(rows: np.ndarray, scores: np.ndarray, k: int) -> np.ndarray:
    """The ``k`` best ``rows`` by score, ties in row order — a stable sort of all, without sorting all."""
    if k <= 0:
        return rows[:0]
    if len(rows) > k:
        kth = np.partition(scores, len(scores) - k)[len(scores) - k]  # the k-th best score
        keep = scores >= kth  # every row tied with it too, so the stable order among ties is kept
        rows, scores = rows[keep], scores[keep]
    return rows[np.argsort(-scores, kind="stable")[:k]]
