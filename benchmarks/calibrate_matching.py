"""Calibrates the relevance floor and the fit weights on the TUNING split only.

``python -m benchmarks.calibrate_matching``: embeds the tuning questions once with the real model, then
sweeps the floor, margin, lexical bonus and fit weights over the same candidates the Suggester sees, and
prints the best settings (copy them into ``bot/matching/relevance.py`` / the rankers' weights). Resources:
most "nothing fits" recall + hit@1 with at most 5% false "nothing". Colleagues: most hit@3.
"""

from __future__ import annotations

import itertools
import tempfile
from pathlib import Path

from benchmarks.eval_matching import PLATFORM, Answer, Harness, load_split, metrics
from bot.bootstrap import bootstrap, prepare
from bot.matching.context import extract_context
from bot.matching.embedder import SentenceTransformerEmbedder, default_model_path
from bot.matching.indexer import RESOURCE, TEACHER
from bot.matching.peer_ranker import PeerWeights, rank_peers
from bot.matching.relevance import RelevanceFloor
from bot.matching.resource_ranker import ResourceWeights, rank_resources, target_for
from bot.settings import load_settings
from bot.storage.repositories import ResourceRepository, TeacherRepository


def main() -> None:
    with tempfile.TemporaryDirectory(prefix="kindred-calibrate-") as tmp:
        settings = load_settings(
            KINDRED_DATA_DIR=Path(tmp),
            KINDRED_DATABASE_URL=f"sqlite:///{Path(tmp) / 'kindred.db'}",
            KINDRED_SAMPLE_DATA=True,
        )
        app = prepare(
            bootstrap(settings, embedder=SentenceTransformerEmbedder(default_model_path())), [PLATFORM]
        )
        harness = Harness(app)
        items = load_split("tuning")
        vectors = app.indexer.embedder.embed([q.question for q in items])
        with app.db.session() as session:
            resources = {r.id: r for r in ResourceRepository(session).all()}
            teachers = {t.id: t for t in TeacherRepository(session).all()}
        cases = []
        for q, v in zip(items, vectors, strict=True):
            asker = harness.asker(q.asker)
            context = extract_context(q.question)
            target = target_for(context, asker.grades if asker else (), asker.subjects if asker else ())
            cases.append(
                (
                    context,
                    target,
                    asker,
                    app.indexer.search(RESOURCE, v, 50),
                    app.indexer.search(TEACHER, v, 60),
                )
            )
        app.close()

    def resource_answers(floor: RelevanceFloor, weights: ResourceWeights) -> list[Answer]:
        return [
            Answer(
                [
                    harness.catalog[m.resource_id]
                    for m in rank_resources(rh, resources, c, t, 3, (), weights, floor)
                ],
                [],
            )
            for c, t, _, rh, _ in cases
        ]

    best: tuple[float, ...] | None = None
    for fl, margin, lexical, scale in itertools.product(
        [x / 100 for x in range(26, 46)],
        (0.1, 0.2, 1.0),
        (0.0, 0.03, 0.05, 0.08, 0.1),
        (0.0, 0.5, 1.0),
    ):
        floor = RelevanceFloor(fl, margin, lexical)
        weights = ResourceWeights(grade=0.04 * scale, subject=0.03 * scale)
        m = metrics(items, resource_answers(floor, weights))
        if m["false nothing"] > 0.05:
            continue
        key = (m["nothing recall"] + m["hit@1"], m["precision@3"], m["MRR"])
        if best is None or key > best[:3]:
            best = (*key, fl, margin, lexical, scale)
            print(f"floor={fl} margin={margin} lexical={lexical} fit_scale={scale}:", _short(m))

    best_peer: tuple[float, ...] | None = None
    for grade, subject, topic, interest in itertools.product(
        (0.0, 0.03, 0.06, 0.15), (0.0, 0.03, 0.06, 0.15), (0.0, 0.05, 0.1, 0.15, 0.2), (0.0, 0.02, 0.05)
    ):
        if topic < grade + subject:  # a grade/subject-only match must not outrank a named topic
            continue
        weights = PeerWeights(grade=grade, subject=subject, topic=topic, interest=interest)
        answers = [
            Answer(
                [],
                [
                    harness.handle[m.teacher_id]
                    for m in rank_peers(th, teachers, c, t, a, PLATFORM, weights=weights)
                ],
            )
            for c, t, a, _, th in cases
        ]
        score = metrics(items, answers)["colleague hit@3"]
        if best_peer is None or score > best_peer[0]:
            best_peer = (score, grade, subject, topic, interest)
            print(
                f"peers grade={grade} subject={subject} topic={topic} interest={interest}: hit@3={score:.3f}"
            )


def _short(m: dict[str, float]) -> str:
    keys = ("hit@1", "hit@3", "precision@3", "nothing recall", "false nothing")
    return " ".join(f"{k}={m[k]:.3f}" for k in keys)


if __name__ == "__main__":
    main()
