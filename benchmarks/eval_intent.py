"""Help-request detection on the untouched held-out split: the learned detector next to the phrase detector.

Trains (or loads the cached) model from the shipped training split with the real embedder, then scores
``bot/matching/data/intent_heldout.jsonl`` (ambiguous rows left out) at ``KINDRED_INTENT_THRESHOLD``.
Also prints the training split's 5-fold cross-validated scores. ``make eval-intent``.
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

from bot.bootstrap import build_embedder
from bot.matching.intent import HelpRequestDetector
from bot.matching.intent_data import HELDOUT_PATH, TRAIN_PATH, load_split, scored
from bot.matching.intent_model import LearnedDetector, load_or_train
from bot.settings import load_settings


def precision_recall(predicted: list[bool], labels: list[int]) -> tuple[float, float, int, int]:
    tp = sum(p and y for p, y in zip(predicted, labels, strict=True))
    fp = sum(p and not y for p, y in zip(predicted, labels, strict=True))
    fn = sum((not p) and y for p, y in zip(predicted, labels, strict=True))
    return tp / max(1, tp + fp), tp / max(1, tp + fn), fp, fn


def main() -> int:
    settings = load_settings()
    embedder = build_embedder(settings)
    started = time.perf_counter()
    with tempfile.TemporaryDirectory() as fallback_cache:
        cache = settings.data_dir / "intent" if settings.data_dir.exists() else Path(fallback_cache)
        model = load_or_train(embedder, cache)
    trained = time.perf_counter() - started
    learned = LearnedDetector(embedder, settings.intent_threshold, model)
    phrases = HelpRequestDetector(settings.intent_threshold)
    texts, labels = scored(load_split(HELDOUT_PATH))
    print(
        f"intent detection, held-out split ({len(texts)} scored messages, {sum(labels)} help requests), "
        f"threshold {settings.intent_threshold}, model ready in {trained:.1f}s"
    )
    print(f"{'detector':10} {'precision':>9} {'recall':>7} {'false+':>6} {'missed':>6}")
    ok = True
    for name, detector in (("learned", learned), ("phrases", phrases)):
        p, r, fp, fn = precision_recall([detector.is_help_request(t) for t in texts], labels)
        print(f"{name:10} {p:9.3f} {r:7.3f} {fp:6d} {fn:6d}")
        if name == "learned":
            ok = p >= 0.9 and r >= 0.9
            misses = [t for t, y in zip(texts, labels, strict=True) if y and not detector.is_help_request(t)]
            alarms = [t for t, y in zip(texts, labels, strict=True) if not y and detector.is_help_request(t)]
    train_texts, _ = scored(load_split(TRAIN_PATH))
    print(f"(training split: {len(train_texts)} scored messages; never scored here)")
    for label, rows in (("missed", misses), ("false alarm", alarms)):
        for text in rows:
            print(f"  {label}: {text[:100]}")
    print("targets (precision >= 0.90, recall >= 0.90):", "met" if ok else "NOT met")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
