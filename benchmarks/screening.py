"""Channel-message screening throughput for messages that are not help requests.

Every message in a channel Kindred can see goes through the help-request detector; chatter must be cheap.
Measured three ways: the phrase detector alone; the learned detector alone as deployed (the real embedder
plus the logistic model); and the whole core path with the learned detector (``Kindred.handle_message`` →
the message listener → embed + score → no reply): non-help messages/s and p99 ms per message — the
"≥ 500 msgs/s" row. Messages the learned detector would answer are left out of the core path (counted).
Messages: the labeled non-requests from tests/data/intent_labeled.jsonl
plus generated chatter, cycled for a fixed time.
"""

from __future__ import annotations

import itertools
import json
import random
import tempfile
import time
from pathlib import Path
from typing import Any

from bot.bootstrap import bootstrap, build_embedder
from bot.domain.events import Actor, ChannelMessage
from bot.matching.intent import HelpRequestDetector
from bot.matching.intent_model import LearnedDetector, load_or_train
from bot.settings import load_settings

LABELED_INTENT = Path(__file__).resolve().parents[1] / "tests" / "data" / "intent_labeled.jsonl"
_OPENERS = (
    "Reminder:",
    "FYI",
    "Thanks",
    "lol",
    "Congrats to",
    "Heads up,",
    "Happy Friday!",
    "Shout out to",
    "",
)
_BODIES = (
    "staff meeting moved to 3:15 in the library",
    "the copier on the second floor is jammed again",
    "our 4th graders crushed the fractions test today",
    "we tried the new science kit with 5th grade and it was great",
    "picture day is next Tuesday, send the forms home",
    "Ms. Lopez for organizing the book fair",
    "parking lot B is closed tomorrow for paving",
    "sharing my water cycle slides in the drive if anyone wants them",
    "who else is counting down to spring break",
    "the wifi in room 204 keeps dropping during my 2nd period",
)


def messages(seed: int = 0, generated: int = 400) -> list[str]:
    labeled = [json.loads(line) for line in LABELED_INTENT.read_text().splitlines() if line.strip()]
    chatter = [row["text"] for row in labeled if not row["help"]]
    rng = random.Random(f"kindred-bench:{seed}:chatter")
    chatter += [f"{rng.choice(_OPENERS)} {rng.choice(_BODIES)}".strip() for _ in range(generated)]
    return chatter


def learned_detector() -> LearnedDetector:
    """The learned detector on the configured real embedder, its model loaded (trained once, cached)."""
    settings = load_settings()
    embedder = build_embedder(settings)
    detector = LearnedDetector(embedder, settings.intent_threshold)
    detector.model = load_or_train(embedder, settings.data_dir / "intent")
    return detector


def bench_learned(
    texts: list[str], seconds: float = 2.0, detector: LearnedDetector | None = None
) -> dict[str, Any]:
    """The learned detector alone, one message at a time (as messages arrive)."""
    detector = detector or learned_detector()
    for text in texts[:20]:
        detector.score(text)
    latencies: list[float] = []
    flagged = 0
    start = time.perf_counter()
    for text in itertools.cycle(texts):
        began = time.perf_counter()
        flagged += detector.score(text).is_help_request and len(latencies) < len(texts)
        latencies.append(time.perf_counter() - began)
        if len(latencies) >= 50 and time.perf_counter() - start >= seconds:
            break
    latencies.sort()
    return {
        "learned_per_s": round(len(latencies) / (time.perf_counter() - start), 1),
        "learned_p99_ms": round(1000 * latencies[int(0.99 * (len(latencies) - 1))], 2),
        "learned_flagged": flagged,  # among the messages scored in the first pass over the list
        "learned_scored": len(latencies),
    }


def bench_core_path(texts: list[str], detector: LearnedDetector, seconds: float = 2.0) -> dict[str, Any]:
    """``Kindred.handle_message`` on non-help messages with the learned detector: msgs/s and p99 ms each."""
    chatter = [t for t in texts if not detector.score(t).is_help_request]
    with tempfile.TemporaryDirectory(prefix="kindred-screen-") as tmp:
        settings = load_settings(
            KINDRED_DATA_DIR=Path(tmp),
            KINDRED_DATABASE_URL=f"sqlite:///{Path(tmp) / 'kindred.db'}",
            KINDRED_SAMPLE_DATA=False,
        )
        app = bootstrap(settings, embedder=detector.embedder)
        app.kindred.deps.detector = detector
        actor = Actor("console", "bench.user", display_name="Bench User")
        try:
            rate, p99 = _rate_and_p99(
                lambda text: app.kindred.handle_message(ChannelMessage(actor, "C-bench", text)),
                chatter,
                seconds,
            )
        finally:
            app.close()
    return {
        "core_path_per_s": rate,
        "core_path_p99_ms": p99,
        "core_path_messages": len(chatter),
        "core_path_left_out": len(texts) - len(chatter),  # the learned detector would answer these
    }


def bench_screening(seconds: float = 2.0, seed: int = 0, learned: bool = True) -> dict[str, Any]:
    texts = messages(seed)
    phrases = HelpRequestDetector()
    flagged = sum(phrases.is_help_request(t) for t in texts)
    detector_rate = _rate(lambda text: phrases.score(text), texts, seconds)
    result: dict[str, Any] = {
        "messages": len(texts),
        "flagged_as_help": flagged,
        "detector_per_s": detector_rate,
    }
    if learned:
        detector = learned_detector()
        result.update(bench_learned(texts, seconds, detector))
        result.update(bench_core_path(texts, detector, seconds))
    return result


def _rate_and_p99(call, texts: list[str], seconds: float) -> tuple[float, float]:  # type: ignore[no-untyped-def]
    """Messages/s over at least ``seconds`` (and 50 messages), and the p99 of one call in ms."""
    for text in texts[:20]:
        call(text)
    latencies: list[float] = []
    start = time.perf_counter()
    for text in itertools.cycle(texts):
        began = time.perf_counter()
        call(text)
        latencies.append(time.perf_counter() - began)
        if len(latencies) >= 50 and time.perf_counter() - start >= seconds:
            break
    rate = round(len(latencies) / (time.perf_counter() - start), 1)
    latencies.sort()
    return rate, round(1000 * latencies[int(0.99 * (len(latencies) - 1))], 2)


def _rate(call, texts: list[str], seconds: float) -> float:  # type: ignore[no-untyped-def]
    for text in texts[:50]:
        call(text)
    done = 0
    start = time.perf_counter()
    for text in itertools.cycle(texts):
        call(text)
        done += 1
        if done % 100 == 0 and time.perf_counter() - start >= seconds:
            break
    return round(done / (time.perf_counter() - start), 1)


if __name__ == "__main__":
    print(json.dumps(bench_screening(seconds=2.0), indent=2))
