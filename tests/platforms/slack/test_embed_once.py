"""A channel message is embedded once: the learned detector's embedding is passed on to the suggester
(and a mention's to the missed-request correction), not computed again."""

from __future__ import annotations

import json

import numpy as np
import pytest

from bot.matching.intent_model import IntentModel, LearnedDetector
from bot.storage.models import IntentCorrectionRow
from tests.platforms.slack.conftest import SlackHarness
from tests.platforms.slack.test_events import HELP, message
from tests.platforms.slack.test_ways_to_ask import BOT, mention


def learned(slack: SlackHarness, says_help: bool) -> None:
    """A learned detector whose model answers ``says_help`` for every message, on the app's embedder."""
    embedder = slack.app.embedder
    model = IntentModel(
        coef=np.zeros(embedder.dimension + 5, dtype=np.float32),
        intercept=8.0 if says_help else -8.0,
        platt_a=1.0,
        platt_b=0.0,
        embedder=embedder.model_name,
        key="test",
    )
    slack.app.kindred.deps.detector = LearnedDetector(embedder, 0.5, model=model)


@pytest.fixture
def embedded(slack: SlackHarness, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    texts: list[str] = []
    original = slack.app.embedder.embed

    def counting(batch):  # type: ignore[no-untyped-def]
        texts.extend(batch)
        return original(batch)

    monkeypatch.setattr(slack.app.embedder, "embed", counting)
    return texts


async def test_a_detected_help_request_is_embedded_once(slack: SlackHarness, embedded: list[str]) -> None:
    learned(slack, says_help=True)
    await slack.event(message(HELP), "EvOnce")
    (post,) = await slack.fake.wait_for("chat.postMessage")
    assert "fraction" in json.dumps(post.params["blocks"]).lower()
    assert [t for t in embedded if "fractions" in t] == [HELP]


async def test_a_mention_the_detector_would_skip_is_embedded_once_and_kept_as_that_vector(
    slack: SlackHarness, embedded: list[str]
) -> None:
    learned(slack, says_help=False)
    question = "my 4th graders just cannot remember equivalent fractions"
    await slack.event(mention(f"<@{BOT}> {question}"), "EvMentionOnce")
    await slack.fake.wait_for("chat.postMessage")
    assert [t for t in embedded if "fractions" in t] == [question]
    with slack.app.db.session() as session:
        (row,) = session.query(IntentCorrectionRow).all()
        stored = np.frombuffer(row.vector, dtype=np.float32)
    assert np.allclose(stored, slack.app.embedder.embed([question])[0])
