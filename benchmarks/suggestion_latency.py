"""Per-question suggestion latency: embed (real model) + resource search + peer search + rank + reply.

Two kinds of data set:

* ``sample``: the shipped catalog and community (index/*.jsonl) loaded the normal way, with
  ``bootstrap`` + ``prepare`` on a temporary SQLite data dir.
* synthetic ``N`` resources / ``N // 10`` teachers (e.g. ``100k``): rows from ``benchmarks.synthetic``
  bulk-inserted with SQLAlchemy core. Only a few thousand distinct texts are embedded with the real
  model; every other record gets the vector of an embedded record of the same subject/topic plus a
  little Gaussian noise (re-normalised). Vectors go into the embeddings table and the FAISS indexes are
  built by ``Indexer.rebuild`` — the same path a restart takes.

The measured path mirrors ``/ask`` minus its bookkeeping writes: ``embedder.embed([question])``, then
``Suggester.suggest(..., vector=...)`` (context, both FAISS searches, three small DB reads, both rankers),
then ``build_suggestion_reply``. Search time is taken from a timing wrapper around the indexer, so
"rank+db" = suggest time - search time.
"""

from __future__ import annotations

import dataclasses
import gc
import logging
import os
import statistics
import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from benchmarks import synthetic

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")

from bot.bootstrap import App, bootstrap, prepare
from bot.domain.teachers import Teacher
from bot.handlers.suggestion_reply import build_suggestion_reply
from bot.matching.embedder import Embedder, SentenceTransformerEmbedder, default_model_path
from bot.matching.indexer import KINDS, RESOURCE, TEACHER, Indexer
from bot.matching.suggester import Suggester
from bot.settings import load_settings
from bot.storage.models import EmbeddingRow, ResourceRow, TeacherRow
from bot.storage.repositories import ResourceRepository, TeacherRepository
from bot.storage.repositories.embeddings import text_hash

log = logging.getLogger(__name__)

PLATFORM = synthetic.PLATFORM
TARGET_P99_MS = 60.0
TARGET_NOTE = "target: p99 ≤ 60 ms at 100k resources / 10k teachers (≤ 100 ms at 1M)"
STAGES = ("total", "embed", "search", "rank_db", "reply")
PERCENTILES = (50, 95, 99)


@dataclass(frozen=True)
class BenchConfig:
    questions: int = 200
    warmup: int = 20
    seed: int = 0
    distinct_resources: int = 2000
    distinct_teachers: int = 700
    noise: float = 0.02  # per-dimension std of the perturbation before re-normalising (cos ≈ 0.93)
    insert_chunk: int = 5000
    anonymous_every: int = 4  # every n-th question is asked without a profile
    recall_queries: int = 300  # embedded questions for recall@10 against exact search
    filter_queries: int = 100  # questions for the top-3 agreement with an exhaustive oracle


@dataclass
class SizeResult:
    name: str
    resources: int  # rows in the database
    teachers: int
    indexed: dict[str, int]  # vectors in each FAISS index (teachers: onboarded only)
    questions: int
    warmup: int
    setup_s: dict[str, float]
    latency_ms: dict[str, dict[str, float]]
    hits: dict[str, float] = field(default_factory=dict)
    load_avg_1m: dict[str, float] = field(default_factory=dict)  # the host is shared: note how busy it was
    engine: dict[str, Any] = field(default_factory=dict)  # index layouts, build memory, recall, start-up
    # Per question asked (warm-up included): the (id, score, reason) of each resource and colleague shown,
    # to check a speed-up left the ranking identical (``--rankings``); not part of ``to_json``.
    rankings: list[dict[str, Any]] = field(default_factory=list, repr=False)

    @property
    def p99(self) -> float:
        return self.latency_ms["total"]["p99"]

    def to_json(self) -> dict[str, Any]:
        out = dataclasses.asdict(self)
        del out["rankings"]
        return out


