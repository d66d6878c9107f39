"""Hybrid retrieval: BM25 hits the embedding search did not fetch join its candidates, with their cosine.

The order among relevant items is then a reciprocal rank fusion of both rankings (``relevance.fused``).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from bot.matching.vector_index import VectorIndex
from bot.storage.database import Database

Hit = tuple[int, float]


def similarities(
    db: Database,
    kind: str,
    model: str,
    vector: np.ndarray,
    ids: Sequence[int],
    index: VectorIndex | None = None,
) -> list[Hit]:
    """(id, vector · stored vector) for ``ids`` that have a stored vector of ``model``, by ascending id.

    With ``index`` (the live vector index of ``kind``): its vectors, read from memory — every indexed item
    has one — instead of the database on each question."""
    if not ids:
        return []
    if index is not None:
        found, matrix = index.vectors(ids)
    else:
        with db.unit_of_work(writes=False) as uow:
            found, matrix = uow.embeddings.load(kind, model, ids)
    if not len(found) or matrix.shape[1] != len(vector):
        return []
    scores = matrix @ np.asarray(vector, dtype=np.float32)
    return [(int(i), float(s)) for i, s in zip(found.tolist(), scores.tolist(), strict=True)]


def with_lexical(dense: Sequence[Hit], lexical_only: Sequence[Hit]) -> list[Hit]:
    """The dense hits, then the lexical-only candidates (with their cosine) not among them."""
    seen = {i for i, _ in dense}
    return [*dense, *(h for h in lexical_only if h[0] not in seen)]
