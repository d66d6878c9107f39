"""Calibrates the relevance floor, hybrid (BM25) weights, hub centring and fit weights on the TUNING split.

``python -m benchmarks.calibrate_matching``: embeds the tuning questions once with the real model (acronyms
spelled out as the Suggester does), then sweeps the settings over the same candidates the Suggester sees
(hub-centred embedding hits plus BM25 hits) and prints the best (copy them into
``bot/matching/relevance.py`` / the rankers' weights). Resources: most "nothing fits" recall + hit@1 with at
most 5% false "nothing", then precision@3, then the smallest off-topic hub share. Colleagues: most hit@3.
Never run on the held-out split.
"""

from __future__ import annotations

import itertools
import sys

from benchmarks.eval_matching import PLATFORM, Answer, Harness, load_split, metrics, sample_app
from bot.matching.hybrid import similarities, with_lexical
from bot.matching.indexer import RESOURCE, TEACHER
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
            cases.append((context, target, asker, by_hub, lexical, (peers, peer_lexical)))

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
            for c, t, _, by_hub, lex, _ in cases
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

    best_peer: tuple[float, ...] | None = None
    for grade, subject, topic, interest, lexical in itertools.product(
        (0.0, 0.03), (0.0, 0.03), (0.05, 0.1), (0.0, 0.02), (0.1, 0.2, 0.3)
    ):
        weights = PeerWeights(grade=grade, subject=subject, topic=topic, interest=interest, lexical=lexical)
        answers = [
            Answer(
                [],
                [
                    harness.handle[m.teacher_id]
                    for m in rank_peers(th, teachers, c, t, a, PLATFORM, weights=weights, lexical_hits=pl)
                ],
            )
            for c, t, a, _, _, (th, pl) in cases
        ]
        score = metrics(items, answers)["colleague hit@3"]
        if best_peer is None or score > best_peer[0]:
            best_peer = (score, grade, subject, topic, interest, lexical)
            print(f"peers {weights}: hit@3={score:.3f}", flush=True)


def _short(m: dict[str, float]) -> str:
    keys = ("hit@1", "hit@3", "precision@3", "nothing recall", "false nothing", "top off-topic share")
    return " ".join(f"{k}={m[k]:.3f}" for k in keys)


if __name__ == "__main__":
    main()
