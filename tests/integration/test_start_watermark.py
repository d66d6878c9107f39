"""A start reads only what changed: over an unchanged catalog no resource or profile text is read or
hashed (ids and two timestamps per row); a resource edited behind the indexer's back (an import on another
machine that died before embedding) is re-embedded alone, with its new text (SQLite and PostgreSQL)."""

from __future__ import annotations

import pytest

from bot.bootstrap import bootstrap, prepare
from bot.matching.indexer import RESOURCE
from bot.settings import Settings
from bot.storage.models import ResourceRow
from bot.storage.repositories import ResourceRepository
from bot.storage.repositories import indexed_items as items_module
from tests.integration.test_indexer import CountingEmbedder


@pytest.fixture
def read_texts(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every resource text the indexer builds (the indexed items' to_resource is where a row becomes its
    embedded text)."""
    seen: list[str] = []
    original = items_module.to_resource

    def spy(row: ResourceRow):  # type: ignore[no-untyped-def]
        seen.append(row.title)
        return original(row)

    monkeypatch.setattr(items_module, "to_resource", spy)
    return seen


def test_an_unchanged_start_reads_no_text_and_an_edit_is_embedded_alone(
    settings: Settings, read_texts: list[str]
) -> None:
    first = prepare(bootstrap(settings, embedder=CountingEmbedder()), ["console"])
    assert len(first.indexer.index(RESOURCE)) >= 150
    first.close()

    read_texts.clear()
    again = CountingEmbedder()
    app = prepare(bootstrap(settings, embedder=again), ["console"])
    assert again.calls == 0
    assert read_texts == [], "no resource text read or hashed when nothing changed"
    with app.db.session() as session:
        row = session.query(ResourceRow).order_by(ResourceRow.id).first()
        assert row is not None
        edited_id, title = row.id, row.title
        ResourceRepository(session).upsert(
            {"title": title, "url": row.url, "description": "Quokka origami for tessellation warm-ups"}
        )
    app.close()

    read_texts.clear()
    third = CountingEmbedder()
    app = prepare(bootstrap(settings, embedder=third), ["console"])
    assert third.calls == 1, "only the edited resource is embedded again"
    assert read_texts == [title]
    with app.db.session() as session:
        edited = ResourceRepository(session).get_many([edited_id])[edited_id]
    assert "Quokka" in edited.embedding_text()
    vector = third.embed([edited.embedding_text()])[0]
    (best, similarity), *_ = app.indexer.search(RESOURCE, vector, 1)
    assert best == edited_id and similarity > 0.99, "the index holds the new text's vector"
    app.close()
