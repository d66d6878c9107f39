"""A small deterministic embedder (hashed word and character n-grams) for unit tests and tooling.

It is not a language model: texts that share words score as similar, which is enough for fast tests
of ranking logic and index plumbing. Integration tests use the real model.
"""

from __future__ import annotations

import hashlib
import itertools
import re
from collections.abc import Sequence

import numpy as np

_WORD = re.compile(r"[a-z0-9]+")


class HashingEmbedder:
    def __init__(self, dimension: int = 256) -> None:
        self._dimension = dimension

    @property
    def model_name(self) -> str:
        return f"hashing-{self._dimension}"

    @property
    def dimension(self) -> int:
        return self._dimension

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        out = np.zeros((len(texts), self._dimension), dtype=np.float32)
        for row, text in enumerate(texts):
            for token in self._tokens(text):
                digest = hashlib.blake2b(token.encode(), digest_size=8).digest()
                index = int.from_bytes(digest[:4], "little") % self._dimension
                sign = 1.0 if digest[4] & 1 else -1.0
                out[row, index] += sign
            norm = np.linalg.norm(out[row])
            if norm > 0:
                out[row] /= norm
        return out

    @staticmethod
    def _tokens(text: str) -> list[str]:
        words = [w for w in _WORD.findall(text.lower()) if len(w) > 2]
        stems = [w[:5] for w in words]
        return stems + [f"{a}_{b}" for a, b in itertools.pairwise(stems)]
