"""The `kindred` command."""

from __future__ import annotations

import logging
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from bot.anonymity.cli import keys_app
from bot.insights.cli import report
from bot.matching.intent_cli import intent_app
from bot.privacy.cli import users_app
from bot.settings import PLATFORMS, Settings, SettingsError, load_settings

if TYPE_CHECKING:
    from bot.bootstrap import App

app = typer.Typer(
    help="Kindred: grab n' go resources and kindred-spirit colleagues for teachers.", no_args_is_help=True
)
resources_app = typer.Typer(help="Manage the resource catalog.")
teachers_app = typer.Typer(help="Manage teacher profiles.")
index_app = typer.Typer(help="Manage the vector indexes.")
db_app = typer.Typer(help="Manage the database schema.")
app.add_typer(resources_app, name="resources")
app.add_typer(teachers_app, name="teachers")
app.add_typer(index_app, name="index")
app.add_typer(db_app, name="db")
app.add_typer(users_app, name="users")  # export / forget one user's data
app.add_typer(intent_app, name="intent")  # train the help-request detector
app.command("report")(report)  # leader insights
app.add_typer(keys_app, name="keys")  # rotate the identity key of anonymous asking

err = Console(stderr=True)
log = logging.getLogger("bot.cli")


def _settings() -> Settings:
    try:
        return load_settings()
    except SettingsError as exc:
        _fail(str(exc))


def _fail(message: str) -> None:
    """One line on stderr (never wrapped), then exit 2."""
    err.print(f"[red]{message}[/red]", soft_wrap=True, markup=True, highlight=False)
    raise typer.Exit(2)


def _logging(settings: Settings, console_level: str | None = None) -> None:
    from bot.logging_setup import configure_logging

    configure_logging(settings.log_level, settings.data_dir / "kindred.log", console_level)


def _app(settings: Settings):  # type: ignore[no-untyped-def]
    from bot.bootstrap import bootstrap
    from bot.matching.embedder import ModelNotFoundError

    try:
        kindred_app = bootstrap(settings)
        load = getattr(kindred_app.embedder, "load", None)
        if load is not None:
            load()  # fail fast, naming the setting, before any work is done
        return kindred_app
    except ModelNotFoundError as exc:
        err.print(f"[red]{exc}[/red]")
        raise typer.Exit(2) from None


def _embed(kindred_app: App, progress: Progress, force_rebuild: bool = False) -> dict[str, int]:
    """Embed what is new (or everything) and bring the indexes up to date, with a progress bar."""
    task = progress.add_task("Embedding", total=None)
    return kindred_app.indexer.prepare(
        lambda done, total: progress.update(task, completed=done, total=total), force_rebuild=force_rebuild
    )


def _progress() -> Progress:
    return Progress(
        TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(), console=err
    )


@app.command()
def run(
    platform: Annotated[
        str | None,
        typer.Option(help="slack, discord or console (default: from the tokens set, console when none)"),
    ] = None,
) -> None:
    """Run the bot."""
    settings = _settings()
    platforms = [platform] if platform else settings.platforms()
    if any(p not in PLATFORMS for p in platforms):
        err.print(f"[red]Unknown platform {platform!r}; choose one of {', '.join(PLATFORMS)}.[/red]")
        raise typer.Exit(2)
    if platform is None and platforms == ["console"] and not sys.stdin.isatty():
        _fail(
            "No platform token set: set SLACK_BOT_TOKEN (with SLACK_SIGNING_SECRET or SLACK_APP_TOKEN) "
            "or DISCORD_TOKEN; for the console on piped input use --platform console."
        )
    problems = settings.platform_problems(platforms)
    if problems:  # before the model loads: one line naming the setting
        _fail("; ".join(problems))
    _logging(settings, console_level="WARNING" if platforms == ["console"] else None)
    from bot.bootstrap import prepare
    from bot.matching.embedder import ModelNotFoundError
    from bot.platforms.launcher import PlatformUnavailable, run_platforms

    kindred_app = _app(settings)
    try:
        with _progress() as progress:
            task = progress.add_task("Embedding new items", total=None)
            prepare(
                kindred_app, platforms, lambda done, total: progress.update(task, completed=done, total=total)
            )
        run_platforms(kindred_app, platforms)
    except ModelNotFoundError as exc:
        err.print(f"[red]{exc}[/red]")
        raise typer.Exit(2) from None
    except PlatformUnavailable as exc:
        err.print(f"[red]{exc}[/red]")
        raise typer.Exit(2) from None
    except KeyboardInterrupt:
        err.print("Bye!")
    finally:
        kindred_app.close()


