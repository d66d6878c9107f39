"""Leader insights: what teachers ask about, how fast colleagues answer, which resources get reused.

Aggregated and anonymised: no names, no question text, and every group of fewer than ``min_group`` (5)
distinct people is suppressed (k-anonymity) — a leader sees patterns, never a person.
A question's topic is the subject and first tag of the resource Kindred ranked first for it, so topics
survive the retention purge of question text.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from bot.domain.vocabulary import subject_label
from bot.storage.database import Database
from bot.storage.models import FeedbackRow, HelpRequestRow, ResourceRow, SuggestionRow

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
    suppressed: int  # groups left out because fewer than min_group people were behind them


@dataclass(frozen=True)
class Insights:
    since: datetime
    until: datetime
    min_group: int
    questions: int
    askers: int | None  # None when fewer than min_group
    first_response_median_hours: float | None
    first_response_p90_hours: float | None
    unanswered_rate: float | None
    active_helpers: int | None
    topics: Chart
    subjects: Chart
    reused: Chart


@dataclass(frozen=True)
class _Question:
    asker: int | None
    created: datetime
    replied: datetime | None
    status: str
    subject: str
    topic: str


def build_insights(db: Database, now: datetime, period: timedelta, min_group: int = MIN_GROUP) -> Insights:
    """Insights for the ``period`` before ``now``."""
    since = now - period
    questions = _questions(db, since, now)
    askers = {q.asker for q in questions if q.asker is not None}

    replied = [q for q in questions if q.replied is not None]
    hours = sorted((_utc(q.replied) - _utc(q.created)).total_seconds() / 3600 for q in replied)  # type: ignore[arg-type]
    timing_ok = _people(replied) >= min_group
    settled = [q for q in questions if _utc(q.created) <= now - SETTLE]
    unanswered = [q for q in settled if q.replied is None and q.status != "solved"]

    return Insights(
        since=since,
        until=now,
        min_group=min_group,
        questions=len(questions),
        askers=len(askers) if len(askers) >= min_group else None,
        first_response_median_hours=percentile(hours, 50) if timing_ok else None,
        first_response_p90_hours=percentile(hours, 90) if timing_ok else None,
        unanswered_rate=(len(unanswered) / len(settled)) if _people(settled) >= min_group else None,
        active_helpers=_at_least(len(_active_helpers(db, since, now)), min_group),
        topics=_group_chart("Top topics", questions, lambda q: q.topic, min_group),
        subjects=_group_chart("Questions by subject", questions, lambda q: q.subject, min_group),
        reused=_reused(db, since, now, min_group),
    )


def percentile(sorted_values: list[float], p: float) -> float | None:
    """Linear-interpolated percentile of already sorted values (None when empty)."""
    if not sorted_values:
        return None
    rank = (len(sorted_values) - 1) * p / 100
    low, high = math.floor(rank), math.ceil(rank)
    return sorted_values[low] + (sorted_values[high] - sorted_values[low]) * (rank - low)


def _questions(db: Database, since: datetime, until: datetime) -> list[_Question]:
    with db.session() as session:
        rows = session.execute(
            select(
                HelpRequestRow.id,
                HelpRequestRow.asker_id,
                HelpRequestRow.created_at,
                HelpRequestRow.first_human_reply_at,
                HelpRequestRow.status,
            ).where(HelpRequestRow.created_at >= since)
        ).all()
        rows = [r for r in rows if since <= _utc(r.created_at) < until]
        top = _top_resources(session, [r.id for r in rows])
    out = []
    for r in rows:
        subjects, tags = top.get(r.id, ((), ()))
        label = subject_label(subjects[0]) if subjects else OTHER
        subject = label[:1].upper() + label[1:]
        topic = f"{subject} · {tags[0]}" if tags else subject
        out.append(_Question(r.asker_id, r.created_at, r.first_human_reply_at, r.status, subject, topic))
    return out


def _top_resources(session, request_ids: list[int]) -> dict[int, tuple[list[str], list[str]]]:  # type: ignore[no-untyped-def]
    """request id -> (subjects, tags) of the resource ranked first for it."""
    out: dict[int, tuple[list[str], list[str]]] = {}
    for start in range(0, len(request_ids), 500):
        chunk = request_ids[start : start + 500]
        rows = session.execute(
            select(SuggestionRow.request_id, ResourceRow.subjects, ResourceRow.tags)
            .join(ResourceRow, ResourceRow.id == SuggestionRow.resource_id)
            .where(
                SuggestionRow.request_id.in_(chunk),
                SuggestionRow.kind == "resource",
                SuggestionRow.rank == 1,
            )
        )
        for request_id, subjects, tags in rows:
            out[request_id] = (list(subjects or ()), list(tags or ()))
    return out


def _group_chart(title: str, questions: Iterable[_Question], key, min_group: int) -> Chart:  # type: ignore[no-untyped-def]
    counts: dict[str, int] = defaultdict(int)
    people: dict[str, set[int]] = defaultdict(set)
    for q in questions:
        counts[key(q)] += 1
        if q.asker is not None:
            people[key(q)].add(q.asker)
    shown = [Bar(label, counts[label], len(people[label])) for label in counts]
    kept = [b for b in shown if b.people >= min_group]
    kept.sort(key=lambda b: (-b.value, b.label))
    return Chart(title, "questions", tuple(kept[:TOP]), suppressed=len(shown) - len(kept))


def _reused(db: Database, since: datetime, until: datetime, min_group: int) -> Chart:
    with db.session() as session:
        rows = session.execute(
            select(FeedbackRow.resource_id, FeedbackRow.teacher_id, FeedbackRow.created_at, ResourceRow.title)
            .join(ResourceRow, ResourceRow.id == FeedbackRow.resource_id)
            .where(FeedbackRow.kind.in_(("helped", "save")), FeedbackRow.created_at >= since)
        ).all()
    uses: dict[int, int] = defaultdict(int)
    people: dict[int, set[int]] = defaultdict(set)
    titles: dict[int, str] = {}
    for resource_id, teacher_id, created, title in rows:
        if not since <= _utc(created) < until:
            continue
        uses[resource_id] += 1
        people[resource_id].add(teacher_id)
        titles[resource_id] = title
    kept = [Bar(titles[r], uses[r], len(people[r])) for r in uses if len(people[r]) >= min_group]
    kept.sort(key=lambda b: (-b.value, b.label))
    return Chart(
        "Most reused resources", "helped + saved", tuple(kept[:TOP]), suppressed=len(uses) - len(kept)
    )


def _active_helpers(db: Database, since: datetime, until: datetime) -> set[int]:
    """Teachers who shared a resource in the period, or whose shared resource helped someone in it."""
    with db.session() as session:
        shared = session.execute(
            select(ResourceRow.shared_by, ResourceRow.created_at).where(
                ResourceRow.shared_by.is_not(None), ResourceRow.created_at >= since
            )
        ).all()
        helped = session.execute(
            select(ResourceRow.shared_by, FeedbackRow.teacher_id, FeedbackRow.created_at)
            .join(ResourceRow, ResourceRow.id == FeedbackRow.resource_id)
            .where(
                ResourceRow.shared_by.is_not(None),
                FeedbackRow.kind.in_(("helped", "save")),
                FeedbackRow.created_at >= since,
            )
        ).all()
    helpers = {sharer for sharer, at in shared if since <= _utc(at) < until}
    helpers |= {sharer for sharer, user, at in helped if sharer != user and since <= _utc(at) < until}
    return helpers


def _people(questions: Iterable[_Question]) -> int:
    return len({q.asker for q in questions if q.asker is not None})


def _at_least(value: int, min_group: int) -> int | None:
    return value if value >= min_group else None


def _utc(value: datetime) -> datetime:
    """SQLite hands back naive datetimes; everything Kindred stores is UTC."""
    return value if value.tzinfo is not None else value.replace(tzinfo=UTC)
