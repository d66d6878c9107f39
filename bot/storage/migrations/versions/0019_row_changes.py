"""row_changes: a feed of resource and teacher row changes, written by triggers.

Every insert, update or delete of a ``resources`` or ``teachers`` row appends its id, inside the writing
transaction, whatever code path wrote it; each process keeps those rows in memory for the question path and
drops the ones that changed (``bot/storage/repositories/row_cache.py``).

Revision ID: 0019_row_changes
Revises: 0018_scope
"""

import sqlalchemy as sa
from alembic import op

revision = "0019_row_changes"
down_revision = "0018_scope"
branch_labels = None
depends_on = None

TABLES = ("resources", "teachers")
EVENTS = ("INSERT", "UPDATE", "DELETE")


def upgrade() -> None:
    op.create_table(
        "row_changes",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("table_name", sa.String(32), nullable=False),
        sa.Column("item_id", sa.Integer(), nullable=False),
    )
    if op.get_bind().dialect.name == "postgresql":
        op.execute(
            """
            CREATE FUNCTION kindred_row_changed() RETURNS trigger AS $$
            BEGIN
                INSERT INTO row_changes (table_name, item_id)
                VALUES (TG_TABLE_NAME, CASE WHEN TG_OP = 'DELETE' THEN OLD.id ELSE NEW.id END);
                RETURN NULL;
            END
            $$ LANGUAGE plpgsql
            """
        )
        for table in TABLES:
            op.execute(
                f"CREATE TRIGGER {table}_row_changed AFTER INSERT OR UPDATE OR DELETE ON {table} "
                "FOR EACH ROW EXECUTE FUNCTION kindred_row_changed()"
            )
        return
    for table in TABLES:
        for event in EVENTS:
            row = "OLD" if event == "DELETE" else "NEW"
            op.execute(
                f"CREATE TRIGGER {table}_row_changed_{event.lower()} AFTER {event} ON {table} "
                f"BEGIN INSERT INTO row_changes (table_name, item_id) VALUES ('{table}', {row}.id); END"
            )


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        for table in TABLES:
            op.execute(f"DROP TRIGGER IF EXISTS {table}_row_changed ON {table}")
        op.execute("DROP FUNCTION IF EXISTS kindred_row_changed()")
    else:
        for table in TABLES:
            for event in EVENTS:
                op.execute(f"DROP TRIGGER IF EXISTS {table}_row_changed_{event.lower()}")
    op.drop_table("row_changes")