def parse_size(size: str) -> tuple[int, int] | None:
    """``"sample"`` -> None; ``"100k"`` / ``"100000"`` -> (resources, teachers = resources // 10)."""
    text = size.strip().lower()
    if text == "sample":
        return None
    multiplier = 1
    if text.endswith("k"):
        text, multiplier = text[:-1], 1000
    elif text.endswith("m"):
        text, multiplier = text[:-1], 1_000_000
    try:
        resources = int(float(text) * multiplier)
    except ValueError:
        raise ValueError(f"size must be 'sample' or a count like '100k', got {size!r}") from None
    if resources <= 0:
        raise ValueError(f"size must be positive, got {size!r}")
    return resources, max(1, resources // 10)


def load_embedder() -> SentenceTransformerEmbedder:
    embedder = SentenceTransformerEmbedder(default_model_path())
    embedder.load()
    return embedder


class TimedIndexer:
    """Delegates to an ``Indexer`` and adds up the time spent in ``search`` (FAISS and the BM25 twin)."""

    def __init__(self, indexer: Indexer) -> None:
        self._indexer = indexer
        self.embedder = indexer.embedder
        self.means = indexer.means
        self.lexical = self  # the lexical search is timed as search too
        self.search_ns = 0
        self.index = indexer.index

    def search(self, kind: str, vector: np.ndarray | str, k: int) -> list[tuple[int, float]]:
        start = time.perf_counter_ns()
        try:
            if isinstance(vector, str):
                return self._indexer.lexical.search(kind, vector, k)
            return self._indexer.search(kind, vector, k)
        finally:
            self.search_ns += time.perf_counter_ns() - start


@contextmanager
def _timer(store: dict[str, float], key: str) -> Iterator[None]:
    start = time.perf_counter()
    yield
    store[key] = round(time.perf_counter() - start, 3)


@contextmanager
def _temp_app(embedder: Embedder, sample_data: bool) -> Iterator[App]:
    with tempfile.TemporaryDirectory(prefix="kindred-bench-") as tmp:
        data_dir = Path(tmp)
        settings = load_settings(
            KINDRED_DATA_DIR=data_dir,
            KINDRED_DATABASE_URL=f"sqlite:///{data_dir / 'kindred.db'}",
            KINDRED_SAMPLE_DATA=sample_data,
        )
        app = bootstrap(settings, embedder=embedder)
        try:
            yield app
        finally:
            app.close()


def bench_sample(embedder: Embedder, config: BenchConfig) -> SizeResult:
    """The shipped sample data, loaded and embedded exactly as ``kindred run`` does."""
    setup: dict[str, float] = {}
    with _temp_app(embedder, sample_data=True) as app:
        with _timer(setup, "prepare_s"):
            prepare(app, ["console"])
        return _measure(app, "sample", config, setup)


def bench_synthetic(
    embedder: Embedder,
    n_resources: int,
    n_teachers: int,
    config: BenchConfig,
    name: str | None = None,
    progress: Callable[[str], None] | None = None,
    engine_checks: bool = True,
) -> SizeResult:
    """Synthetic catalog and community, bulk-loaded with derived vectors.

    With ``engine_checks``: also the rebuild's memory, recall@10 of each index against exact search (and
    an nprobe sweep for IVF), top-3 agreement with an exhaustive oracle per candidate pool, and a cold
    start of a fresh process on the same data dir.
    """
    from benchmarks import engine

    say = progress or (lambda _msg: None)
    setup: dict[str, float] = {}
    checks: dict[str, Any] = {}
    with _temp_app(embedder, sample_data=False) as app:
        say(f"generating {n_resources:,} resources and {n_teachers:,} teachers")
        with _timer(setup, "generate_s"):
            resource_records = synthetic.resources(n_resources, config.seed)
            teacher_records = synthetic.teachers(n_teachers, config.seed)
        say("bulk-inserting rows")
        with _timer(setup, "insert_rows_s"):
            _bulk_insert_rows(app, resource_records, teacher_records, config.insert_chunk)
        say(
            f"embedding {min(config.distinct_resources, n_resources):,} + "
            f"{min(config.distinct_teachers, n_teachers):,} distinct texts with the real model"
        )
        with _timer(setup, "embed_distinct_s"):
            resource_texts = [synthetic.resource_text(r.fields) for r in resource_records]
            teacher_texts = [synthetic.teacher_text(t.fields) for t in teacher_records]
            resource_groups = [r.group for r in resource_records]
            teacher_groups = [t.group for t in teacher_records]
            resource_vectors = derive_vectors(
                embedder, resource_texts, resource_groups, config.distinct_resources, config
            )
            teacher_vectors = derive_vectors(
                embedder, teacher_texts, teacher_groups, config.distinct_teachers, config
            )
        say("storing vectors")
        with _timer(setup, "insert_vectors_s"):
            model = embedder.model_name
            _bulk_insert_vectors(app, RESOURCE, model, resource_texts, resource_vectors, config.insert_chunk)
            # Like production: only onboarded teachers are embedded (the index holds only them).
            onboarded_rows = {i for i, t in enumerate(teacher_records, start=1) if t.fields["onboarded"]}
            _bulk_insert_vectors(
                app, TEACHER, model, teacher_texts, teacher_vectors, config.insert_chunk, only=onboarded_rows
            )
        onboarded = np.array([bool(t.fields["onboarded"]) for t in teacher_records])
        del resource_records, teacher_records, resource_texts, teacher_texts
        gc.collect()
        say("building FAISS indexes (Indexer.rebuild)")
        build: dict[str, Any] = {}
        for kind in (RESOURCE, TEACHER):
            with engine.RssSampler() as rss, _timer(setup, f"rebuild_{kind}_s"):
                index = app.indexer.rebuild(kind)
            build[kind] = {"layout": index.layout.label, "vectors": len(index), "rss_mb": rss.to_json()}
        setup["rebuild_indexes_s"] = round(setup[f"rebuild_{RESOURCE}_s"] + setup[f"rebuild_{TEACHER}_s"], 3)
        for kind in KINDS:  # any other index (empty here) gets its file too, as a real start would leave it
            if kind not in build:
                app.indexer.rebuild(kind)
        app.ready = True
        gc.collect()
        say("measuring")
        result = _measure(app, name or f"{n_resources:,} resources", config, setup)
        if engine_checks:
            data = {
                RESOURCE: (np.arange(1, n_resources + 1, dtype=np.int64), resource_vectors),
                TEACHER: (np.flatnonzero(onboarded).astype(np.int64) + 1, teacher_vectors[onboarded]),
            }
            checks = _engine_checks(app, data, config, build, say)
            result.engine = checks
        return result


def _engine_checks(
    app: App,
    data: dict[str, tuple[np.ndarray, np.ndarray]],
    config: BenchConfig,
    build: dict[str, Any],
    say: Callable[[str], None],
) -> dict[str, Any]:
    from benchmarks import engine

    embedder = app.indexer.embedder
    questions = synthetic.questions(config.recall_queries, config.seed + 7)
    queries = embedder.embed(questions)
    out: dict[str, Any] = {"build": build, "recall_queries": len(questions)}
    say("recall@10 against exact search")
    for kind, (ids, vectors) in data.items():
        index = app.indexer.index(kind)
        pool = config_pool(app, kind)
        out[kind] = {
            "layout": index.layout.label,
            "recall_at_10": round(engine.recall_at_k(index, ids, vectors, queries, 10), 4),
            "search_ms": engine.search_ms(index, queries[:100], pool),
            "nprobe_sweep": engine.nprobe_sweep(index, ids, vectors, queries, 10, pool),
        }
    say("top-3 agreement with an exhaustive oracle, per candidate pool")
    askers = _askers(app)
    n = config.filter_queries
    asker_list = [
        None if i % config.anonymous_every == 0 or not askers else askers[i % len(askers)] for i in range(n)
    ]
    out["filter_agreement"] = engine.filter_agreement(
        app.kindred.deps.suggester,
        data,
        list(zip(questions[:n], queries[:n], strict=True)),
        asker_list,
        PLATFORM,
    )
    say("cold start of a fresh process on this data dir")
    out["startup"] = engine.start_to_ready(app.settings.data_dir)
    return out


def config_pool(app: App, kind: str) -> int:
    """How many hits the Suggester asks of this index per question."""
    suggester = app.kindred.deps.suggester
    return suggester.candidate_pool if kind == RESOURCE else suggester.peer_candidate_pool


_DISTINCT_CACHE: dict[str, np.ndarray] = {}


def derive_vectors(
    embedder: Embedder, texts: Sequence[str], groups: Sequence[str], distinct: int, config: BenchConfig
) -> np.ndarray:
    """Embed the first ``distinct`` texts; derive the rest from an embedded text of the same group."""
    n = len(texts)
    distinct = min(distinct, n)
    vectors = np.empty((n, embedder.dimension), dtype=np.float32)
    todo = [t for t in dict.fromkeys(texts[:distinct]) if t not in _DISTINCT_CACHE]
    if todo:  # records are prefix-stable across sizes: embed each distinct text once per run
        _DISTINCT_CACHE.update(zip(todo, embedder.embed(todo), strict=True))
    vectors[:distinct] = np.stack([_DISTINCT_CACHE[t] for t in texts[:distinct]]) if distinct else vectors[:0]
    if distinct == n:
        return vectors
    rng = np.random.default_rng(config.seed)
    by_group: dict[str, list[int]] = {}
    for i, group in enumerate(groups[:distinct]):
        by_group.setdefault(group, []).append(i)
    prototypes = np.empty(n - distinct, dtype=np.int64)
    for j, group in enumerate(groups[distinct:]):
        pool = by_group.get(group)
        prototypes[j] = pool[int(rng.integers(len(pool)))] if pool else int(rng.integers(distinct))
    noisy = vectors[prototypes] + rng.normal(0.0, config.noise, (n - distinct, vectors.shape[1])).astype(
        np.float32
    )
    noisy /= np.linalg.norm(noisy, axis=1, keepdims=True)
    vectors[distinct:] = noisy
    return vectors


def _chunks(rows: Sequence[dict[str, Any]], size: int) -> Iterator[Sequence[dict[str, Any]]]:
    for start in range(0, len(rows), size):
        yield rows[start : start + size]


def _bulk_insert_rows(
    app: App, resources: Sequence[synthetic.Record], teachers: Sequence[synthetic.Record], chunk: int
) -> None:
    """Core executemany inserts with explicit ids 1..n (so vectors can be keyed without a read-back)."""
    teacher_rows = [{"id": i, **t.fields} for i, t in enumerate(teachers, start=1)]
    resource_rows = [{"id": i, **r.fields} for i, r in enumerate(resources, start=1)]
    with app.db.engine.begin() as conn:
        for part in _chunks(teacher_rows, chunk):
            conn.execute(TeacherRow.__table__.insert(), part)
        for part in _chunks(resource_rows, chunk):
            conn.execute(ResourceRow.__table__.insert(), part)


def _bulk_insert_vectors(
    app: App,
    kind: str,
    model: str,
    texts: Sequence[str],
    vectors: np.ndarray,
    chunk: int,
    only: set[int] | None = None,
) -> None:
    dim = int(vectors.shape[1])
    rows = [
        {
            "kind": kind,
            "item_id": i,
            "model": model,
            "dim": dim,
            "text_hash": text_hash(text),
            "vector": vectors[i - 1].tobytes(),
        }
        for i, text in enumerate(texts, start=1)
        if only is None or i in only
    ]
    with app.db.engine.begin() as conn:
        for part in _chunks(rows, chunk):
            conn.execute(EmbeddingRow.__table__.insert(), part)


def _askers(app: App, limit: int = 64) -> list[Teacher]:
    with app.db.session() as session:
        teachers = [t for t in TeacherRepository(session).all()[: limit * 2] if t.onboarded]
    return teachers[:limit]


def _measure(app: App, name: str, config: BenchConfig, setup: dict[str, float]) -> SizeResult:
    deps = app.kindred.deps
    timed = TimedIndexer(app.indexer)
    suggester: Suggester = dataclasses.replace(deps.suggester, indexer=timed)  # type: ignore[arg-type]
    embedder = app.indexer.embedder
    askers = _askers(app)
    asked = synthetic.questions(config.warmup + config.questions, config.seed)
    samples: dict[str, list[float]] = {stage: [] for stage in STAGES}
    resource_hits: list[int] = []
    peer_hits: list[int] = []
    rankings: list[dict[str, Any]] = []
    # Steady state: a big catalog's BM25 index is otherwise built in a background thread on the first search,
    # and /ask latencies taken while it builds measure the build (its time is reported in the setup line).
    started = time.perf_counter()
    app.indexer.lexical.warm()
    setup["build_lexical_s"] = round(time.perf_counter() - started, 3)
    started = time.perf_counter()
    suggester.warm_interests()  # colleagues' interests embedded once, as after the first questions
    setup["embed_interests_s"] = round(time.perf_counter() - started, 3)
    load_before = os.getloadavg()[0]

    for n, question in enumerate(asked):
        anonymous = not askers or n % config.anonymous_every == 0
        asker = None if anonymous else askers[n % len(askers)]
        timed.search_ns = 0
        t0 = time.perf_counter_ns()
        vector = embedder.embed([question])[0]
        t1 = time.perf_counter_ns()
        suggestions = suggester.suggest(question, asker, PLATFORM, None, vector=vector)
        t2 = time.perf_counter_ns()
        reply = build_suggestion_reply(n + 1, suggestions, "Here's what colleagues have found useful:")
        t3 = time.perf_counter_ns()
        rankings.append(
            {
                "question": question,
                "asker": asker.id if asker else None,
                "resources": [[m.resource_id, m.score, m.reason] for m, _ in suggestions.resources],
                "peers": [[m.teacher_id, m.score, m.reason] for m, _ in suggestions.peers],
            }
        )
        if n < config.warmup:
            continue
        samples["total"].append((t3 - t0) / 1e6)
        samples["embed"].append((t1 - t0) / 1e6)
        samples["search"].append(timed.search_ns / 1e6)
        samples["rank_db"].append((t2 - t1 - timed.search_ns) / 1e6)
        samples["reply"].append((t3 - t2) / 1e6)
        resource_hits.append(len(reply.resources))
        peer_hits.append(len(reply.peers))

    with app.db.session() as session:
        n_resources = ResourceRepository(session).count()
        n_teachers = TeacherRepository(session).count()
    return SizeResult(
        name=name,
        resources=n_resources,
        teachers=n_teachers,
        indexed={kind: len(app.indexer.index(kind)) for kind in (RESOURCE, TEACHER)},
        questions=len(samples["total"]),
        warmup=config.warmup,
        setup_s=setup,
        latency_ms={stage: summarize(values) for stage, values in samples.items()},
        hits={
            "resources_per_reply": round(statistics.fmean(resource_hits), 2) if resource_hits else 0.0,
            "peers_per_reply": round(statistics.fmean(peer_hits), 2) if peer_hits else 0.0,
        },
        load_avg_1m={"before": round(load_before, 2), "after": round(os.getloadavg()[0], 2)},
        rankings=rankings,
    )


def summarize(values: Sequence[float]) -> dict[str, float]:
    if not values:
        return {"mean": 0.0, "max": 0.0, **{f"p{p}": 0.0 for p in PERCENTILES}}
    array = np.asarray(values, dtype=np.float64)
    out = {f"p{p}": round(float(np.percentile(array, p)), 3) for p in PERCENTILES}
    out["mean"] = round(float(array.mean()), 3)
    out["max"] = round(float(array.max()), 3)
    return out
