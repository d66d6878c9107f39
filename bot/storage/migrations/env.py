"""Alembic environment: runs on the connection handed over by ``bot.storage.migrate``."""

from __future__ import annotations

from alembic import context

from bot.storage.models import Base  # the package holds every table model

config = context.config
target_metadata = Base.metadata


def run_migrations() -> None:
    connection = config.attributes.get("connection")
    if connection is None:
        raise RuntimeError("Run migrations through `kindred db upgrade` (bot.storage.migrate.upgrade).")
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


run_migrations()
