"""The knowledge base with the real all-MiniLM-L6-v2 model: answered questions come back for paraphrased
questions (and not for other topics) on a small labeled set; near-duplicates are linked."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bot.domain.events import Actor, Command
from bot.handlers.knowledge import SIMILAR_HEADLINE, record_answer
from bot.matching.question_vectors import QuestionVectors
from bot.storage.repositories import TeacherRepository

pytestmark = pytest.mark.slow

LABELED = Path(__file__).resolve().parent.parent / "data" / "answered_questions.jsonl"


def ask(app, user_id: str, text: str):
    actor = Actor("console", user_id, user_id)
    return app.kindred.handle_command(Command(actor, "ask", text, channel_id="general")).reply


def test_answered_questions_come_back_for_paraphrases_and_only_for_them(real_app):
    rows = [json.loads(line) for line in LABELED.read_text().splitlines() if line.strip()]
    answered = {r["key"]: r for r in rows if r["kind"] == "answered"}
    queries = [r for r in rows if r["kind"] == "query"]
    with real_app.db.session() as session:
        teachers = TeacherRepository(session)
        helper_ids = {r["helper"]: teachers.find("console", r["helper"]).id for r in answered.values()}
        names = {r["helper"]: teachers.find("console", r["helper"]).name for r in answered.values()}
    for row in answered.values():
        request_id = ask(real_app, row["asker"], row["question"]).request_id
        record_answer(real_app.kindred.deps, request_id, helper_ids[row["helper"]], row["answer"])

    misses = []
    for query in queries:
        text = ask(real_app, "visiting.teacher", query["text"]).text
        expected = answered.get(query["expects"])
        if expected is None:
            ok = SIMILAR_HEADLINE not in text
        else:
            shown = text.split("\n\n")[0]
            ok = shown.startswith(SIMILAR_HEADLINE) and names[expected["helper"]] in shown
            ok = ok and expected["answer"][:40] in shown
        if not ok:
            misses.append((query["text"], query["expects"], text.split("\n\n")[0]))
    positives = sum(1 for q in queries if q["expects"])
    assert positives >= 16 and len(queries) - positives >= 8
    assert not misses, misses


def test_a_near_duplicate_open_question_is_noticed_and_a_different_one_is_not(real_app):
    ask(
        real_app,
        "derek.thompson",
        "What are good math games for practicing multiplication facts in 4th grade?",
    )
    again = ask(real_app, "maria.lopez", "Any fun games for multiplication facts practice with 4th graders?")
    assert "Someone asked something very similar earlier today" in again.text
    ask(real_app, "andre.williams", "How do I teach equivalent fractions hands-on to 4th graders?")
    other = ask(real_app, "sofia.martinez", "How do I teach adding fractions to 5th graders?")
    assert "very similar" not in other.text


def test_another_process_notices_the_near_duplicate_too(real_app):
    """Its in-memory question vectors are cold: the stored vector of the same text is read instead."""
    ask(
        real_app,
        "derek.thompson",
        "What are good math games for practicing multiplication facts in 4th grade?",
    )
    real_app.indexer.questions = QuestionVectors(real_app.indexer.embedder.model_name)  # a fresh process
    again = ask(real_app, "maria.lopez", "Any fun games for multiplication facts practice with 4th graders?")
    assert "Someone asked something very similar earlier today" in again.text
    assert len(real_app.indexer.questions) == 2, "the earlier question's vector was read once and kept"