def _directory(settings: Settings):  # type: ignore[no-untyped-def]
    """Slack's member directory when a bot token is set (resolves ``email`` columns at import)."""
    if not settings.slack_bot_token:
        return None
    from bot.platforms.slack.directory import SlackDirectory

    return SlackDirectory.connect(settings.slack_bot_token, settings.slack_api_url)


def _import(kind: str, path: Path) -> None:
    settings = _settings()
    _logging(settings, console_level="ERROR")
    if not path.exists():
        err.print(f"[red]No such file: {path}[/red]")
        raise typer.Exit(2)
    from bot.importing.importer import import_resources, import_teachers

    kindred_app = _app(settings)
    try:
        with _progress() as progress:
            task = progress.add_task(f"Importing {kind}", total=None)
            advance = lambda: progress.advance(task)  # noqa: E731
            if kind == "resources":
                report = import_resources(kindred_app.db, path, advance)
            else:
                report = import_teachers(kindred_app.db, path, advance, _directory(settings))
            _embed(kindred_app, progress)
    except ValueError as exc:
        err.print(f"[red]{exc}[/red]")
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
    settings = _settings()
    _logging(settings, console_level="ERROR")
    from bot.importing.directory import DISCORD_HAS_NO_LOOKUP, DirectoryError
    from bot.importing.sync import sync_members

    if platform == "discord":
        err.print(f"[red]{DISCORD_HAS_NO_LOOKUP}[/red]")
        raise typer.Exit(2)
    if platform != "slack":
        err.print(f"[red]Unknown platform {platform!r}: members can be synced from slack.[/red]")
        raise typer.Exit(2)
    directory = _directory(settings)
    if directory is None:
        err.print("[red]SLACK_BOT_TOKEN is not set: it is needed to read the workspace's members.[/red]")
        raise typer.Exit(2)
    kindred_app = _app(settings)
    try:
        with _progress() as progress:
            task = progress.add_task("Syncing Slack members", total=None)
            report = sync_members(kindred_app.db, directory, lambda n: progress.update(task, completed=n))
            _embed(kindred_app, progress)
    except DirectoryError as exc:
        err.print(f"[red]{exc}[/red]")
        raise typer.Exit(2) from None
    finally:
        kindred_app.close()
    typer.echo(report.summary("Slack"))


@index_app.command("rebuild")
def index_rebuild() -> None:
    """Re-embed what changed and rebuild both indexes from stored vectors."""
    settings = _settings()
    _logging(settings, console_level="ERROR")
    kindred_app = _app(settings)
    try:
        with _progress() as progress:
            sizes = _embed(kindred_app, progress, force_rebuild=True)
    finally:
        kindred_app.close()
    typer.echo(f"Rebuilt: {sizes['resource']} resources, {sizes['teacher']} teachers.")


@db_app.command("upgrade")
def db_upgrade() -> None:
    """Apply database migrations."""
    settings = _settings()
    _logging(settings, console_level="ERROR")
    from bot.storage.database import Database
    from bot.storage.migrate import current_revision, upgrade

    db = Database.from_url(settings.database_url or "")
    try:
        upgrade(db.engine)
        typer.echo(f"Database at revision {current_revision(db.engine)}.")
    finally:
        db.dispose()


@app.command()
def stats() -> None:
    """Counts of teachers, resources and requests."""
    settings = _settings()
    _logging(settings, console_level="ERROR")
    from bot.storage.database import Database
    from bot.storage.intent_corrections import IntentCorrectionRepository
    from bot.storage.migrate import upgrade
    from bot.storage.repositories import RequestRepository, ResourceRepository, TeacherRepository

    db = Database.from_url(settings.database_url or "")
    try:
        upgrade(db.engine)
        with db.session() as session:
            typer.echo(f"teachers:  {TeacherRepository(session).count()}")
            typer.echo(f"resources: {ResourceRepository(session).count()}")
            typer.echo(f"requests:  {RequestRepository(session).count()}")
            corrections = IntentCorrectionRepository(session).counts()
            typer.echo(
                "detector corrections: "
                + ", ".join(f"{kind.replace('_', ' ')} {n}" for kind, n in corrections.items())
            )
    finally:
        db.dispose()


def main() -> None:
    try:
        app()
    except SettingsError as exc:
        err.print(f"[red]{exc}[/red]")
        sys.exit(2)


if __name__ == "__main__":
    main()
