"""The student-PII detector on realistic teacher messages (tests/data/student_pii_labeled.jsonl).

Rows carry ``pii`` (the label), ``kinds``, ``redact`` (strings that must not survive redaction) and ``split``:
``main`` was written before the detector; ``holdout`` and ``holdout2`` were written after it and scored
before any rule was changed (P 1.00 / R 0.83 and P 0.90 / R 0.90), then the rules were generalised.
"""

import json
from pathlib import Path

import pytest

from bot.privacy.student_pii import (
    EMAIL,
    PHONE,
    SENSITIVE_DETAIL,
    STUDENT_ID,
    STUDENT_NAME,
    check,
    redact,
)

DATA = Path(__file__).resolve().parents[1] / "data" / "student_pii_labeled.jsonl"


def labeled() -> list[dict]:
    return [json.loads(line) for line in DATA.read_text().splitlines() if line.strip()]


def scores(rows: list[dict]) -> tuple[float, float, list[str], list[str]]:
    tp = 0
    false_alarms, misses = [], []
    for row in rows:
        found = check(row["text"]).found
        tp += found and row["pii"]
        if found and not row["pii"]:
            false_alarms.append(row["text"])
        if row["pii"] and not found:
            misses.append(row["text"])
    precision = tp / (tp + len(false_alarms)) if tp + len(false_alarms) else 1.0
    recall = tp / (tp + len(misses)) if tp + len(misses) else 1.0
    return precision, recall, false_alarms, misses


def test_labeled_set_is_large_varied_and_mostly_hard_negatives():
    rows = labeled()
    assert len(rows) >= 150
    positives = [r for r in rows if r["pii"]]
    assert 0.3 < len(positives) / len(rows) < 0.6
    kinds = {k for r in positives for k in r["kinds"]}
    assert kinds == {"name", "sensitive", "id", "email", "phone"}
    assert len({r["text"] for r in rows}) == len(rows), "no duplicates"


def test_precision_and_recall_on_the_whole_set():
    precision, recall, false_alarms, misses = scores(labeled())
    assert precision >= 0.9, f"precision {precision:.3f}; false alarms: {false_alarms}"
    assert recall >= 0.85, f"recall {recall:.3f}; misses: {misses}"
    assert len(false_alarms) <= 3, "false alarms must stay rare"


@pytest.mark.parametrize("split", ["main", "holdout", "holdout2", "issue13"])
def test_precision_and_recall_per_split(split):
    precision, recall, _, _ = scores([r for r in labeled() if r["split"] == split])
    assert precision >= 0.9 and recall >= 0.85, (split, precision, recall)


def test_redaction_removes_every_identifier_and_keeps_the_question():
    for row in (r for r in labeled() if r["pii"]):
        result = check(row["text"])
        for secret in row["redact"]:
            assert secret.lower() not in result.redacted.lower(), (secret, result.redacted)
        assert not check(result.redacted).found, f"redacted text still flagged: {result.redacted}"
    for row in (r for r in labeled() if not r["pii"]):
        assert redact(row["text"]) == row["text"]


@pytest.mark.parametrize(
    ("text", "kind", "redacted"),
    [
        (
            "my student Jayden Smith keeps calling out; Jayden is sweet though",
            STUDENT_NAME,
            "my student [name] keeps calling out; [name] is sweet though",
        ),
        ("Diego has a 504 plan for ADHD", SENSITIVE_DETAIL, "[name] has a 504 plan for ADHD"),
        ("Brandon Lee's parents emailed me", STUDENT_NAME, "[name]'s parents emailed me"),
        ("Student ID 20481934 is missing", STUDENT_ID, "Student ID [ID] is missing"),
        ("SSN 123-45-6789 on a form", STUDENT_ID, "SSN [ID] on a form"),
        ("write to mom at jl.fam@gmail.com", EMAIL, "write to mom at [email]"),
        ("call (312) 555-0198 tonight", PHONE, "call [phone] tonight"),
    ],
)
def test_each_kind_is_found_and_replaced(text, kind, redacted):
    result = check(text)
    assert kind in result.kinds
    assert result.redacted == redacted


@pytest.mark.parametrize(
    "text",
    [
        "Mr. Lopez shared a great fraction game",
        "Our instructional coach Angela Brooks recommended Number Talks",
        "Has anyone taught Wonder by R.J. Palacio?",
        "Looking for a primary source packet on Abraham Lincoln for 5th grade",
        "Jayden keeps asking great questions about volcanoes",
        "A student with a 504 for anxiety needs breaks",
        "Grace period for late work with students who have 504 plans?",
        "Zoom meeting ID 845 2211 9087 for today's PD",
        "Need resources on fractions for grades 3-5",
        "https://docs.google.com/document/d/1aBcD/edit",
    ],
)
def test_policy_not_flagged(text):
    assert not check(text).found


def test_description_names_kinds_not_details():
    result = check("Luis Ramirez, student ID 300219, has an IEP; mom is at lr@x.org")
    assert result.describe() == "a student's name, an ID number and an email address"
    assert "Luis" not in result.describe() and "300219" not in result.describe()


def test_no_false_alarms_on_text_written_for_other_features():
    """Independent negatives: the intent set's teacher chat and the sample catalog and community."""
    root = Path(__file__).resolve().parents[2]
    texts = [json.loads(line)["text"] for line in (root / "tests/data/intent_labeled.jsonl").open()]
    for name in ("sample_resources.jsonl", "sample_teachers.jsonl"):
        for line in (root / "index" / name).open():
            row = json.loads(line)
            texts += [row[k] for k in ("title", "description", "bio") if row.get(k)]
    assert len(texts) > 400
    assert [t for t in texts if check(t).found] == []
