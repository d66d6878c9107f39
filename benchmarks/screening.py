"""Channel-message screening throughput for messages that are not help requests.

Every message in a channel Kindred can see goes through ``HelpRequestDetector``; chatter must be cheap.
Measured three ways: the phrase detector alone; the whole core path (``Kindred.handle_message`` → the
message listener → the detector → no reply, on the fake embedder); and the learned detector as deployed
(the real embedder plus the logistic model): non-help messages/s and p99 ms added per message.
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
from bot.matching.hashing_embedder import HashingEmbedder
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


def bench_learned(texts: list[str], seconds: float = 2.0) -> dict[str, Any]:
    """The learned detector on the configured real embedder, one message at a time (as messages arrive)."""
    settings = load_settings()
    embedder = build_embedder(settings)
    detector = LearnedDetector(embedder, settings.intent_threshold)
    detector.model = load_or_train(embedder, settings.data_dir / "intent")
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


def bench_screening(seconds: float = 2.0, seed: int = 0, learned: bool = True) -> dict[str, Any]:
    texts = messages(seed)
    detector = HelpRequestDetector()
    flagged = sum(detector.is_help_request(t) for t in texts)
    detector_rate = _rate(lambda text: detector.score(text), texts, seconds)
    with tempfile.TemporaryDirectory(prefix="kindred-screen-") as tmp:
        settings = load_settings(
            KINDRED_DATA_DIR=Path(tmp),
            KINDRED_DATABASE_URL=f"sqlite:///{Path(tmp) / 'kindred.db'}",
            KINDRED_SAMPLE_DATA=False,
        )
        app = bootstrap(settings, embedder=HashingEmbedder())
        actor = Actor("console", "bench.user", display_name="Bench User")
        try:
            core_rate = _rate(
                lambda text: app.kindred.handle_message(ChannelMessage(actor, "C-bench", text)),
                texts,
                seconds,
            )
        finally:
            app.close()
    return {
        "messages": len(texts),
        "flagged_as_help": flagged,
        "detector_per_s": detector_rate,
        "core_path_per_s": core_rate,
        **(bench_learned(texts, seconds) if learned else {}),
    }


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
