"""Indexes persist in the data dir and are rebuilt from stored vectors when missing or stale."""

from bot.bootstrap import bootstrap, prepare
from bot.matching.hashing_embedder import HashingEmbedder


class CountingEmbedder(HashingEmbedder):
    def __init__(self, dimension: int = 256) -> None:
        super().__init__(dimension)
        self.calls = 0

    def embed(self, texts):
        self.calls += len(texts)
        return super().embed(texts)


def test_restart_loads_index_without_embedding_again(settings):
    first = CountingEmbedder()
    prepare(bootstrap(settings, embedder=first), ["console"])
    assert first.calls >= 150
    assert (settings.index_dir / "resource.faiss").exists()

    second = CountingEmbedder()
    app = prepare(bootstrap(settings, embedder=second), ["console"])
    assert second.calls == 0
    assert len(app.indexer.index("resource")) >= 150


def test_missing_index_file_is_rebuilt_from_stored_vectors(settings):
    prepare(bootstrap(settings, embedder=CountingEmbedder()), ["console"])
    (settings.index_dir / "resource.faiss").unlink()
    again = CountingEmbedder()
    app = prepare(bootstrap(settings, embedder=again), ["console"])
    assert again.calls == 0
    assert len(app.indexer.index("resource")) >= 150


def test_other_model_means_stale_index_and_fresh_vectors(settings):
    prepare(bootstrap(settings, embedder=CountingEmbedder(256)), ["console"])
    other = CountingEmbedder(128)
    app = prepare(bootstrap(settings, embedder=other), ["console"])
    assert other.calls >= 150
    assert app.indexer.index("resource").dimension == 128


def test_edited_resource_is_re_embedded(settings):
    app = prepare(bootstrap(settings, embedder=CountingEmbedder()), ["console"])
    from bot.storage.repositories import ResourceRepository

    with app.db.session() as session:
        resource = ResourceRepository(session).all()[0]
        ResourceRepository(session).upsert(
            {"title": resource.title, "url": resource.url, "description": "new text"}
        )
    counting = CountingEmbedder()
    prepare(bootstrap(settings, embedder=counting), ["console"])
    assert counting.calls == 1
