"""`kindred report [--since 30d] [--html out.html]`: leader insights."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated

import typer

from bot.cli import common
from bot.insights.summary import summary_text


def report(
    since: Annotated[str, typer.Option(help="how far back: e.g. 7d, 30d, 12h")] = "30d",
    html: Annotated[Path | None, typer.Option("--html", help="also write an HTML report here")] = None,
) -> None:
    """Aggregate, anonymised insights for school leaders (breakdown cells under 5 people go into Other)."""
    from bot.insights.html import render_html
    from bot.insights.report import build_insights
    from bot.scheduling.durations import parse_duration

    try:
        period = parse_duration(since)
    except ValueError as exc:
        common.err.print(f"[red]--since: {exc}[/red]")
        raise typer.Exit(2) from None
    with common.upgraded_database(common.command_settings()) as db:
        insights = build_insights(db, datetime.now(UTC), period)
    typer.echo(summary_text(insights))
    if html is not None:
        html.write_text(render_html(insights), encoding="utf-8")
        typer.echo(f"Wrote {html}.")
