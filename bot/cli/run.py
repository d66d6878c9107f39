"""`kindred run`: check the settings, load the model, prepare the indexes, then serve the platforms."""

from __future__ import annotations

import os
import sys
from typing import Annotated

import typer

from bot.cli import common
from bot.settings import PLATFORMS


def run(
    platform: Annotated[
        str | None,
        typer.Option(help="slack, discord or console (default: from the tokens set, console when none)"),
    ] = None,
) -> None:
    """Run the bot."""
    settings = common.settings()
    platforms = [platform] if platform else settings.platforms()
    if any(p not in PLATFORMS for p in platforms):
        common.err.print(f"[red]Unknown platform {platform!r}; choose one of {', '.join(PLATFORMS)}.[/red]")
        raise typer.Exit(2)
    if platform is None and platforms == ["console"] and not sys.stdin.isatty():
        common.fail(
            "No platform token set: set SLACK_BOT_TOKEN (with SLACK_SIGNING_SECRET or SLACK_APP_TOKEN) "
            "or DISCORD_TOKEN; for the console on piped input use --platform console."
        )
    problems = settings.platform_problems(platforms)
    if problems:  # before the model loads: one line naming the setting
        common.fail("; ".join(problems))
    common.configure_logging(settings, console_level="WARNING" if platforms == ["console"] else None)
    if settings.workers > 1 and "KINDRED_WORKER" not in os.environ:  # the parent of the worker processes
        from bot.cli.workers import supervise

        raise typer.Exit(supervise(settings))
    from bot.bootstrap import prepare
    from bot.matching.embedder import ModelNotFoundError
    from bot.platforms.launcher import PlatformUnavailable, run_platforms

    kindred_app = common.load_app(settings)
    try:
        with common.progress() as progress:
            task = progress.add_task("Embedding new items", total=None)
            prepare(
                kindred_app, platforms, lambda done, total: progress.update(task, completed=done, total=total)
            )
        run_platforms(kindred_app, platforms)
    except (ModelNotFoundError, PlatformUnavailable) as exc:
        common.err.print(f"[red]{exc}[/red]")
        raise typer.Exit(2) from None
    except KeyboardInterrupt:
        common.err.print("Bye!")
    finally:
        kindred_app.close()
