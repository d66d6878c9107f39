"""Matching quality on labelled teacher questions: Kindred's engine against plain cosine on the same model.

``benchmarks/data/matching_*.jsonl``: each line a question, its asker (a sample teacher's ``platform_user_id``
or null), the catalog resources that would genuinely help (1-based line numbers of
``index/sample_resources.jsonl``; empty = the library cannot answer) and the colleagues who would.

Splits (``SPLITS``): "tuning" is the files in ``TUNING_FILES``: the original tuning questions plus
``heldout2`` and ``heldout3``, two blind splits whose results were looked at once each (2026-12-02) and which
were then handed over to tuning rather than kept as a pretend held-out. "heldout" (82 questions) and
"heldout4" (written blind on 2026-12-03 from the catalog and profiles only, without running the engine on
it) are never tuned on. Runs on the real bundled model over the shipped sample. ``matching_before.json`` and
``matching_after.json`` hold ``make eval --out`` numbers on the same splits before and after the last round of
engine changes (2026-12-04: from the session's first commit to its last).
"""

from __future__ import annotations

import json
import os
import tempfile
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")

from rich.console import Console
from rich.table import Table

from bot.bootstrap import App, bootstrap, prepare
from bot.domain.teachers import Teacher
from bot.matching.embedder import SentenceTransformerEmbedder, default_model_path
from bot.matching.indexer import RESOURCE, TEACHER
from bot.matching.peer_ranker import eligible
from bot.settings import load_settings
from bot.storage.repositories import ResourceRepository, TeacherRepository

ROOT = Path(__file__).resolve().parent.parent
DATA = Path(__file__).resolve().parent / "data"
TUNING_FILES = ("tuning", "heldout2", "heldout3")  # the only files ever tuned on
HELD_OUT = ("heldout", "heldout4")  # never tuned on
SPLITS = ("tuning", *HELD_OUT)
FILES = (*TUNING_FILES, *HELD_OUT)
PLATFORM = "console"
LIMIT = 3


@dataclass(frozen=True)
class Labelled:
    id: str
    question: str
    asker: str | None
    resources: frozenset[int]
    colleagues: frozenset[str]


@dataclass(frozen=True)
class Answer:
    resources: list[int]  # catalog line numbers, best first
    colleagues: list[str]  # platform_user_ids, best first


Engine = Callable[[str, Teacher | None], Answer]


def load_split(split: str) -> list[Labelled]:
    """A split's questions: "tuning" is every file in ``TUNING_FILES``, any other split its own file."""
    if split == "tuning":
        return [q for name in TUNING_FILES for q in load_file(name)]
    return load_file(split)


def load_file(name: str) -> list[Labelled]:
    rows = [json.loads(line) for line in (DATA / f"matching_{name}.jsonl").read_text().splitlines() if line]
    return [
        Labelled(r["id"], r["question"], r["asker"], frozenset(r["resources"]), frozenset(r["colleagues"]))
        for r in rows
    ]


def metrics(items: Sequence[Labelled], answers: Sequence[Answer]) -> dict[str, float]:
    """hit@1/hit@3/precision@3/MRR on answerable questions, colleague hit@3, hubs, "nothing fits" P/R."""
    answerable = [(q, a) for q, a in zip(items, answers, strict=True) if q.resources]
    unanswerable = [(q, a) for q, a in zip(items, answers, strict=True) if not q.resources]
    hit1 = hit3 = prec3 = mrr = 0.0
    for q, a in answerable:
        top = a.resources[:LIMIT]
        hit1 += bool(top[:1]) and top[0] in q.resources
        hit3 += any(r in q.resources for r in top)
        prec3 += sum(r in q.resources for r in top) / LIMIT
        mrr += next((1 / (i + 1) for i, r in enumerate(top) if r in q.resources), 0.0)
    with_peers = [(q, a) for q, a in zip(items, answers, strict=True) if q.colleagues]
    peer_hit3 = sum(any(c in q.colleagues for c in a.colleagues[:LIMIT]) for q, a in with_peers)
    peers_shown = sum(len(a.colleagues[:LIMIT]) for _, a in with_peers)
    peers_right = sum(len(set(a.colleagues[:LIMIT]) & q.colleagues) for q, a in with_peers)
    peer_off_topic = Counter(
        c for q, a in zip(items, answers, strict=True) for c in set(a.colleagues[:LIMIT]) - q.colleagues
    )
    shown = Counter(r for a in answers for r in set(a.resources[:LIMIT]))
    off_topic = Counter(
        r for q, a in zip(items, answers, strict=True) for r in set(a.resources[:LIMIT]) - q.resources
    )
    said_nothing = [not a.resources for a in answers]
    truly_nothing = [not q.resources for q in items]
    true_pos = sum(s and t for s, t in zip(said_nothing, truly_nothing, strict=True))
    n = len(answerable) or 1
    return {
        "questions": len(items),
        "hit@1": hit1 / n,
        "hit@3": hit3 / n,
        "precision@3": prec3 / n,
        "MRR": mrr / n,
        "colleague hit@3": peer_hit3 / (len(with_peers) or 1),
        "colleague precision": peers_right / (peers_shown or 1),  # of those shown, labelled as helping
        "colleagues per answer": sum(len(a.colleagues[:LIMIT]) for a in answers) / (len(answers) or 1),
        # the share of answers in which the most frequent colleague appears without being labelled
        "colleague off-topic share": max(peer_off_topic.values(), default=0) / (len(answers) or 1),
        "top item share": max(shown.values(), default=0) / len(answers),
        "top off-topic share": max(off_topic.values(), default=0) / len(answers),
        "nothing precision": true_pos / (sum(said_nothing) or 1),
        "nothing recall": true_pos / (len(unanswerable) or 1),
        "false nothing": sum(not a.resources for _, a in answerable) / n,
    }


