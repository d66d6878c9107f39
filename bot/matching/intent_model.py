"""The learned help-request detector: logistic regression over the message's sentence embedding.

Features are the embedding plus a few phrase cues from ``bot.matching.intent``. Scores are probabilities
(Platt-scaled on out-of-fold decisions), so ``KINDRED_INTENT_THRESHOLD`` reads as "P(help) at least".
Trained, seeded, from the shipped data in ``bot/matching/data``; the fitted weights are cached as JSON
in the data dir, keyed by a hash of the data, the embedder's model tag and ``MODEL_TAG``.
"""

from __future__ import annotations

import hashlib
import json
import logging
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from bot.matching.embedder import Embedder
from bot.matching.intent import HelpRequestDetector, IntentResult, phrase_features
from bot.matching.intent_data import TRAIN_PATH, load_split, scored

log = logging.getLogger(__name__)

MODEL_TAG = "logreg-v1"
SEED = 16
_C = 4.0  # chosen by 5-fold cross-validation on the training split only


@dataclass(frozen=True)
class IntentModel:
    """Fitted weights; ``probability`` maps features to P(help)."""

    coef: np.ndarray
    intercept: float
    platt_a: float
    platt_b: float
    embedder: str
    key: str

    def probability(self, features: np.ndarray) -> np.ndarray:
        decision = features @ self.coef + self.intercept
        return np.asarray(1.0 / (1.0 + np.exp(-(self.platt_a * decision + self.platt_b))))

    def to_json(self) -> str:
        return json.dumps(
            {
                "tag": MODEL_TAG,
                "key": self.key,
                "embedder": self.embedder,
                "coef": [float(x) for x in self.coef],
                "intercept": self.intercept,
                "platt": [self.platt_a, self.platt_b],
            }
        )

    @classmethod
    def from_json(cls, text: str) -> IntentModel:
        raw = json.loads(text)
        return cls(
            coef=np.asarray(raw["coef"], dtype=np.float32),
            intercept=float(raw["intercept"]),
            platt_a=float(raw["platt"][0]),
            platt_b=float(raw["platt"][1]),
            embedder=raw["embedder"],
            key=raw["key"],
        )


def features(embedder: Embedder, texts: Sequence[str]) -> np.ndarray:
    """Embedding columns, then the phrase-cue columns."""
    vectors = embedder.embed([clean_text(t) for t in texts]).astype(np.float32)
    cues = np.asarray([phrase_features(t) for t in texts], dtype=np.float32)
    return np.hstack([vectors, cues])


def data_key(embedder: Embedder, extra: Sequence[tuple[Sequence[float], int]] = ()) -> str:
    """What the cached model depends on: the training data, the corrections, the embedder, the model tag."""
    digest = hashlib.sha256(TRAIN_PATH.read_bytes())
    digest.update(f"{embedder.model_name}|{MODEL_TAG}|{SEED}".encode())
    for vector, label in extra:
        digest.update(np.asarray(vector, dtype=np.float32).tobytes() + bytes([label]))
    return digest.hexdigest()[:16]


