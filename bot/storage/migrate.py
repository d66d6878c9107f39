"""Alembic from code: `kindred run` and `db upgrade` apply migrations, `kindred db revision` writes one."""

from __future__ import annotations

import logging
import re
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine

log = logging.getLogger(__name__)

MIGRATIONS_DIR = Path(__file__).parent / "migrations"


def alembic_config() -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    return config


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Bring the database schema to ``revision`` (idempotent); the migrations form one line."""
    config = alembic_config()
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, revision)
    log.info("database schema is up to date", extra={"revision": current_revision(engine)})


def current_heads(engine: Engine) -> tuple[str, ...]:
    with engine.connect() as connection:
        return tuple(sorted(MigrationContext.configure(connection).get_current_heads()))


def current_revision(engine: Engine) -> str | None:
    """The applied revision(s), comma-joined when several branches are applied."""
    return ",".join(current_heads(engine)) or None


def head_revisions() -> tuple[str, ...]:
    return tuple(sorted(ScriptDirectory.from_config(alembic_config()).get_heads()))


def next_revision_id(message: str) -> str:
    """``0016_short_slug``: the next number after the head, then the message's first words."""
    number = max(int(head.split("_", 1)[0]) for head in head_revisions()) + 1
    slug = "_".join(re.findall(r"[a-z0-9]+", message.lower())[:4]) or "revision"
    return f"{number:04d}_{slug}"


def new_revision(engine: Engine, message: str) -> Path:
    """Autogenerate a migration from the models against ``engine`` (brought to head first); its path."""
    upgrade(engine)
    config = alembic_config()
    config.set_main_option("file_template", "%%(rev)s")
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        script = command.revision(config, message, autogenerate=True, rev_id=next_revision_id(message))
    if script is None or isinstance(script, list):  # one head, one script: anything else is a broken line
        raise RuntimeError("alembic wrote no single revision")
    return Path(script.path)