class Harness:
    """The shipped sample loaded as ``kindred run`` does, with ids mapped back to the catalog's."""

    def __init__(self, app: App) -> None:
        self.app = app
        urls = [json.loads(line).get("url") for line in (ROOT / "index/sample_resources.jsonl").open()]
        by_url = {url: n for n, url in enumerate(urls, 1)}
        with app.db.session() as session:
            self.catalog = {r.id: by_url[r.url] for r in ResourceRepository(session).all() if r.url in by_url}
            self.teachers = {
                t.platform_user_id: t for t in TeacherRepository(session).all() if t.platform == PLATFORM
            }
        self.handle = {t.id: t.platform_user_id for t in self.teachers.values()}

    def asker(self, handle: str | None) -> Teacher | None:
        return self.teachers[handle] if handle else None

    def kindred(self, question: str, asker: Teacher | None) -> Answer:
        found = self.app.kindred.deps.suggester.suggest(question, asker, PLATFORM)
        return Answer(
            [self.catalog[m.resource_id] for m, _ in found.resources],
            [self.handle[m.teacher_id] for m, _ in found.peers],
        )

    def cosine(self, question: str, asker: Teacher | None) -> Answer:
        indexer = self.app.indexer
        vector = indexer.embedder.embed([question])[0]
        resources = [self.catalog[i] for i, _ in indexer.search(RESOURCE, vector, LIMIT)]
        peers = [
            self.handle[i]
            for i, _ in indexer.search(TEACHER, vector, 50)
            if i in self.handle and eligible(self.teachers[self.handle[i]], asker, PLATFORM, None)
        ]
        return Answer(resources, peers[:LIMIT])


@contextmanager
def sample_app(prefix: str) -> Iterator[App]:
    """Kindred on the shipped sample community and the real bundled model, in a throwaway data dir."""
    with tempfile.TemporaryDirectory(prefix=prefix) as tmp:
        settings = load_settings(
            KINDRED_DATA_DIR=Path(tmp),
            KINDRED_DATABASE_URL=f"sqlite:///{Path(tmp) / 'kindred.db'}",
            KINDRED_SAMPLE_DATA=True,
        )
        app = prepare(
            bootstrap(settings, embedder=SentenceTransformerEmbedder(default_model_path())), [PLATFORM]
        )
        try:
            yield app
        finally:
            app.close()


def run(console: Console, app: App | None = None, splits: Sequence[str] = SPLITS) -> dict[str, Any]:
    """Evaluate both engines on each split (all by default) and print one table per split."""
    if app is None:
        with sample_app("kindred-eval-") as own:
            return run(console, own, splits)
    results: dict[str, Any] = {}
    harness = Harness(app)
    engines: dict[str, Engine] = {"Kindred": harness.kindred, "plain cosine": harness.cosine}
    for split in splits:
        items = load_split(split)
        scores = {
            name: metrics(items, [engine(q.question, harness.asker(q.asker)) for q in items])
            for name, engine in engines.items()
        }
        results[split] = scores
        table = Table(title=f"Matching quality: {split} split ({len(items)} questions)")
        table.add_column("metric")
        for name in engines:
            table.add_column(name, justify="right")
        for metric in next(iter(scores.values())):
            table.add_row(metric, *(_fmt(scores[name][metric]) for name in engines))
        console.print(table)
    return results


def _fmt(value: float) -> str:
    return str(value) if isinstance(value, int) else f"{value:.3f}"
