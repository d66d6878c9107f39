"""What every `kindred` command shares: settings, logging, the wired app, errors and progress on stderr."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, NoReturn

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from bot.settings import Settings, SettingsError, load_settings

if TYPE_CHECKING:
    from bot.bootstrap import App
    from bot.storage.database import Database

err = Console(stderr=True)


def fail(message: str, code: int = 2) -> NoReturn:
    """One line on stderr (never wrapped), then exit with ``code``."""
    err.print(f"[red]{message}[/red]", soft_wrap=True, markup=True, highlight=False)
    raise typer.Exit(code)


def settings() -> Settings:
    try:
        return load_settings()
    except SettingsError as exc:
        fail(str(exc))


def configure_logging(settings: Settings, console_level: str | None = None) -> None:
    from bot.logging_setup import configure_logging as configure

    configure(settings.log_level, settings.data_dir / "kindred.log", console_level)


def command_settings() -> Settings:
    """The settings of a maintenance command, with only errors on the console."""
    loaded = settings()
    configure_logging(loaded, console_level="ERROR")
    return loaded


def load_app(settings: Settings) -> App:
    """The wired app with its model loaded (fails fast, naming the setting, before any work is done)."""
    from bot.bootstrap import bootstrap
    from bot.matching.embedder import ModelNotFoundError

    try:
        kindred_app = bootstrap(settings)
        load = getattr(kindred_app.embedder, "load", None)
        if load is not None:
            load()
        return kindred_app
    except ModelNotFoundError as exc:
        err.print(f"[red]{exc}[/red]")
        raise typer.Exit(2) from None


@contextmanager
def upgraded_database(settings: Settings) -> Iterator[Database]:
    """The configured database with its schema brought up to date, disposed afterwards."""
    from bot.storage.database import Database
    from bot.storage.migrate import upgrade

    db = Database.from_url(settings.database_url or "")
    try:
        upgrade(db.engine)
        yield db
    finally:
        db.dispose()


def progress() -> Progress:
    return Progress(
        TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(), console=err
    )


def embed(kindred_app: App, progress: Progress, force_rebuild: bool = False) -> dict[str, int]:
    """Embed what is new (or everything) and bring the indexes up to date, with a progress bar."""
    task = progress.add_task("Embedding", total=None)
    return kindred_app.indexer.prepare(
        lambda done, total: progress.update(task, completed=done, total=total), force_rebuild=force_rebuild
    )
