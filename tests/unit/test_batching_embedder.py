"""Concurrent questions share one model call: the micro-batching embedder returns each caller exactly the
vectors a call of its own would have, in fewer model calls, passes errors to every waiting caller, and
leaves bulk embedding (index builds) to the model directly."""

from __future__ import annotations

import threading
import time
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor

import numpy as np
import pytest

from bot.matching.embedder import BatchingEmbedder
from bot.matching.hashing_embedder import HashingEmbedder


class GatedEmbedder(HashingEmbedder):
    """The hashing fake, recording each model call; the first call waits for ``gate``."""

    def __init__(self) -> None:
        super().__init__()
        self.calls: list[int] = []
        self.gate = threading.Event()
        self.entered = threading.Event()  # the first call is inside the model
        self.fail = False

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        if not self.calls:
            self.entered.set()
            self.gate.wait(10)
        self.calls.append(len(texts))
        if self.fail:
            raise RuntimeError("model crashed")
        return super().embed(texts)


def wait_until(done, timeout: float = 10) -> None:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + timeout
    while not done():
        assert time.monotonic() < deadline
        time.sleep(0.005)


QUESTIONS = [f"question {n} about fractions and photosynthesis number {n}" for n in range(12)]


def test_questions_waiting_together_share_one_model_call() -> None:
    inner = GatedEmbedder()
    batching = BatchingEmbedder(inner)
    with ThreadPoolExecutor(len(QUESTIONS)) as pool:
        first = pool.submit(batching.embed, [QUESTIONS[0]])
        assert inner.entered.wait(10)  # the first question is being encoded
        rest = [pool.submit(batching.embed, [q]) for q in QUESTIONS[1:]]
        wait_until(lambda: batching._queue.qsize() == len(QUESTIONS) - 1)
        inner.gate.set()
        results = [first.result(10)] + [f.result(10) for f in rest]
    assert inner.calls == [1, len(QUESTIONS) - 1], "eleven waiting questions: one model call"
    expected = HashingEmbedder().embed(QUESTIONS)
    for question, got, want in zip(QUESTIONS, results, expected, strict=True):
        assert got.shape == (1, want.shape[0]), question
        np.testing.assert_allclose(got[0], want, rtol=1e-6)


def test_a_model_error_reaches_every_waiting_caller_and_the_batcher_lives_on() -> None:
    inner = GatedEmbedder()
    inner.gate.set()
    inner.fail = True
    batching = BatchingEmbedder(inner)
    with pytest.raises(RuntimeError, match="model crashed"):
        batching.embed(["a question about ratios"])
    inner.fail = False
    assert batching.embed(["a question about ratios"]).shape == (1, inner.dimension)


def test_bulk_embedding_goes_straight_to_the_model() -> None:
    inner = GatedEmbedder()
    inner.gate.set()
    batching = BatchingEmbedder(inner, small=4)
    assert batching.embed(QUESTIONS).shape == (len(QUESTIONS), inner.dimension)
    assert batching._worker is None, "no queue for an index build"
    assert batching.model_name == inner.model_name and batching.dimension == inner.dimension
