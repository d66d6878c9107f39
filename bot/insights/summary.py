"""The leader report as text: figures, charts and the plain summary (chat, the CLI and the HTML page)."""

from __future__ import annotations

from bot.insights.advice import EXPLAIN, actions, trend_text
from bot.insights.report import Chart, Insights


def _hours(value: float | None) -> str:
    if value is None:
        return "no replies yet"
    return f"{value * 60:.0f} min" if value < 1 else f"{value:.1f} h"


def figures(insights: Insights) -> list[tuple[str, str, str, str]]:
    """(key, name, value, trend) for each headline figure, in display order."""
    t = insights.trends
    rate = insights.unanswered_rate
    rate_text = "" if rate is None else f" ({rate:.0%} of {insights.settled})"
    return [
        ("questions", "Questions asked", str(insights.questions), trend_text(t["questions"])),
        ("askers", "Teachers who asked", str(insights.askers), ""),
        ("median", "Median time to first reply", _hours(insights.first_response_median_hours),
         trend_text(t["median_hours"], hours=True)),
        ("p90", "90% answered within", _hours(insights.first_response_p90_hours), ""),
        ("unanswered", "Unanswered", f"{insights.unanswered}{rate_text}", trend_text(t["unanswered"])),
        ("helpers", "Active helpers", str(insights.active_helpers), ""),
    ]  # fmt: skip


def charts(insights: Insights) -> list[tuple[str, Chart]]:
    return [
        ("topics", insights.topics),
        ("subjects", insights.subjects),
        ("reused", insights.reused),
        ("goals", insights.goals),
    ]


def summary_text(insights: Insights) -> str:
    k = insights.min_group
    lines = [
        f"Kindred insights {insights.since:%Y-%m-%d} – {insights.until:%Y-%m-%d} "
        f"(breakdowns merge groups under {k} people into Other)",
    ]
    for key, name, value, trend in figures(insights):
        lines.append(f"{name + ':':<28}{value}" + (f"   {trend}" if trend else ""))
        lines.append(f"    {EXPLAIN[key]}")
    todo = actions(insights)
    if todo:
        lines += ["", "What to do about it:", *(f"  • {line}" for line in todo)]
    for key, chart in charts(insights):
        lines += ["", *_chart_lines(chart, k), f"    {EXPLAIN[key]}"]
    return "\n".join(lines)


def _chart_lines(chart: Chart, k: int) -> list[str]:
    lines = [f"{chart.title} ({chart.unit}):"]
    lines += [f"  {bar.value:>5g}  {bar.label}" for bar in chart.bars] or ["  (not enough activity yet)"]
    if chart.suppressed:
        where = "not shown: together under" if chart.other_hidden else "merged into Other: each under"
        lines.append(f"  ({chart.suppressed} smaller group(s) {where} {k} people)")
    return lines
