"""The `kindred` command: a typer app assembled from one module per command group."""

from __future__ import annotations

import sys

import typer

from bot.cli import catalog, db, intent, keys, report, run, stats, users
from bot.cli.common import err
from bot.settings import SettingsError

app = typer.Typer(
    help="Kindred: grab n' go resources and kindred-spirit colleagues for teachers.", no_args_is_help=True
)
app.command("run")(run.run)
app.add_typer(catalog.resources_app, name="resources")
app.add_typer(catalog.teachers_app, name="teachers")
app.add_typer(catalog.index_app, name="index")
app.add_typer(db.db_app, name="db")  # upgrade; revision for maintainers
app.add_typer(users.users_app, name="users")  # export / forget one user's data
app.add_typer(intent.intent_app, name="intent")  # train the help-request detector
app.command("report")(report.report)  # leader insights
app.add_typer(keys.keys_app, name="keys")  # rotate the identity key of anonymous asking
app.command("stats")(stats.stats)


def main() -> None:
    try:
        app()
    except SettingsError as exc:
        err.print(f"[red]{exc}[/red]")
        sys.exit(2)
