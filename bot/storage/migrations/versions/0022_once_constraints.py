"""Once-only writes guarded by the database, not a process-local lock: two Kindred processes on one
PostgreSQL can no longer both record the same thank-you or both answer the same ask reaction.

- ``ripple_events.once_key`` (unique) names what a ripple is once for. Existing rows get their key; of rows
  naming the same (kind, teacher, colleague, request, answer) the first keeps it. Later copies that still
  name both the colleague and the question are duplicates the old check should have refused, and go; the
  others stay without a key (a forgotten colleague or question is NULL there, so they may be distinct
  ripples that only look alike now).
- ``help_requests``: one ``reaction`` request per message (a partial unique index). Later duplicates are
  kept, relabelled ``reaction_repeat`` (still a question someone asked; the first one answers the thread);
  downgrade labels them ``reaction`` again.

Revision ID: 0022_once_constraints
Revises: 0021_quiet_channels
"""

import sqlalchemy as sa
from alembic import op

revision = "0022_once_constraints"
down_revision = "0021_quiet_channels"
branch_labels = None
depends_on = None

REACTION = "reaction"
REPEAT = "reaction_repeat"
_REACTION_ONLY = sa.text("source = 'reaction'")

ripples = sa.table(
    "ripple_events",
    sa.column("id", sa.Integer),
    sa.column("kind", sa.String),
    sa.column("teacher_id", sa.Integer),
    sa.column("colleague_id", sa.Integer),
    sa.column("request_id", sa.Integer),
    sa.column("answer_id", sa.Integer),
    sa.column("once_key", sa.String),
)
requests = sa.table(
    "help_requests",
    sa.column("id", sa.Integer),
    sa.column("platform", sa.String),
    sa.column("channel_id", sa.String),
    sa.column("message_id", sa.String),
    sa.column("source", sa.String),
)


def once_key(kind: str, teacher_id: int, *others: int | None) -> str:
    """As ``bot.storage.repositories.ripples.once_key`` writes it (copied: a migration stays as it was)."""
    return ":".join([kind, str(teacher_id), *("-" if value is None else str(value) for value in others)])


def upgrade() -> None:
    bind = op.get_bind()
    op.add_column("ripple_events", sa.Column("once_key", sa.String(length=120), nullable=True))
    seen: set[str] = set()
    keys: list[dict[str, object]] = []
    duplicates: list[int] = []
    rows = bind.execute(
        sa.select(
            ripples.c.id,
            ripples.c.kind,
            ripples.c.teacher_id,
            ripples.c.colleague_id,
            ripples.c.request_id,
            ripples.c.answer_id,
        ).order_by(ripples.c.id)
    ).all()
    for row_id, kind, teacher_id, colleague_id, request_id, answer_id in rows:
        key = once_key(kind, teacher_id, colleague_id, request_id, answer_id)
        if key not in seen:
            seen.add(key)
            keys.append({"row_id": row_id, "key": key})
        elif colleague_id is not None and request_id is not None:
            duplicates.append(row_id)
    if keys:
        bind.execute(
            sa.update(ripples)
            .where(ripples.c.id == sa.bindparam("row_id"))
            .values(once_key=sa.bindparam("key")),
            keys,
        )
    if duplicates:
        bind.execute(sa.delete(ripples).where(ripples.c.id.in_(duplicates)))
    op.create_index("uq_ripple_events_once", "ripple_events", ["once_key"], unique=True)

    first = (
        sa.select(sa.func.min(requests.c.id))
        .where(requests.c.source == REACTION)
        .group_by(requests.c.platform, requests.c.channel_id, requests.c.message_id)
        .scalar_subquery()
    )
    bind.execute(
        sa.update(requests)
        .where(
            requests.c.source == REACTION,
            requests.c.channel_id.is_not(None),
            requests.c.message_id.is_not(None),
            requests.c.id.not_in(first),
        )
        .values(source=REPEAT)
    )
    op.create_index(
        "uq_help_requests_reaction_once",
        "help_requests",
        ["platform", "channel_id", "message_id"],
        unique=True,
        sqlite_where=_REACTION_ONLY,
        postgresql_where=_REACTION_ONLY,
    )


def downgrade() -> None:
    op.drop_index("uq_help_requests_reaction_once", table_name="help_requests")
    op.execute(sa.update(requests).where(requests.c.source == REPEAT).values(source=REACTION))
    op.drop_index("uq_ripple_events_once", table_name="ripple_events")
    # SQLite (3.35+) drops a column in place, keeping the table (see 0020_roles).
    op.drop_column("ripple_events", "once_key")
