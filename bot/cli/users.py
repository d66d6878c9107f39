"""`kindred users export|forget`: a teacher's data on request."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from bot.cli import common

users_app = typer.Typer(help="Export or forget everything Kindred stores about one user.")

Platform = Annotated[str, typer.Option("--platform", help="slack, discord or console")]
User = Annotated[str, typer.Option("--user", help="the user's id on that platform")]


@users_app.command("export")
def export(
    platform: Platform,
    user: User,
    out: Annotated[Path | None, typer.Option("--out", help="write the JSON here instead of stdout")] = None,
) -> None:
    """Everything stored about one user, as JSON."""
    from bot.bootstrap import bootstrap
    from bot.privacy.user_data import export_user

    settings = common.command_settings()
    kindred_app = bootstrap(settings)  # reads the database only: the model is not loaded
    try:
        data = export_user(kindred_app.kindred.deps, kindred_app.kindred.registry.user_data, platform, user)
    finally:
        kindred_app.close()
    if data is None:
        common.err.print(f"[red]No user {user!r} on {platform}.[/red]")
        raise typer.Exit(1)
    text = json.dumps(data, indent=2, ensure_ascii=False)
    if out is None:
        typer.echo(text)
        return
    out.write_text(text + "\n", encoding="utf-8")
    typer.echo(f"Wrote {out}.")


@users_app.command("forget")
def forget(
    platform: Platform,
    user: User,
    yes: Annotated[bool, typer.Option("--yes", help="confirm: this cannot be undone")] = False,
) -> None:
    """Delete everything stored about one user (shared resources stay, without their name)."""
    from bot.privacy.user_data import forget_user

    if not yes:
        common.err.print("[red]This deletes the user's data for good; add --yes to confirm.[/red]")
        raise typer.Exit(2)

    settings = common.command_settings()
    kindred_app = common.load_app(settings)
    try:
        kindred_app.indexer.prepare()  # load the peer index, so removing them saves a complete index
        found = forget_user(kindred_app.kindred.deps, kindred_app.kindred.registry.user_data, platform, user)
    finally:
        kindred_app.close()
    if not found:
        common.err.print(f"[red]No user {user!r} on {platform}.[/red]")
        raise typer.Exit(1)
    typer.echo(f"Forgot {platform} user {user}.")
