"""Lists the TUNING split's resource failures with the relevance parts of the labelled and the shown items.

``python -m benchmarks.diagnose_matching`` (``--all`` for every question): for each hit@1 miss, "nothing
fits" miss and false "nothing", the question, the items labelled as helping and the items Kindred showed,
each with (relevance, cosine, BM25) as ``relevance`` computes them, and the catalog's top items by relevance.
It reads the tuning split only: never point it at the held-out split.
"""

from __future__ import annotations

import json
import sys

from benchmarks.eval_matching import ROOT, Harness, load_split, sample_app
from bot.matching.hybrid import similarities
from bot.matching.indexer import RESOURCE
from bot.matching.relevance import matched_phrases, saturated
from bot.matching.synonyms import expand_query, question_context

SPLIT = "tuning"


def main(show_all: bool = False) -> None:
    catalog = [json.loads(line) for line in (ROOT / "index/sample_resources.jsonl").open()]
    with sample_app("kindred-diagnose-") as app:
        harness = Harness(app)
        by_line = {line: item_id for item_id, line in harness.catalog.items()}
        floor = app.kindred.deps.suggester.relevance
        model = app.indexer.embedder.model_name
        for q in load_split(SPLIT):
            answer = harness.kindred(q.question, harness.asker(q.asker))
            hit = bool(answer.resources) and answer.resources[0] in q.resources
            if not show_all and (hit if q.resources else not answer.resources):
                continue
            query = expand_query(q.question)
            vector = app.indexer.embedder.embed([query])[0]
            bm25 = dict(app.indexer.lexical.search(RESOURCE, query, 20))
            terms = question_context(q.question).terms
            cosine = dict(similarities(app.db, RESOURCE, model, vector, list(by_line.values())))

            parts: dict[int, tuple[float, float, float]] = {}
            for line, item in by_line.items():
                tags = min(len(matched_phrases(catalog[line - 1]["tags"], terms)), 2)
                lexical = bm25.get(item, 0.0)
                relevance = cosine[item] + floor.lexical * tags
                relevance += floor.bm25 * saturated(lexical, floor.bm25_half)
                parts[line] = (round(relevance, 3), round(cosine[item], 3), round(lexical, 2))

            def show(lines: list[int], parts: dict[int, tuple[float, float, float]] = parts) -> str:
                return "; ".join(f"{n} {catalog[n - 1]['title'][:40]!r} {parts[n]}" for n in lines)

            print(f"\n{q.id} {q.question} (asker {q.asker})")
            print("  labelled:", show(sorted(q.resources)) or "nothing fits")
            print("  shown:   ", show(answer.resources) or "nothing")
            print("  top:     ", show(sorted(parts, key=lambda n: -parts[n][0])[:4]))


if __name__ == "__main__":
    main("--all" in sys.argv)
