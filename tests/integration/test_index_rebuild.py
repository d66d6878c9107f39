"""A rebuild builds beside the live index: searches go on, and edits made meanwhile survive the swap."""

import threading

import numpy as np

from bot.bootstrap import bootstrap, prepare
from bot.matching import indexer as indexer_module
from bot.matching.hashing_embedder import HashingEmbedder
from bot.matching.index_layout import FLAT
from bot.matching.indexer import RESOURCE
from bot.matching.vector_index import VectorIndex
from bot.storage.repositories import ResourceRepository


def test_rebuild_swaps_without_blocking_searches_and_keeps_concurrent_edits(settings, monkeypatch):
    app = prepare(bootstrap(settings, embedder=HashingEmbedder()), ["console"])
    indexer = app.indexer
    live = indexer.index(RESOURCE)
    with app.db.session() as session:
        first, second = ResourceRepository(session).all()[:2]

    building, release = threading.Event(), threading.Event()
    real_build = VectorIndex.build

    def slow_build(*args, **kwargs):
        building.set()
        assert release.wait(10)
        return real_build(*args, **kwargs)

    monkeypatch.setattr(indexer_module.VectorIndex, "build", staticmethod(slow_build))
    worker = threading.Thread(target=indexer.rebuild, args=(RESOURCE,))
    worker.start()
    assert building.wait(10)

    # Mid-build: the live index still answers, and edits land in it and in the journal.
    vector = indexer.embedder.embed([first.embedding_text()])[0]
    assert indexer.search(RESOURCE, vector, 3)[0][0] == first.id
    indexer.remove(RESOURCE, first.id)
    indexer.upsert(RESOURCE, second.id, "a brand new text about volcano models")
    assert indexer.index(RESOURCE) is live
    release.set()
    worker.join(10)

    rebuilt = indexer.index(RESOURCE)
    assert rebuilt is not live and rebuilt.layout.kind == FLAT
    assert first.id not in set(rebuilt.ids().tolist())
    new_vector = indexer.embedder.embed(["a brand new text about volcano models"])[0]
    assert indexer.search(RESOURCE, new_vector, 1)[0][0] == second.id
    assert np.isclose(indexer.search(RESOURCE, new_vector, 1)[0][1], 1.0, atol=1e-4)
