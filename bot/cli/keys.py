"""`kindred keys rotate`: a new identity key, every escrowed identity kept."""

from __future__ import annotations

from typing import Annotated

import typer

from bot.cli import common

keys_app = typer.Typer(help="Manage the identity key that seals who asked anonymously.")


@keys_app.command("rotate")
def rotate(
    new_key: Annotated[
        str | None, typer.Option("--new-key", help="use this Fernet key (e.g. from a secret store)")
    ] = None,
) -> None:
    """Re-seal every escrowed identity under a new key. Stop Kindred first; restart it afterwards."""
    from cryptography.fernet import Fernet

    from bot.anonymity.escrow import Escrow, EscrowUnavailable
    from bot.anonymity.keyfile import key_path, write_key_file
    from bot.anonymity.rotation import rotate_escrow
    from bot.storage.database import Database
    from bot.storage.migrate import upgrade

    settings = common.command_settings()
    path = key_path(settings.data_dir)
    old_key = settings.identity_key or (path.read_text().strip() if path.exists() else None)
    if not old_key:
        common.err.print(f"[red]No identity key yet (neither KINDRED_IDENTITY_KEY nor {path}).[/red]")
        raise typer.Exit(2)
    key = new_key or Fernet.generate_key().decode()
    try:
        Escrow(key)
    except EscrowUnavailable:
        common.err.print("[red]--new-key is not a valid Fernet key (32 url-safe base64-encoded bytes).[/red]")
        raise typer.Exit(2) from None
    pending = path.with_name(path.name + ".new")
    if not settings.identity_key:
        write_key_file(pending, key)  # on disk before the database changes: an interrupted run loses nothing
    db = Database.from_url(settings.database_url or "")
    try:
        upgrade(db.engine)
        report = rotate_escrow(db, old_key, key)
    except EscrowUnavailable as exc:
        pending.unlink(missing_ok=True)
        common.err.print(f"[red]Nothing changed: {exc}.[/red]")
        raise typer.Exit(1) from None
    finally:
        db.dispose()
    typer.echo(f"Re-sealed {report.identities} identities and {report.blocks} blocks with the new key.")
    if report.orphan_blocks:
        typer.echo(f"Dropped {report.orphan_blocks} blocks whose questions were already deleted.")
    if settings.identity_key:
        shown = "the key you passed" if new_key else key
        typer.echo(f"Now set KINDRED_IDENTITY_KEY to {shown} (the old key opens nothing any more).")
    else:
        pending.replace(path)
        typer.echo(f"New key written to {path}. Back it up with the database; old backups need the old key.")
