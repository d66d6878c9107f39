"""Leader insights: what teachers ask about, how fast colleagues answer, which resources get reused.

Aggregated and anonymised: no names and no question text. Suppression protects people, not counts: totals
(questions, unanswered, median time to first reply, askers, helpers) identify no one and are always shown;
only a breakdown cell that could point at fewer than ``min_group`` (5) people is merged into "Other" (and
"Other" itself is left out while it too is under 5 people).
A question's topic is the subject and first tag of the resource Kindred ranked first for it, so topics
survive the retention purge of question text.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from bot.domain.vocabulary import subject_label
from bot.storage.database import Database

MIN_GROUP = 5
SETTLE = timedelta(hours=24)  # a question younger than this is too new to call unanswered
TOP = 10
OTHER = "Other"


@dataclass(frozen=True)
class Bar:
    label: str
    value: float
    people: int  # distinct teachers behind the value (always >= min_group when shown)


@dataclass(frozen=True)
class Chart:
    title: str
    unit: str
    bars: tuple[Bar, ...]
    suppressed: int  # groups of fewer than min_group people, merged into the "Other" bar
    other_hidden: bool = False  # "Other" itself was under min_group people, so it is not shown


@dataclass(frozen=True)
class Trend:
    """A figure this week (the 7 days before ``until``) against the 7 days before that."""

    this_week: float | None
    last_week: float | None

    @property
    def change(self) -> float | None:
        if self.this_week is None or self.last_week is None:
            return None
        return self.this_week - self.last_week


@dataclass(frozen=True)
class Insights:
    since: datetime
    until: datetime
    min_group: int
    questions: int
    askers: int
    first_response_median_hours: float | None  # None only when nobody has replied yet
    first_response_p90_hours: float | None
    unanswered: int  # settled questions (older than a day) with no human reply, not solved
    settled: int
    unanswered_rate: float | None  # None only when no question is settled yet
    active_helpers: int
    topics: Chart
    subjects: Chart
    reused: Chart
    goals: Chart  # Danielson components teachers' active goals link to (counts only)
    trends: dict[str, Trend]  # "questions", "unanswered", "median_hours"
    unanswered_by_topic: tuple[tuple[str, int], ...]  # only topics shown in ``topics``


@dataclass(frozen=True)
class _Question:
    asker: int | None
    created: datetime
    replied: datetime | None
    status: str
    subject: str
    topic: str


WEEK = timedelta(days=7)


def build_insights(db: Database, now: datetime, period: timedelta, min_group: int = MIN_GROUP) -> Insights:
    """Insights for the ``period`` before ``now`` (the clock is injected: nothing reads the wall clock)."""
    since = now - period
    questions = _questions(db, min(since, now - 2 * WEEK), now)
    in_period = [q for q in questions if _utc(q.created) >= since]
    median, p90 = _reply_hours(in_period)
    unanswered = _unanswered(in_period, now)
    settled = [q for q in in_period if _utc(q.created) <= now - SETTLE]
    topics = _group_chart("Top topics", in_period, lambda q: q.topic, min_group)
    shown_topics = {b.label for b in topics.bars if b.label != OTHER}
    per_topic: dict[str, int] = defaultdict(int)
    for q in unanswered:
        if q.topic in shown_topics:
            per_topic[q.topic] += 1
    return Insights(
        since=since,
        until=now,
        min_group=min_group,
        questions=len(in_period),
        askers=_people(in_period),
        first_response_median_hours=median,
        first_response_p90_hours=p90,
        unanswered=len(unanswered),
        settled=len(settled),
        unanswered_rate=(len(unanswered) / len(settled)) if settled else None,
        active_helpers=len(_active_helpers(db, since, now)),
        topics=topics,
        subjects=_group_chart("Questions by subject", in_period, lambda q: q.subject, min_group),
        reused=_reused(db, since, now, min_group),
        goals=_goal_components(db, min_group),
        trends=_trends(questions, now),
        unanswered_by_topic=tuple(sorted(per_topic.items(), key=lambda kv: (-kv[1], kv[0]))),
    )


def _reply_hours(questions: list[_Question]) -> tuple[float | None, float | None]:
    hours = sorted(
        (_utc(q.replied) - _utc(q.created)).total_seconds() / 3600 for q in questions if q.replied is not None
    )
    return percentile(hours, 50), percentile(hours, 90)


def _unanswered(questions: list[_Question], now: datetime) -> list[_Question]:
    return [
        q for q in questions if _utc(q.created) <= now - SETTLE and q.replied is None and q.status != "solved"
    ]


def _trends(questions: list[_Question], now: datetime) -> dict[str, Trend]:
    def week(offset: int) -> list[_Question]:
        end = now - offset * WEEK
        return [q for q in questions if end - WEEK <= _utc(q.created) < end]

    this, last = week(0), week(1)
    return {
        "questions": Trend(len(this), len(last)),
        "unanswered": Trend(len(_unanswered(this, now)), len(_unanswered(last, now))),
        "median_hours": Trend(_reply_hours(this)[0], _reply_hours(last)[0]),
    }


def percentile(sorted_values: list[float], p: float) -> float | None:
    """Linear-interpolated percentile of already sorted values (None when empty)."""
    if not sorted_values:
        return None
    rank = (len(sorted_values) - 1) * p / 100
    low, high = math.floor(rank), math.ceil(rank)
    return sorted_values[low] + (sorted_values[high] - sorted_values[low]) * (rank - low)


def _questions(db: Database, since: datetime, until: datetime) -> list[_Question]:
    with db.unit_of_work(writes=False) as uow:
        rows = [r for r in uow.insights.questions_since(since) if since <= _utc(r[2]) < until]
        top = uow.insights.top_resources([r[0] for r in rows])
    out = []
    for request_id, asker, created, replied, status in rows:
        subjects, tags = top.get(request_id, ((), ()))
        label = subject_label(subjects[0]) if subjects else OTHER
        subject = label[:1].upper() + label[1:]
        topic = f"{subject} · {tags[0]}" if tags else subject
        out.append(_Question(asker, created, replied, status, subject, topic))
    return out


def _group_chart(
    title: str, questions: Iterable[_Question], key: Callable[[_Question], str], min_group: int
) -> Chart:
    counts: dict[str, int] = defaultdict(int)
    people: dict[str, set[int]] = defaultdict(set)
    for q in questions:
        counts[key(q)] += 1
        if q.asker is not None:
            people[key(q)].add(q.asker)
    return merge_small("questions", title, counts, people, min_group)


def merge_small(
    unit: str, title: str, counts: dict[str, int], people: dict[str, set[int]], min_group: int
) -> Chart:
    """Cells of ``min_group``+ people as bars (top ``TOP``); the rest merged into one "Other" bar, shown
    only when the merged cell is itself ``min_group``+ people."""
    big = [label for label in counts if label != OTHER and len(people[label]) >= min_group]
    big.sort(key=lambda label: (-counts[label], label))
    small = [label for label in counts if label not in big[:TOP]]
    bars = [Bar(label, counts[label], len(people[label])) for label in big[:TOP]]
    other_people = set().union(*(people[label] for label in small)) if small else set()
    other_hidden = False
    if small:
        if len(other_people) >= min_group:
            bars.append(Bar(OTHER, sum(counts[label] for label in small), len(other_people)))
        else:
            other_hidden = True
    return Chart(title, unit, tuple(bars), suppressed=len(small), other_hidden=other_hidden)


def _reused(db: Database, since: datetime, until: datetime, min_group: int) -> Chart:
    with db.unit_of_work(writes=False) as uow:
        rows = uow.insights.uses_since(since)
    uses: dict[int, int] = defaultdict(int)
    people: dict[int, set[int]] = defaultdict(set)
    titles: dict[int, str] = {}
    for resource_id, teacher_id, created, title in rows:
        if not since <= _utc(created) < until:
            continue
        uses[resource_id] += 1
        people[resource_id].add(teacher_id)
        titles[resource_id] = title
    by_title: dict[str, int] = defaultdict(int)
    people_by_title: dict[str, set[int]] = defaultdict(set)
    for resource_id, count in uses.items():
        by_title[titles[resource_id]] += count
        people_by_title[titles[resource_id]] |= people[resource_id]
    return merge_small("helped + saved", "Most reused resources", by_title, people_by_title, min_group)


def _goal_components(db: Database, min_group: int) -> Chart:
    """Danielson components active goals are linked to: how many goals, never whose."""
    with db.unit_of_work(writes=False) as uow:
        rows = uow.insights.danielson_goal_components()
    counts: dict[str, int] = defaultdict(int)
    people: dict[str, set[int]] = defaultdict(set)
    for teacher_id, code, name in rows:
        label = f"{code} {name}".strip() if name else str(code)
        counts[label] += 1
        people[label].add(teacher_id)
    return merge_small("goals", "Danielson components teachers' goals link to", counts, people, min_group)


def _active_helpers(db: Database, since: datetime, until: datetime) -> set[int]:
    """Teachers who shared a resource in the period, or whose shared resource helped someone in it."""
    with db.unit_of_work(writes=False) as uow:
        shared = uow.insights.shares_since(since)
        helped = uow.insights.shared_uses_since(since)
    helpers = {sharer for sharer, at in shared if sharer is not None and since <= _utc(at) < until}
    helpers |= {
        sharer
        for sharer, user, at in helped
        if sharer is not None and sharer != user and since <= _utc(at) < until
    }
    return helpers


def _people(questions: Iterable[_Question]) -> int:
    return len({q.asker for q in questions if q.asker is not None})


def _utc(value: datetime) -> datetime:
    """SQLite hands back naive datetimes; everything Kindred stores is UTC."""
    return value if value.tzinfo is not None else value.replace(tzinfo=UTC)
