"""What each figure means (one line under it) and what a leader could do about it."""

from __future__ import annotations

from bot.insights.report import Insights, Trend

EXPLAIN: dict[str, str] = {
    "questions": "Questions teachers asked Kindred or their colleagues in this period.",
    "askers": "Different teachers who asked at least once — how widely Kindred is used.",
    "median": "Half of the answered questions got a first reply from a colleague within this time.",
    "p90": "Nine in ten answered questions got a first reply within this time.",
    "unanswered": "Questions over a day old that no colleague has replied to and nobody marked solved.",
    "helpers": "Teachers who shared a resource, or whose shared resource helped a colleague.",
    "topics": "The topic of the resource Kindred ranked first for each question.",
    "subjects": "The subject of the resource Kindred ranked first for each question.",
    "reused": "Resources colleagues marked as helpful or saved.",
    "goals": "Danielson components teachers' active goals are linked to (how many goals, never whose).",
}


def trend_text(trend: Trend, unit: str = "", hours: bool = False) -> str:
    """ "↑ 4 vs last week (12 → 16)"; "" when a week has nothing to compare."""
    change, last_week, this_week = trend.change, trend.last_week, trend.this_week
    if change is None or last_week is None or this_week is None:  # all three or none
        return ""

    def fmt(value: float) -> str:
        return f"{value:.1f} h" if hours else f"{value:g}{unit}"

    arrow = "↑" if change > 0 else "↓" if change < 0 else "→"
    size = fmt(abs(change)) if change else "no change"
    return f"{arrow} {size} vs last week ({fmt(last_week)} → {fmt(this_week)})"


def actions(insights: Insights) -> list[str]:
    """Suggestions a leader can act on, most useful first; only from figures already shown."""
    out = []
    for topic, count in insights.unanswered_by_topic[:3]:
        noun = "question" if count == 1 else "questions"
        out.append(f"{count} {noun} on {topic} got no reply — consider a PLC on it.")
    if insights.unanswered_rate is not None and insights.unanswered_rate >= 0.25 and insights.unanswered >= 3:
        out.append(
            f"{insights.unanswered} of {insights.settled} questions got no reply — invite more colleagues to "
            "help (`kindred teachers sync --platform slack` adds the whole staff)."
        )
    median = insights.first_response_median_hours
    if median is not None and median > 24:
        out.append(
            f"First replies take a median of {median:.0f} h — a rota of weekly helpers would speed them up."
        )
    rising = insights.trends["questions"].change
    if rising is not None and rising >= 5 and insights.topics.bars:
        out.append(
            f"Questions rose by {rising:g} this week; the top topic is {insights.topics.bars[0].label}."
        )
    if insights.goals.bars and insights.goals.bars[0].label != "Other":
        top = insights.goals.bars[0]
        out.append(f"{top.value:g} teachers' goals link to {top.label} — a natural theme for PD.")
    return out
