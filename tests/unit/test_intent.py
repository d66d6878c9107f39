"""The help-request detector on a labeled set of realistic teacher chat (tests/data/intent_labeled.jsonl)."""

import json
from pathlib import Path

import pytest

from bot.matching.intent import HelpRequestDetector

DATA = Path(__file__).resolve().parents[1] / "data" / "intent_labeled.jsonl"


def labeled() -> list[dict]:
    return [json.loads(line) for line in DATA.read_text().splitlines() if line.strip()]


def test_labeled_set_is_large_and_balanced():
    rows = labeled()
    assert len(rows) >= 150
    positives = sum(r["help"] for r in rows)
    assert 0.3 < positives / len(rows) < 0.7


def test_precision_and_recall_on_labeled_set():
    detector = HelpRequestDetector()
    tp = fp = fn = 0
    for row in labeled():
        predicted = detector.is_help_request(row["text"])
        tp += predicted and row["help"]
        fp += predicted and not row["help"]
        fn += (not predicted) and row["help"]
    precision, recall = tp / (tp + fp), tp / (tp + fn)
    assert precision >= 0.9, f"precision {precision:.3f}"
    assert recall >= 0.85, f"recall {recall:.3f}"


@pytest.mark.parametrize(
    "text",
    [
        "Does anyone have a good anchor chart for theme vs main idea? 4th grade",
        "I'm struggling with transitions in kindergarten, any tips?",
        "how do you all run reading conferences without losing the rest of the class",
    ],
)
def test_obvious_requests_are_detected(text):
    result = HelpRequestDetector().score(text)
    assert result.is_help_request, result


@pytest.mark.parametrize(
    "text",
    [
        "Who else needs coffee?",
        "Reminder: staff meeting at 3 in the library",
        "thanks so much for the help!",
        "lol",
    ],
)
def test_chatter_is_ignored(text):
    assert not HelpRequestDetector().is_help_request(text)


def test_threshold_is_a_dial():
    text = "Anyone tried flexible seating?"
    score = HelpRequestDetector().score(text).score
    assert HelpRequestDetector(threshold=score).is_help_request(text)
    assert not HelpRequestDetector(threshold=min(1.0, score + 0.01)).is_help_request(text)
