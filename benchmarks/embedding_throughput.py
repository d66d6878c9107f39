"""Bulk-import embedding throughput against the raw model's, and the optional ONNX int8 backend.

* raw: ``embedder.embed(texts)`` in one call — sentence-transformers sorts by length and batches by 64;
  nothing else happens, so this is the ceiling for the same texts in the same run.
* indexer: ``Indexer.embed_missing`` on a fresh database holding the same texts as resources (it reads the
  rows, hashes texts, embeds in batches and stores every vector).
Rounds alternate raw/indexer so both see the same host load (the host is shared); medians are reported.

ONNX (when onnxruntime and onnx are installed): export the bundled model locally, int8-quantize it, and
measure its speed on the same texts and its quality against the torch model: cosine between the two
vectors of each text, top-10 retrieval overlap, topic precision@10 (synthetic questions against resources
with a known subject/topic), and 5-NN leave-one-out accuracy on tests/data/intent_labeled.jsonl.
"""

from __future__ import annotations

import json
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

import numpy as np

from benchmarks import synthetic
from bot.matching.embedder import Embedder, default_model_path
from bot.matching.indexer import RESOURCE

LABELED = Path(__file__).resolve().parents[1] / "tests" / "data" / "intent_labeled.jsonl"


def _texts(n: int, seed: int) -> tuple[list[str], list[str]]:
    records = synthetic.resources(n, seed + 1)  # other texts than the latency benchmark's
    return [synthetic.resource_text(r.fields) for r in records], [r.group for r in records]


def _rate(n: int, seconds: float) -> float:
    return round(n / seconds, 1) if seconds > 0 else 0.0


def bench_embedding(embedder: Embedder, n: int = 1000, rounds: int = 3, seed: int = 0) -> dict[str, Any]:
    """Texts/s of the raw model and of ``Indexer.embed_missing``, alternating; the target uses the best
    round of each (least disturbed by other work on a shared host), medians and CPU-time rates are kept."""
    from benchmarks.suggestion_latency import _bulk_insert_rows, _temp_app

    texts, _ = _texts(n, seed)
    records = synthetic.resources(n, seed + 1)
    embedder.embed(texts[:64])  # warm-up
    raw, indexed, raw_cpu, indexed_cpu = [], [], [], []
    for _ in range(rounds):
        wall, cpu = time.perf_counter(), time.process_time()
        embedder.embed(texts)
        raw.append(_rate(n, time.perf_counter() - wall))
        raw_cpu.append(_rate(n, time.process_time() - cpu))
        with _temp_app(embedder, sample_data=False) as app:
            _bulk_insert_rows(app, records, [], 5000)
            wall, cpu = time.perf_counter(), time.process_time()
            done = app.indexer.embed_missing(RESOURCE)
            indexed.append(_rate(done, time.perf_counter() - wall))
            indexed_cpu.append(_rate(done, time.process_time() - cpu))
    return {
        "texts": n,
        "rounds": rounds,
        "raw_model_per_s": raw,
        "embed_missing_per_s": indexed,
        "raw_best_per_s": max(raw),
        "embed_missing_best_per_s": max(indexed),
        "ratio": round(max(indexed) / max(raw), 3),
        "ratio_of_medians": round(statistics.median(indexed) / statistics.median(raw), 3),
        "ratio_cpu_time": round(statistics.median(indexed_cpu) / statistics.median(raw_cpu), 3),
    }


