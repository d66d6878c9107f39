"""Matching-engine measurements on one synthetic data set: memory, search quality against exact search,
whether re-ranking with grade/subject fit still finds what an exhaustive search would, and start-to-ready.

* ``RssSampler``: resident memory before, during (peak, sampled) and after a step, from /proc.
* ``recall_at_k``: share of the exact top-k (float32 brute force) that the index returns.
* ``nprobe_sweep``: recall and search time of an IVF index at several ``nprobe`` values (the tuning data).
* ``filter_agreement``: the Suggester over-fetches ``candidate_pool`` hits and re-ranks them with grade and
  subject fit; compare its top 3 with an oracle Suggester whose searches are exact and fetch
  ``ORACLE_POOL`` candidates (beyond those an item cannot climb into the top 3: its bonuses are bounded).
* ``start_to_ready``: a fresh ``python -m benchmarks.startup`` process on the benchmark's data dir.
"""

from __future__ import annotations

import dataclasses
import json
import os
import subprocess
import sys
import threading
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from bot.domain.teachers import Teacher
from bot.matching.resource_ranker import ResourceWeights
from bot.matching.suggester import Suggester
from bot.matching.vector_index import VectorIndex

ORACLE_POOL = 3000
PAGE = os.sysconf("SC_PAGE_SIZE") if hasattr(os, "sysconf") else 4096


def rss_mb() -> float:
    """Resident set size of this process in MiB (Linux /proc; 0 elsewhere)."""
    try:
        with open("/proc/self/statm") as statm:
            return int(statm.read().split()[1]) * PAGE / 2**20
    except OSError:
        return 0.0


class RssSampler:
    """``with RssSampler() as s: ...`` then ``s.before``, ``s.peak``, ``s.after`` (MiB)."""

    def __init__(self, every_s: float = 0.02) -> None:
        self.every_s = every_s
        self.before = self.peak = self.after = 0.0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self) -> RssSampler:
        self.before = self.peak = rss_mb()
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()
        self.after = rss_mb()
        self.peak = max(self.peak, self.after)

    def _run(self) -> None:
        while not self._stop.wait(self.every_s):
            self.peak = max(self.peak, rss_mb())

    def to_json(self) -> dict[str, float]:
        return {"before": round(self.before), "peak": round(self.peak), "after": round(self.after)}


def exact_top_k(vectors: np.ndarray, queries: np.ndarray, k: int, chunk: int = 131_072) -> np.ndarray:
    """Row positions of the exact top ``k`` inner products for each query (float32 brute force)."""
    best_scores = np.full((len(queries), 0), -np.inf, dtype=np.float32)
    best_rows = np.empty((len(queries), 0), dtype=np.int64)
    for start in range(0, len(vectors), chunk):
        scores = queries @ vectors[start : start + chunk].T
        kk = min(k, scores.shape[1])
        part = np.argpartition(-scores, kk - 1, axis=1)[:, :kk]
        best_scores = np.hstack([best_scores, np.take_along_axis(scores, part, axis=1)])
        best_rows = np.hstack([best_rows, part + start])
        keep = np.argsort(-best_scores, axis=1)[:, :k]
        best_scores = np.take_along_axis(best_scores, keep, axis=1)
        best_rows = np.take_along_axis(best_rows, keep, axis=1)
    return best_rows


def recall_at_k(
    index: VectorIndex, ids: np.ndarray, vectors: np.ndarray, queries: np.ndarray, k: int = 10
) -> float:
    """Mean |index top-k ∩ exact top-k| / k over ``queries``; ``ids[i]`` is the id of ``vectors[i]``."""
    truth = ids[exact_top_k(vectors, queries, k)]
    _, found = index.search_batch(queries, k)
    return float(
        np.mean([len(set(t) & set(f)) / k for t, f in zip(truth.tolist(), found.tolist(), strict=True)])
    )


def search_ms(index: VectorIndex, queries: np.ndarray, k: int) -> dict[str, float]:
    times = []
    for q in queries:
        start = time.perf_counter()
        index.search(q, k)
        times.append((time.perf_counter() - start) * 1000)
    return {
        "p50": round(float(np.percentile(times, 50)), 3),
        "p99": round(float(np.percentile(times, 99)), 3),
    }


def nprobe_sweep(
    index: VectorIndex, ids: np.ndarray, vectors: np.ndarray, queries: np.ndarray, k: int, pool: int
) -> list[dict[str, float]]:
    """Recall@k and one-query search time (``pool`` hits, as the Suggester asks) per nprobe; restores it."""
    if index.layout.kind != "ivf":
        return []
    chosen = index.layout.nprobe
    rows = []
    try:
        for nprobe in sorted({1, 4, 8, 16, 32, 64, 128, chosen}):
            if nprobe > index.layout.nlist:
                continue
            index.set_nprobe(nprobe)
            rows.append(
                {
                    "nprobe": nprobe,
                    "recall_at_10": round(recall_at_k(index, ids, vectors, queries, k), 4),
                    "search_ms": search_ms(index, queries[:100], pool),
                    "chosen": nprobe == chosen,
                }
            )
    finally:
        index.set_nprobe(chosen)
    return rows


