"""`kindred stats`: counts of what is stored."""

from __future__ import annotations

import typer

from bot.cli import common


def stats() -> None:
    """Counts of teachers, resources and requests."""
    from bot.storage.intent_corrections import IntentCorrectionRepository
    from bot.storage.repositories import RequestRepository, ResourceRepository, TeacherRepository

    with common.upgraded_database(common.command_settings()) as db, db.session() as session:
        typer.echo(f"teachers:  {TeacherRepository(session).count()}")
        typer.echo(f"resources: {ResourceRepository(session).count()}")
        typer.echo(f"requests:  {RequestRepository(session).count()}")
        corrections = IntentCorrectionRepository(session).counts()
        counts = ", ".join(f"{kind.replace('_', ' ')} {n}" for kind, n in corrections.items())
        typer.echo(f"detector corrections: {counts}")
