"""The learned help-request detector: shipped data, pre-filter, seeded training, cache, and the core path."""

from __future__ import annotations

import re

import numpy as np
import pytest

from bot.bootstrap import bootstrap, prepare
from bot.domain.events import Actor, ChannelMessage
from bot.matching import intent_model
from bot.matching.hashing_embedder import HashingEmbedder
from bot.matching.intent import HelpRequestDetector
from bot.matching.intent_data import HELDOUT_PATH, TRAIN_PATH, load_split, scored
from bot.matching.intent_model import LearnedDetector, load_or_train, nothing_to_ask, train
from bot.settings import load_settings


def _words(text: str) -> set[str]:
    return set(re.findall(r"[a-z0-9']+", text.lower()))


def test_shipped_data_is_large_labelled_and_split_without_near_duplicates():
    train_rows, held_rows = load_split(TRAIN_PATH), load_split(HELDOUT_PATH)
    assert len(train_rows) + len(held_rows) >= 800
    assert {r["label"] for r in train_rows + held_rows} == {"help", "not_help", "ambiguous"}
    held = [_words(r["text"]) for r in held_rows]
    for row in train_rows:
        words = _words(row["text"])
        assert all(len(words & h) / max(1, len(words | h)) < 0.6 for h in held), row["text"]


@pytest.mark.parametrize(
    "text", ["", "   ", "🎉🎉", ":tada: :raised_hands:", "https://example.org/x", "<@U123>"]
)
def test_prefilter_drops_only_what_cannot_be_an_ask(text):
    assert nothing_to_ask(text)
    assert not LearnedDetector(HashingEmbedder()).score(text).is_help_request


@pytest.mark.parametrize("text", ["help!", "ideas?", "HELP my class is out of control"])
def test_prefilter_keeps_short_asks(text):
    assert not nothing_to_ask(text)


@pytest.fixture(scope="module")
def hashing_model() -> intent_model.IntentModel:
    return train(HashingEmbedder())


def test_training_is_seeded_and_reproducible(hashing_model):
    again = train(HashingEmbedder())
    assert np.allclose(again.coef, hashing_model.coef)
    assert again.key == hashing_model.key


def test_scores_are_probabilities_and_beat_phrases_on_held_out(hashing_model):
    detector = LearnedDetector(HashingEmbedder(), 0.5, hashing_model)
    texts, labels = scored(load_split(HELDOUT_PATH))
    scores = [detector.score(t).score for t in texts]
    assert all(0.0 <= s <= 1.0 for s in scores)
    learned_hits = sum(s >= 0.5 and y for s, y in zip(scores, labels, strict=True))
    phrase_hits = sum(
        HelpRequestDetector().is_help_request(t) and y for t, y in zip(texts, labels, strict=True)
    )
    assert learned_hits > phrase_hits


@pytest.mark.parametrize(
    "text", ["is the copier fixed?", "spare HDMI cable?", "Reminder: report cards due Friday"]
)
def test_logistics_stay_unanswered(hashing_model, text):
    assert not LearnedDetector(HashingEmbedder(), 0.5, hashing_model).is_help_request(text)


def test_model_is_cached_as_json_keyed_by_data_and_embedder(tmp_path, monkeypatch):
    monkeypatch.setattr(intent_model, "_FITTED", {})
    model = load_or_train(HashingEmbedder(), tmp_path)
    [cached] = tmp_path.glob("intent-*.json")
    assert model.key in cached.name and cached.read_text().startswith("{")
    monkeypatch.setattr(intent_model, "_FITTED", {})
    monkeypatch.setattr(intent_model, "train", lambda *a, **k: pytest.fail("retrained despite the cache"))
    assert np.allclose(load_or_train(HashingEmbedder(), tmp_path).coef, model.coef)
    other = HashingEmbedder(dimension=128)
    assert intent_model.data_key(other) != model.key


def test_learned_detector_answers_channel_messages_through_the_core(tmp_path):
    settings = load_settings(
        KINDRED_DATA_DIR=tmp_path / "data",
        KINDRED_DATABASE_URL=f"sqlite:///{tmp_path / 'k.db'}",
        KINDRED_INTENT_DETECTOR="learned",
    )
    app = prepare(bootstrap(settings, embedder=HashingEmbedder()), ["console"])
    try:
        assert isinstance(app.kindred.deps.detector, LearnedDetector)
        assert app.kindred.deps.detector.model is not None
        assert list((settings.data_dir / "intent").glob("intent-*.json"))
        actor = Actor("console", "t1", display_name="T One")
        ask = "does anyone have a good lesson for teaching fractions to 4th grade?"
        assert app.kindred.handle_message(ChannelMessage(actor, "C1", ask)) is not None
        assert app.kindred.handle_message(ChannelMessage(actor, "C1", "is the copier fixed?")) is None
    finally:
        app.close()


def test_fake_embedder_keeps_the_phrase_detector_by_default(app):
    assert isinstance(app.kindred.deps.detector, HelpRequestDetector)
