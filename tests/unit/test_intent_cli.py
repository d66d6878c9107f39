"""`kindred intent train [--with-corrections]` and correction counts in `kindred stats` (fake embedder)."""

from __future__ import annotations

import numpy as np
from typer.testing import CliRunner

import bot.bootstrap
from bot.cli import app as cli
from bot.matching import intent_model
from bot.matching.hashing_embedder import HashingEmbedder
from bot.storage.database import Database
from bot.storage.intent_corrections import IntentCorrectionRepository
from bot.storage.migrate import upgrade
from bot.storage.models import NOT_A_QUESTION


def test_train_with_corrections_and_stats_counts(tmp_path, monkeypatch, database_url):
    monkeypatch.setenv("KINDRED_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("KINDRED_DATABASE_URL", database_url)
    monkeypatch.setattr(bot.bootstrap, "build_embedder", lambda settings: HashingEmbedder())
    monkeypatch.setattr(intent_model, "_FITTED", {})
    db = Database.from_url(database_url)
    upgrade(db.engine)
    vector = HashingEmbedder().embed(["who wants tacos friday"])[0]
    with db.session() as session:
        IntentCorrectionRepository(session).add("slack", NOT_A_QUESTION, vector, "hashing-256")
        IntentCorrectionRepository(session).add("slack", NOT_A_QUESTION, np.ones(8), "another-model")
    db.dispose()
    runner = CliRunner()

    plain = runner.invoke(cli, ["intent", "train"])
    assert plain.exit_code == 0, plain.output
    assert "(0 corrections)" in plain.output and "held-out precision" in plain.output
    corrected = runner.invoke(cli, ["intent", "train", "--with-corrections"])
    assert corrected.exit_code == 0, corrected.output
    assert "(1 corrections)" in corrected.output  # the other model's vector is not usable
    assert len(list((tmp_path / "data" / "intent").glob("intent-*.json"))) == 2

    stats = runner.invoke(cli, ["stats"])
    assert "detector corrections: not a question 2, missed request 0" in stats.output
