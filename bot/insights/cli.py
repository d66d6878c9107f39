"""`kindred report [--since 30d] [--html out.html]`: leader insights (registered from ``bot.cli``)."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated

import typer

from bot.insights.report import Chart, Insights


def report(
    since: Annotated[str, typer.Option(help="how far back: e.g. 7d, 30d, 12h")] = "30d",
    html: Annotated[Path | None, typer.Option("--html", help="also write an HTML report here")] = None,
) -> None:
    """Aggregate, anonymised insights for school leaders (groups under 5 people are hidden)."""
    from bot import cli
    from bot.insights.html import render_html
    from bot.insights.report import build_insights
    from bot.scheduling.durations import parse_duration
    from bot.storage.database import Database
    from bot.storage.migrate import upgrade

    try:
        period = parse_duration(since)
    except ValueError as exc:
        cli.err.print(f"[red]--since: {exc}[/red]")
        raise typer.Exit(2) from None
    settings = cli._settings()
    cli._logging(settings, console_level="ERROR")
    db = Database.from_url(settings.database_url or "")
    try:
        upgrade(db.engine)
        insights = build_insights(db, datetime.now(UTC), period)
    finally:
        db.dispose()
    typer.echo(summary_text(insights))
    if html is not None:
        html.write_text(render_html(insights), encoding="utf-8")
        typer.echo(f"Wrote {html}.")


def summary_text(insights: Insights) -> str:
    k = insights.min_group

    def count(value: int | None) -> str:
        return f"fewer than {k}" if value is None else str(value)

    def hours(value: float | None) -> str:
        return "— (too few to show)" if value is None else f"{value:.1f} h"

    lines = [
        f"Kindred insights {insights.since:%Y-%m-%d} – {insights.until:%Y-%m-%d} (groups under {k} hidden)",
        f"Questions asked:            {insights.questions}",
        f"Teachers who asked:         {count(insights.askers)}",
        f"Time to first human reply:  median {hours(insights.first_response_median_hours)}, "
        f"p90 {hours(insights.first_response_p90_hours)}",
        "Unanswered:                 "
        + ("— (too few to show)" if insights.unanswered_rate is None else f"{insights.unanswered_rate:.0%}"),
        f"Active helpers:             {count(insights.active_helpers)}",
    ]
    for chart in (insights.topics, insights.subjects, insights.reused):
        lines += ["", *_chart_lines(chart, k)]
    return "\n".join(lines)


def _chart_lines(chart: Chart, k: int) -> list[str]:
    lines = [f"{chart.title} ({chart.unit}):"]
    lines += [f"  {bar.value:>5g}  {bar.label}" for bar in chart.bars] or ["  (not enough activity yet)"]
    if chart.suppressed:
        lines.append(f"  + {chart.suppressed} smaller group(s) hidden (fewer than {k} people)")
    return lines
