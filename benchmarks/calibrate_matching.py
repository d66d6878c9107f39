"""Calibrates the relevance floor, hybrid (BM25) weights, hub centring and fit weights on the TUNING split.

``python -m benchmarks.calibrate_matching``: embeds the tuning questions once with the real model (acronyms
spelled out as the Suggester does), then sweeps the settings over the same candidates the Suggester sees
(hub-centred embedding hits plus BM25 hits) and prints the best (copy them into
``bot/matching/relevance.py`` / the rankers' weights). Resources: most "nothing fits" recall + hit@1 with at
most 5% false "nothing", then precision@3, then the smallest off-topic hub share. Colleagues: most hit@3
with no colleague in more than 10% of the answers they are not labelled for, then precision
(``--peers-only`` / ``--resources-only`` for one of the two). Never run on the held-out split.
"""

from __future__ import annotations

import itertools
import sys
from functools import partial
from typing import Any

from benchmarks.eval_matching import PLATFORM, Answer, Harness, Labelled, load_split, metrics, sample_app
from bot.domain.teachers import Teacher
from bot.matching.hubness import CorpusMeans
from bot.matching.hybrid import similarities, with_lexical
from bot.matching.indexer import RESOURCE, TEACHER
from bot.matching.interest_vectors import InterestVectors
from bot.matching.peer_ranker import PeerWeights, rank_peers
from bot.matching.relevance import RelevanceFloor
from bot.matching.resource_ranker import ResourceWeights, rank_resources, target_for
from bot.matching.synonyms import expand_query, question_context
from bot.storage.repositories import ResourceRepository, TeacherRepository

HUBS = (0.0, 0.1)  # 0.2 to 1.0 swept before: no gain
POOL = 50
LEXICAL_POOL = 20


def main() -> None:
    with sample_app("kindred-calibrate-") as app:
        harness = Harness(app)
        items = load_split("tuning")
        queries = [expand_query(q.question) for q in items]
        vectors = app.indexer.embedder.embed(queries)
        model = app.indexer.embedder.model_name
        with app.db.session() as session:
            resources = {r.id: r for r in ResourceRepository(session).all()}
            teachers = {t.id: t for t in TeacherRepository(session).all()}
        cases = []
        for q, query, v in zip(items, queries, vectors, strict=True):
            asker = harness.asker(q.asker)
            context = question_context(q.question)
            target = target_for(context, asker.grades if asker else (), asker.subjects if asker else ())
            lexical = app.indexer.lexical.search(RESOURCE, query, LEXICAL_POOL)
            by_hub = {}
            for hub in HUBS:
                centred = app.indexer.means.centred(RESOURCE, v, hub)
                extra = similarities(app.db, RESOURCE, model, centred, [i for i, _ in lexical])
                by_hub[hub] = with_lexical(app.indexer.search(RESOURCE, centred, POOL), extra)
            peer_lexical = app.indexer.lexical.search(TEACHER, query, 2 * LEXICAL_POOL)
            peers = with_lexical(
                app.indexer.search(TEACHER, v, 60),
                similarities(app.db, TEACHER, model, v, [i for i, _ in peer_lexical]),
            )
            cases.append((context, target, asker, by_hub, lexical, (peers, peer_lexical), v))
        app_vectors = (app.indexer.means, InterestVectors(app.indexer.embedder))
        app_vectors[0].mean(TEACHER)  # computed while the app is open
        app_vectors[1].vectors(p for t in teachers.values() for p in t.interests)

    def resource_answers(floor: RelevanceFloor, weights: ResourceWeights) -> list[Answer]:
        return [
            Answer(
                [
                    harness.catalog[m.resource_id]
                    for m in rank_resources(
                        by_hub[floor.hub], resources, c, t, 3, (), weights, floor, lexical_hits=lex
                    )
                ],
                [],
            )
            for c, t, _, by_hub, lex, _, _ in cases
        ]

    if "--peers-only" not in sys.argv:
        best: tuple[float, ...] | None = None
        best_floor = None
        grid = list(
            itertools.product(
                HUBS,
                (0.04,),  # tag bonus (0, 0.04, 0.08 swept before: 0.04 best)
                (0.15, 0.2, 0.25),  # bm25 weight (0 to 0.1, 0.3 swept before: lower)
                (2.0,),  # bm25 half (5 swept before: lower)
                (0.0, 0.1),  # fusion (0.2 to 0.6 swept before: lower)
                (2.0, 3.0, 4.0),  # fit scale (0.5, 1 swept before: lower)
                (20,),  # rrf k (60 swept before: no gain)
            )
        )
        for n, (hub, tags, bm25, half, fusion, scale, rrf_k) in enumerate(grid):
            if fusion == 0 and rrf_k != 20:
                continue
            print(f"{n}/{len(grid)}", end="\r", flush=True)
            weights = ResourceWeights(grade=0.04 * scale, subject=0.03 * scale)
            for fl in [x / 100 for x in range(40, 62)]:
                floor = RelevanceFloor(fl, 1.0, tags, bm25, half, hub, fusion, rrf_k)
                m = metrics(items, resource_answers(floor, weights))
                if m["false nothing"] > 0.05:
                    break  # a higher floor only says "nothing" more often
                key = (
                    round(m["nothing recall"] + m["hit@1"], 4),
                    round(m["precision@3"], 4),
                    -m["top off-topic share"],
                )
                if best is None or key > best:
                    best, best_floor = key, (floor, scale)
                    print(_short(m), floor, f"fit_scale={scale}", flush=True)
        print("BEST", best_floor)

    if "--resources-only" not in sys.argv:
        calibrate_peers(app_vectors, items, harness, teachers, cases)


