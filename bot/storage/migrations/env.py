"""Alembic environment: runs on the connection handed over by ``bot.storage.migrate``."""

from __future__ import annotations

from alembic import context

from bot.storage import (
    anonymity_models,  # noqa: F401  (anonymity tables join the metadata)
    followup_models,  # noqa: F401  (follow-up tables join the metadata)
    goal_models,  # noqa: F401  (preferences and goal tables join the metadata)
    intent_models,  # noqa: F401  (detector corrections: labelled embeddings)
    knowledge_models,  # noqa: F401  (answered questions, linked questions, ripple events)
    pack_models,  # noqa: F401  (pack tables join the metadata)
    slack_models,  # noqa: F401  (Slack tables join the metadata)
)
from bot.storage.models import Base

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