def bench_onnx(embedder: Embedder, n: int = 1000, rounds: int = 2, seed: int = 0) -> dict[str, Any]:
    """Export + int8 ONNX speed and quality against ``embedder`` (the torch model); or why not."""
    try:
        import onnx  # noqa: F401
        import onnxruntime  # noqa: F401
    except ImportError as exc:
        return {"available": False, "reason": f"{exc.name} is not installed (pip install -e '.[onnx]')"}
    from bot.matching.onnx_embedder import OnnxEmbedder, export_onnx

    texts, groups = _texts(n, seed)
    questions = synthetic.questions(200, seed + 1)
    question_groups = [_question_group(q) for q in questions]
    labeled = [json.loads(line) for line in LABELED.read_text().splitlines() if line.strip()]
    with tempfile.TemporaryDirectory(prefix="kindred-onnx-") as tmp:
        start = time.perf_counter()
        folder = export_onnx(default_model_path(), Path(tmp))
        export_s = time.perf_counter() - start
        size_mb = sum(p.stat().st_size for p in folder.iterdir() if p.name.endswith("int8.onnx")) / 2**20
        onnx_embedder = OnnxEmbedder(folder)
        onnx_embedder.embed(texts[:64])
        torch_rates, onnx_rates = [], []
        for _ in range(rounds):
            start = time.perf_counter()
            base = embedder.embed(texts)
            torch_rates.append(_rate(n, time.perf_counter() - start))
            start = time.perf_counter()
            fast = onnx_embedder.embed(texts)
            onnx_rates.append(_rate(n, time.perf_counter() - start))
        start = time.perf_counter()
        for q in questions[:100]:
            onnx_embedder.embed([q])
        onnx_query_ms = (time.perf_counter() - start) * 10
        start = time.perf_counter()
        for q in questions[:100]:
            embedder.embed([q])
        torch_query_ms = (time.perf_counter() - start) * 10
        q_base, q_fast = embedder.embed(questions), onnx_embedder.embed(questions)
        l_texts = [row["text"] for row in labeled]
        l_base, l_fast = embedder.embed(l_texts), onnx_embedder.embed(l_texts)
        model_name = onnx_embedder.model_name
    cos = np.sum(base * fast, axis=1)
    top_base = np.argsort(-(q_base @ base.T), axis=1)[:, :10]
    top_fast = np.argsort(-(q_fast @ fast.T), axis=1)[:, :10]
    overlap = np.mean(
        [len(set(a) & set(b)) / 10 for a, b in zip(top_base.tolist(), top_fast.tolist(), strict=True)]
    )
    labels = np.array([bool(row["help"]) for row in labeled])
    return {
        "available": True,
        "model": model_name,
        "export_s": round(export_s, 1),
        "model_file_mb": round(size_mb, 1),
        "torch_per_s": torch_rates,
        "onnx_int8_per_s": onnx_rates,
        "speedup": round(statistics.median(onnx_rates) / statistics.median(torch_rates), 2),
        "query_ms": {"torch": round(torch_query_ms, 2), "onnx_int8": round(onnx_query_ms, 2)},
        "cosine_to_torch": {"mean": round(float(cos.mean()), 4), "min": round(float(cos.min()), 4)},
        "retrieval_top10_overlap": round(float(overlap), 4),
        "topic_precision_at_10": {
            "torch": _topic_precision(top_base, groups, question_groups),
            "onnx_int8": _topic_precision(top_fast, groups, question_groups),
        },
        "intent_5nn_accuracy": {
            "torch": _knn_accuracy(l_base, labels),
            "onnx_int8": _knn_accuracy(l_fast, labels),
        },
    }


def _question_group(question: str) -> str | None:
    """The subject/topic a synthetic question is about (its topic phrase appears in it), if any."""
    for subject, topics in synthetic.TOPICS.items():
        for topic, *_ in topics:
            if topic in question:
                return f"{subject}/{topic}"
    return None


def _topic_precision(top: np.ndarray, groups: list[str], question_groups: list[str | None]) -> float:
    scores = [
        np.mean([groups[i] == wanted for i in row])
        for row, wanted in zip(top.tolist(), question_groups, strict=True)
        if wanted
    ]
    return round(float(np.mean(scores)), 4)


def _knn_accuracy(vectors: np.ndarray, labels: np.ndarray, k: int = 5) -> float:
    sims = vectors @ vectors.T
    np.fill_diagonal(sims, -np.inf)
    neighbours = np.argsort(-sims, axis=1)[:, :k]
    predicted = labels[neighbours].mean(axis=1) > 0.5
    return round(float(np.mean(predicted == labels)), 4)
