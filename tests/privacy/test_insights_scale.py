"""The leader report at pilot scale: 5, 40 and 400 questions on an injected clock.

Totals are always shown; a breakdown cell that could point at fewer than 5 people is merged into Other.
"""

import random
from datetime import UTC, datetime, timedelta

import pytest

from bot.insights.advice import actions
from bot.insights.report import OTHER, build_insights
from bot.insights.summary import summary_text
from bot.storage.database import Database
from bot.storage.models import GoalRow, HelpRequestRow, ResourceRow, SuggestionRow, TeacherRow

NOW = datetime(2027, 3, 17, 13, 0, tzinfo=UTC)  # a Wednesday; nothing reads the wall clock
TOPICS = [  # (subject, tag, weight, share of questions left unanswered)
    ("sped", "IEP accommodations", 3, 0.5),
    ("math", "fractions", 3, 0.1),
    ("science", "lab safety", 2, 0.1),
    ("ela", "phonics", 1, 0.0),
    ("sel", "restorative circles", 1, 0.0),
]
GOALS = [("3b", "Using questioning and discussion techniques"), ("2d", "Managing student behavior")]


def seed(db: Database, questions: int, teachers: int, seed: int) -> dict:
    """Deterministic community; returns what the report should count, computed independently."""
    rng = random.Random(seed)
    expected = {"questions": 0, "unanswered": 0, "askers": set(), "this_week": 0, "last_week": 0}
    with db.session() as s:
        rows = [
            TeacherRow(platform="slack", platform_user_id=f"U{i:05d}", name=f"Hidden {i}")
            for i in range(teachers)
        ]
        s.add_all(rows)
        s.flush()
        resources = []
        for subject, tag, _, _ in TOPICS:
            resources.append(ResourceRow(title=f"{tag} guide", subjects=[subject], tags=[tag]))
        s.add_all(resources)
        s.flush()
        weights = [w for _, _, w, _ in TOPICS]
        for n in range(questions):
            topic = rng.choices(range(len(TOPICS)), weights)[0]
            asker = rows[rng.randrange(teachers)].id
            created = NOW - timedelta(days=rng.uniform(1.2, 27))
            unanswered = rng.random() < TOPICS[topic][3]
            reply = None if unanswered else created + timedelta(hours=rng.choice([0.5, 2, 4, 8, 30]))
            request = HelpRequestRow(
                asker_id=asker, text=f"secret question {n}", platform="slack", created_at=created,
                first_human_reply_at=reply,
            )  # fmt: skip
            s.add(request)
            s.flush()
            s.add(
                SuggestionRow(
                    request_id=request.id, kind="resource", resource_id=resources[topic].id, rank=1, score=0.9
                )
            )
            expected["questions"] += 1
            expected["unanswered"] += unanswered
            expected["askers"].add(asker)
            age = NOW - created
            if age < timedelta(days=7):
                expected["this_week"] += 1
            elif age < timedelta(days=14):
                expected["last_week"] += 1
        for i, teacher in enumerate(rows):
            code, name = GOALS[0] if i % 3 else GOALS[1]
            s.add(GoalRow(teacher_id=teacher.id, text="my goal", framework="danielson", component_code=code,
                          component_name=name))  # fmt: skip
    return expected


def _check_privacy(insights, k=5):
    for chart in (insights.topics, insights.subjects, insights.reused, insights.goals):
        for bar in chart.bars:
            assert bar.people >= k, (chart.title, bar)


@pytest.mark.parametrize(
    ("questions", "teachers"),
    [(5, 5), (40, 15), (400, 120)],
)
def test_totals_always_shown_and_only_small_cells_merged(db, questions, teachers):
    expected = seed(db, questions, teachers, seed=questions)
    insights = build_insights(db, NOW, timedelta(days=30))
    assert insights.questions == expected["questions"]
    assert insights.unanswered == expected["unanswered"]
    assert insights.askers == len(expected["askers"])
    assert insights.first_response_median_hours is not None
    assert insights.trends["questions"].this_week == expected["this_week"]
    assert insights.trends["questions"].last_week == expected["last_week"]
    _check_privacy(insights)
    shown = sum(b.value for b in insights.topics.bars)
    assert shown == questions or insights.topics.other_hidden
    text = summary_text(insights)
    assert (
        f"Questions asked:            {questions}" in text and "Hidden" not in text and "secret" not in text
    )
    assert "Half of the answered questions got a first reply" in text  # the one-line explanation


def test_five_questions_show_every_total_and_put_the_topics_together(db):
    seed(db, 5, 5, seed=5)
    insights = build_insights(db, NOW, timedelta(days=30))
    assert all(b.label == OTHER for b in insights.topics.bars) or insights.topics.other_hidden
    assert not any("PLC" in line for line in actions(insights))  # no topic is big enough to name


def test_forty_questions_name_the_topic_with_no_reply(db):
    seed(db, 40, 15, seed=40)
    insights = build_insights(db, NOW, timedelta(days=30))
    labels = [b.label for b in insights.topics.bars]
    assert "Special education · IEP accommodations" in labels
    iep = dict(insights.unanswered_by_topic)["Special education · IEP accommodations"]
    assert iep >= 1
    assert (
        f"{iep} questions on Special education · IEP accommodations got no reply — consider a PLC on it."
        in actions(insights)
    )
    goals = {b.label: b.value for b in insights.goals.bars}
    assert goals == {"3b Using questioning and discussion techniques": 10, "2d Managing student behavior": 5}


def test_four_hundred_questions_break_down_by_topic_and_trend(db):
    seed(db, 400, 120, seed=400)
    insights = build_insights(db, NOW, timedelta(days=30))
    assert len([b for b in insights.topics.bars if b.label != OTHER]) == len(TOPICS)
    assert insights.topics.suppressed == 0
    assert insights.trends["unanswered"].this_week is not None
    text = summary_text(insights)
    assert "vs last week" in text and "What to do about it:" in text
