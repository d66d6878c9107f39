"""The labelled matching splits (no model, no database): well-formed, on the shipped sample, disjoint."""

import json
import re
from pathlib import Path
from typing import Any

import pytest

from benchmarks.eval_matching import DATA, FILES, HELD_OUT, ROOT, SPLITS, TUNING_FILES, load_file, load_split

CATALOG_SIZE = sum(1 for line in (ROOT / "index/sample_resources.jsonl").open() if line.strip())
TEACHERS = {
    row["platform_user_id"]: row
    for row in map(json.loads, (ROOT / "index/sample_teachers.jsonl").read_text().splitlines())
}


def _rows(split: str) -> list[dict[str, Any]]:
    lines = Path(DATA / f"matching_{split}.jsonl").read_text().splitlines()
    return [json.loads(line) for line in lines if line]


def _normalised(question: str) -> str:
    return " ".join(re.findall(r"[a-z0-9]+", question.lower()))


def test_the_fresh_held_out_split_is_evaluated_and_never_the_tuning_one():
    assert SPLITS == ("tuning", "heldout", "heldout4")
    assert "heldout4" not in TUNING_FILES and set(HELD_OUT).isdisjoint(TUNING_FILES)
    assert len(load_split("tuning")) == sum(len(_rows(name)) for name in TUNING_FILES)


@pytest.mark.parametrize("split", FILES)
def test_each_split_points_at_the_shipped_sample(split):
    rows = _rows(split)
    assert len(load_file(split)) == len(rows)
    for row in rows:
        assert set(row) == {"id", "question", "asker", "resources", "colleagues"}
        assert row["question"].strip()
        assert row["asker"] is None or row["asker"] in TEACHERS
        assert all(1 <= n <= CATALOG_SIZE for n in row["resources"]), row["id"]
        assert len(set(row["resources"])) == len(row["resources"]), row["id"]
        assert set(row["colleagues"]) <= set(TEACHERS), row["id"]
        assert row["asker"] not in row["colleagues"], row["id"]


def test_ids_and_questions_are_unique_across_splits():
    rows = [row for split in FILES for row in _rows(split)]
    ids = [row["id"] for row in rows]
    questions = [_normalised(row["question"]) for row in rows]
    assert len(set(ids)) == len(ids)
    assert len(set(questions)) == len(questions)


def test_fresh_held_out_split_is_big_enough_and_honest_about_gaps():
    rows = _rows("heldout2")
    assert len(rows) >= 45
    assert all(re.fullmatch(r"g\d{2}", row["id"]) for row in rows)
    assert all(row["asker"] in TEACHERS for row in rows)
    assert sum(not row["resources"] for row in rows) >= 12
    assert any(row["colleagues"] for row in rows if not row["resources"])
    # Only teachers open to help may be suggested, so only they count as a right colleague.
    assert all(TEACHERS[c]["open_to_help"] for row in rows for c in row["colleagues"])


def test_blind_held_out_split_is_big_enough_and_honest_about_gaps():
    rows = _rows("heldout3")
    assert len(rows) >= 70
    assert [row["id"] for row in rows] == [f"k{n:02d}" for n in range(1, len(rows) + 1)]
    assert all(row["asker"] in TEACHERS for row in rows)
    assert sum(not row["resources"] for row in rows) >= 16
    assert any(row["colleagues"] for row in rows if not row["resources"])
    assert all(TEACHERS[c]["open_to_help"] for row in rows for c in row["colleagues"])


def test_fourth_blind_held_out_split_is_big_enough_and_honest_about_gaps():
    rows = _rows("heldout4")
    assert len(rows) >= 85
    assert [row["id"] for row in rows] == [f"n{n:02d}" for n in range(1, len(rows) + 1)]
    for row in rows:
        assert set(row) == {"id", "question", "asker", "resources", "colleagues"}
        assert row["asker"] in TEACHERS and row["asker"] not in row["colleagues"], row["id"]
        assert all(1 <= n <= CATALOG_SIZE for n in row["resources"]), row["id"]
        assert len(set(row["resources"])) == len(row["resources"]), row["id"]
    assert len({_normalised(row["question"]) for row in rows}) == len(rows)
    assert sum(not row["resources"] for row in rows) >= 18
    assert any(row["colleagues"] for row in rows if not row["resources"])
    assert all(TEACHERS[c]["open_to_help"] for row in rows for c in row["colleagues"])
