"""One cold start on an existing data dir: ``python -m benchmarks.startup DATA_DIR``.

Prints ``READY {json}`` once the app is ready (model loaded, indexes loaded from their files or rebuilt),
with the time of each step, how long each index file took to load, and the resident memory of the whole
process at that point. ``benchmarks.engine.start_to_ready`` runs it and adds the wall time from spawn.
"""

from __future__ import annotations

import time

STARTED = time.perf_counter()

import json  # noqa: E402
import os  # noqa: E402
import sys  # noqa: E402
from pathlib import Path  # noqa: E402

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")


def main(data_dir: Path) -> None:
    from benchmarks.engine import rss_mb
    from bot.bootstrap import bootstrap
    from bot.matching.vector_index import VectorIndex
    from bot.settings import load_settings

    imported = time.perf_counter()
    loads: dict[str, float] = {}
    original = VectorIndex.load.__func__  # type: ignore[attr-defined]

    def timed_load(cls, folder, name):  # type: ignore[no-untyped-def]
        start = time.perf_counter()
        try:
            return original(cls, folder, name)
        finally:
            loads[name] = round(time.perf_counter() - start, 3)

    VectorIndex.load = classmethod(timed_load)  # type: ignore[method-assign,assignment]
    settings = load_settings(
        KINDRED_DATA_DIR=data_dir,
        KINDRED_DATABASE_URL=f"sqlite:///{data_dir / 'kindred.db'}",
        KINDRED_SAMPLE_DATA=False,
    )
    app = bootstrap(settings)
    booted = time.perf_counter()
    rebuilt: list[str] = []
    rebuild = app.indexer.rebuild

    def counting_rebuild(kind):  # type: ignore[no-untyped-def]
        rebuilt.append(kind)
        return rebuild(kind)

    app.indexer.rebuild = counting_rebuild  # type: ignore[method-assign]
    app.embedder.load()  # type: ignore[attr-defined]
    model = time.perf_counter()
    sizes = app.indexer.prepare()
    ready = time.perf_counter()
    layouts = {kind: app.indexer.index(kind).layout.label for kind in sizes}
    report = {
        "imports_s": round(imported - STARTED, 2),
        "bootstrap_s": round(booted - imported, 2),
        "model_load_s": round(model - booted, 2),
        "prepare_s": round(ready - model, 2),
        "index_file_load_s": loads,
        "in_process_ready_s": round(ready - STARTED, 2),
        "rss_mb_at_ready": round(rss_mb()),
        "sizes": sizes,
        "layouts": layouts,
        "rebuilt": rebuilt,
    }
    print("READY " + json.dumps(report), flush=True)
    app.close()


if __name__ == "__main__":
    main(Path(sys.argv[1]))
