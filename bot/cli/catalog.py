"""`kindred resources|teachers import`, `teachers sync` and `index rebuild`: fill the catalog, then embed."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from bot.cli import common
from bot.settings import Settings

if TYPE_CHECKING:
    from bot.platforms.slack.directory import SlackDirectory

resources_app = typer.Typer(help="Manage the resource catalog.")
teachers_app = typer.Typer(help="Manage teacher profiles.")
index_app = typer.Typer(help="Manage the vector indexes.")


def _directory(settings: Settings) -> SlackDirectory | None:
    """Slack's member directory when a bot token is set (resolves ``email`` columns at import)."""
    if not settings.slack_bot_token:
        return None
    from bot.platforms.slack.directory import SlackDirectory

    return SlackDirectory.connect(settings.slack_bot_token, settings.slack_api_url)


def _import(kind: str, path: Path) -> None:
    settings = common.command_settings()
    if not path.exists():
        common.err.print(f"[red]No such file: {path}[/red]")
        raise typer.Exit(2)
    from bot.importing.importer import import_resources, import_teachers

    kindred_app = common.load_app(settings)
    try:
        with common.progress() as progress:
            task = progress.add_task(f"Importing {kind}", total=None)
            advance = lambda: progress.advance(task)  # noqa: E731
            if kind == "resources":
                report = import_resources(kindred_app.db, path, advance)
            else:
                report = import_teachers(kindred_app.db, path, advance, _directory(settings))
            common.embed(kindred_app, progress)
    except ValueError as exc:
        common.err.print(f"[red]{exc}[/red]")
        raise typer.Exit(2) from None
    finally:
        kindred_app.close()
    typer.echo(report.summary(f"{path.name} ({kind})"))
    if not report.ok:
        raise typer.Exit(1)


@resources_app.command("import")
def resources_import(path: Path) -> None:
    """Import resources from JSONL or CSV (see index/README.md). Re-importing updates in place."""
    _import("resources", path)


@teachers_app.command("import")
def teachers_import(path: Path) -> None:
    """Import teacher profiles from JSONL or CSV (see index/README.md)."""
    _import("teachers", path)


@teachers_app.command("sync")
def teachers_sync(
    platform: Annotated[str, typer.Option(help="slack (Discord has no member directory for this)")] = "slack",
) -> None:
    """Add the workspace's members (not bots or deactivated users) as teachers; existing ones untouched."""
    settings = common.command_settings()
    from bot.importing.directory import DISCORD_HAS_NO_LOOKUP, DirectoryError
    from bot.importing.sync import sync_members

    if platform == "discord":
        common.err.print(f"[red]{DISCORD_HAS_NO_LOOKUP}[/red]")
        raise typer.Exit(2)
    if platform != "slack":
        common.err.print(f"[red]Unknown platform {platform!r}: members can be synced from slack.[/red]")
        raise typer.Exit(2)
    directory = _directory(settings)
    if directory is None:
        common.fail("SLACK_BOT_TOKEN is not set: it is needed to read the workspace's members.")
    kindred_app = common.load_app(settings)
    try:
        with common.progress() as progress:
            task = progress.add_task("Syncing Slack members", total=None)
            report = sync_members(kindred_app.db, directory, lambda n: progress.update(task, completed=n))
            common.embed(kindred_app, progress)
    except DirectoryError as exc:
        common.err.print(f"[red]{exc}[/red]")
        raise typer.Exit(2) from None
    finally:
        kindred_app.close()
    typer.echo(report.summary("Slack"))


@index_app.command("rebuild")
def index_rebuild() -> None:
    """Re-embed what changed and rebuild both indexes from stored vectors."""
    settings = common.command_settings()
    kindred_app = common.load_app(settings)
    try:
        with common.progress() as progress:
            sizes = common.embed(kindred_app, progress, force_rebuild=True)
    finally:
        kindred_app.close()
    typer.echo(f"Rebuilt: {sizes['resource']} resources, {sizes['teacher']} teachers.")