def calibrate_peers(
    app_vectors: tuple[CorpusMeans, InterestVectors],
    items: list[Labelled],
    harness: Harness,
    teachers: dict[int, Teacher],
    cases: list[Any],
) -> None:
    """Colleagues: the most hit@3 with no colleague in more than 10% of the answers they are not labelled
    for (the issue's hub target), then the best precision; every colleague shown has a reason by design."""
    means, interests = app_vectors
    vectors = [c[-1] for c in cases]
    best: tuple[float, ...] | None = None
    grid = itertools.product(
        (0.0, 0.4, 0.6, 0.8, 1.0),  # hub centring of the question against the mean profile
        (0.12, 0.15, 0.18, 0.21),  # semantic floor
        (0.05, 0.08, 0.12, 1.0),  # margin below the best related interest
        (6, 10, 15),  # the best-scored colleagues a related interest may bring in
        (0.05, 0.1),  # topic weight
        (0.1, 0.2),  # BM25 weight
    )
    centred: dict[float, list[Any]] = {}
    for hub, floor, margin, pool, topic, lexical in grid:
        if hub not in centred:
            centred[hub] = [means.centred(TEACHER, v, hub) for v in vectors]
        weights = PeerWeights(
            topic=topic,
            lexical=lexical,
            semantic_floor=floor,
            semantic_margin=margin,
            semantic_pool=pool,
            hub=hub,
        )
        answers = [
            Answer(
                [],
                [
                    harness.handle[m.teacher_id]
                    for m in rank_peers(
                        th,
                        teachers,
                        c,
                        t,
                        a,
                        PLATFORM,
                        weights=weights,
                        lexical_hits=pl,
                        closest_interests=partial(interests.closest, query),
                    )
                ],
            )
            for (c, t, a, _, _, (th, pl), _), query in zip(cases, centred[hub], strict=True)
        ]
        m = metrics(items, answers)
        key = (
            m["colleague off-topic share"] <= 0.10,
            round(m["colleague hit@3"], 4),
            round(m["colleague precision"], 4),
        )
        if best is None or key > best:
            best = key
            print(f"peers {weights}: {_peers_short(m)}", flush=True)


def _peers_short(m: dict[str, float]) -> str:
    keys = ("colleague hit@3", "colleague precision", "colleagues per answer", "colleague off-topic share")
    return " ".join(f"{k}={m[k]:.3f}" for k in keys)


def _short(m: dict[str, float]) -> str:
    keys = ("hit@1", "hit@3", "precision@3", "nothing recall", "false nothing", "top off-topic share")
    return " ".join(f"{k}={m[k]:.3f}" for k in keys)


if __name__ == "__main__":
    main()