def train(
    embedder: Embedder,
    rows: list[dict[str, str]] | None = None,
    corrections: Sequence[tuple[Sequence[float], int]] = (),
    seed: int = SEED,
) -> IntentModel:
    """Fit on the training split (plus stored corrections: embeddings with 0/1 labels), seeded."""
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import StratifiedKFold, cross_val_predict

    texts, labels = scored(rows if rows is not None else load_split(TRAIN_PATH))
    x = features(embedder, texts)
    y = np.asarray(labels)
    usable = [(v, lab) for v, lab in corrections if len(v) == embedder.dimension]
    if usable:
        # Corrections carry no text, so their phrase cues are unknown: zeros.
        extra = np.hstack(
            [
                np.asarray([v for v, _ in usable], dtype=np.float32),
                np.zeros((len(usable), x.shape[1] - embedder.dimension)),
            ]
        )
        x = np.vstack([x, extra.astype(np.float32)])
        y = np.concatenate([y, np.asarray([lab for _, lab in usable])])
    classifier = LogisticRegression(C=_C, max_iter=2000, random_state=seed, class_weight="balanced")
    folds = StratifiedKFold(n_splits=5, shuffle=True, random_state=seed)
    decision = cross_val_predict(classifier, x, y, cv=folds, method="decision_function")
    platt = LogisticRegression(C=1e6, max_iter=1000).fit(decision.reshape(-1, 1), y)
    classifier.fit(x, y)
    return IntentModel(
        coef=classifier.coef_[0].astype(np.float32),
        intercept=float(classifier.intercept_[0]),
        platt_a=float(platt.coef_[0][0]),
        platt_b=float(platt.intercept_[0]),
        embedder=embedder.model_name,
        key=data_key(embedder, corrections),
    )


_FITTED: dict[str, IntentModel] = {}


def load_or_train(
    embedder: Embedder, cache_dir: Path, corrections: Sequence[tuple[Sequence[float], int]] = ()
) -> IntentModel:
    """The cached model for this data and embedder, or a freshly trained one (then cached)."""
    key = data_key(embedder, corrections)
    if key in _FITTED:  # one fit per process, however many apps it builds (tests)
        return _FITTED[key]
    path = cache_dir / f"intent-{MODEL_TAG}-{key}.json"
    if path.exists():
        try:
            _FITTED[key] = IntentModel.from_json(path.read_text(encoding="utf-8"))
            return _FITTED[key]
        except (ValueError, KeyError) as exc:
            log.warning("intent model cache unreadable, retraining", extra={"error": type(exc).__name__})
    model = train(embedder, corrections=corrections)
    _FITTED[key] = model
    cache_dir.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    tmp.write_text(model.to_json(), encoding="utf-8")
    tmp.replace(path)
    log.info("intent model trained", extra={"key": key, "embedder": embedder.model_name})
    return model


_MARKUP = re.compile(r"<[@#!][^>]*>|<https?://[^>]*>|:[a-z0-9_+-]+:|https?://\S+|www\.\S+")
_LETTER = re.compile(r"[^\W\d_]", re.UNICODE)


def clean_text(text: str) -> str:
    """Mentions, links and emoji codes removed; whitespace collapsed."""
    return " ".join(_MARKUP.sub(" ", text).split())


def nothing_to_ask(text: str) -> bool:
    """The pre-filter: empty, emoji-only, links-only or mention-only text cannot be a request."""
    return len(_LETTER.findall(clean_text(text))) < 2


@dataclass
class LearnedDetector:
    """P(help) from the fitted model; the phrase detector answers until a model is loaded."""

    embedder: Embedder
    threshold: float = 0.5
    model: IntentModel | None = None
    fallback: HelpRequestDetector = field(default_factory=HelpRequestDetector)

    def __post_init__(self) -> None:
        self.fallback = HelpRequestDetector(self.threshold)

    def score(self, text: str) -> IntentResult:
        if nothing_to_ask(text):
            return IntentResult(False, 0.0, ("nothing to ask",))
        if self.model is None:
            return self.fallback.score(text)
        vector = self.embed(text)
        return self.score_vector(text, vector)

    def embed(self, text: str) -> np.ndarray:
        vector: np.ndarray = self.embedder.embed([clean_text(text)])[0]
        return vector.astype(np.float32)

    def score_vector(self, text: str, vector: np.ndarray) -> IntentResult:
        assert self.model is not None
        row = np.concatenate([vector, np.asarray(phrase_features(text), dtype=np.float32)])
        probability = float(self.model.probability(row[None, :])[0])
        return IntentResult(probability >= self.threshold, round(probability, 3), ("learned",), vector)

    def is_help_request(self, text: str) -> bool:
        return self.score(text).is_help_request