class ExactVectors:
    """``VectorIndex.vectors`` over the oracle's exact data."""

    def __init__(self, ids: np.ndarray, vectors: np.ndarray) -> None:
        self._row = {int(item_id): row for row, item_id in enumerate(ids.tolist())}
        self._vectors = vectors

    def vectors(self, ids: Sequence[int]) -> tuple[np.ndarray, np.ndarray]:
        found = sorted(i for i in set(ids) if i in self._row)
        rows = [self._row[i] for i in found]
        return np.asarray(found, dtype=np.int64), self._vectors[rows].reshape(len(rows), -1)


class ExactIndexer:
    """Indexer stand-in for the oracle: exact float32 search, at least ``ORACLE_POOL`` hits."""

    def __init__(
        self, embedder: Any, data: dict[str, tuple[np.ndarray, np.ndarray]], like: Any = None
    ) -> None:
        self.embedder = embedder
        self._data = data
        self.lexical = getattr(like, "lexical", None)  # the live BM25 twin and catalog means, unchanged
        self.means = getattr(like, "means", None)
        self._exact: dict[str, ExactVectors] = {}

    def index(self, kind: str) -> ExactVectors:
        """The exact float32 vectors (the suggester reads lexical-only candidates' vectors from it)."""
        if kind not in self._exact:
            empty = (np.empty(0, np.int64), np.empty((0, 0), np.float32))
            self._exact[kind] = ExactVectors(*self._data.get(kind, empty))
        return self._exact[kind]

    def search(self, kind: str, vector: np.ndarray, k: int) -> list[tuple[int, float]]:
        if kind not in self._data:  # answered questions: none in the synthetic data
            return []
        ids, vectors = self._data[kind]
        scores = vectors @ np.asarray(vector, dtype=np.float32)
        k = min(max(k, ORACLE_POOL), len(ids))
        top = np.argpartition(-scores, k - 1)[:k]
        top = top[np.argsort(-scores[top])]
        return [(int(ids[i]), float(scores[i])) for i in top]


def filter_agreement(
    suggester: Suggester,
    data: dict[str, tuple[np.ndarray, np.ndarray]],
    questions: Sequence[tuple[str, np.ndarray]],
    askers: Sequence[Teacher | None],
    platform: str,
    pools: Sequence[int] = (50, 100, 200, 400),
) -> dict[str, Any]:
    """Share of questions whose top-3 resources / peers match the oracle's, per first-fetch pool size:
    ``fixed`` never fetches more than the pool (the old behaviour), ``widening`` is the Suggester as
    configured (fetches more until fit provably cannot change the picks)."""
    exact = ExactIndexer(suggester.indexer.embedder, data, like=suggester.indexer)
    oracle = dataclasses.replace(suggester, indexer=exact)  # type: ignore[arg-type]
    expected = []
    certified = 0
    max_boost = ResourceWeights().grade + ResourceWeights().subject
    for (question, vector), asker in zip(questions, askers, strict=True):
        result = oracle.suggest(question, asker, platform, None, vector=vector)
        expected.append(
            ([m.resource_id for m, _ in result.resources], [m.teacher_id for m, _ in result.peers])
        )
        # Certify: the oracle's last candidate + the biggest fit bonus cannot beat its 3rd pick.
        hits = oracle.indexer.search("resource", vector, ORACLE_POOL)
        third = result.resources[-1][0].score if result.resources else -1.0
        certified += bool(hits) and hits[-1][1] + max_boost < third
    out: dict[str, Any] = {"questions": len(questions), "oracle_pool": ORACLE_POOL}
    out["oracle_certified"] = round(certified / max(1, len(questions)), 3)
    for mode in ("fixed", "widening"):
        for pool in pools if mode == "fixed" else pools[:1]:
            live = dataclasses.replace(
                suggester,
                candidate_pool=pool,
                peer_candidate_pool=pool * 2 if mode == "fixed" else suggester.peer_candidate_pool,
                max_candidate_pool=pool if mode == "fixed" else suggester.max_candidate_pool,
            )
            same_resources = same_peers = 0
            times = []
            for (question, vector), asker, (resources, peers) in zip(
                questions, askers, expected, strict=True
            ):
                start = time.perf_counter()
                result = live.suggest(question, asker, platform, None, vector=vector)
                times.append((time.perf_counter() - start) * 1000)
                same_resources += [m.resource_id for m, _ in result.resources] == resources
                same_peers += [m.teacher_id for m, _ in result.peers] == peers
            out.setdefault(mode, {})[str(pool)] = {
                "resources_top3_same": round(same_resources / len(questions), 3),
                "peers_top3_same": round(same_peers / len(questions), 3),
                "suggest_ms_p50": round(float(np.percentile(times, 50)), 2),
                "suggest_ms_p99": round(float(np.percentile(times, 99)), 2),
            }
    return out


def start_to_ready(data_dir: Path, timeout_s: float = 600) -> dict[str, Any]:
    """Start ``python -m benchmarks.startup`` on ``data_dir``; wall time from spawn to its READY line."""
    started = time.perf_counter()
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join(filter(None, [str(Path.cwd()), os.environ.get("PYTHONPATH")])),
    }
    process = subprocess.Popen(
        [sys.executable, "-m", "benchmarks.startup", str(data_dir)],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        env=env,
    )
    report: dict[str, Any] = {}
    try:
        assert process.stdout is not None
        for line in process.stdout:
            if line.startswith("READY "):
                report = json.loads(line.removeprefix("READY "))
                report["start_to_ready_s"] = round(time.perf_counter() - started, 2)
                break
        process.wait(timeout=timeout_s)
    finally:
        if process.poll() is None:
            process.kill()
    return report
