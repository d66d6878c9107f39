"""Read every row of every table in the live schema, for "is it stored anywhere?" assertions."""

from sqlalchemy import MetaData, inspect, select

from bot.storage.database import Database


def all_cells(db: Database) -> list[tuple[str, str, str]]:
    """(table, column, value as text) for every non-null cell of every table."""
    cells = []
    metadata = MetaData()
    metadata.reflect(db.engine)
    with db.engine.connect() as connection:
        for table in metadata.sorted_tables:
            for row in connection.execute(select(table)).mappings():
                for column, value in row.items():
                    if value is None:
                        continue
                    text = value.decode("latin-1") if isinstance(value, bytes) else str(value)
                    cells.append((table.name, column, text))
    return cells


def tables(db: Database) -> set[str]:
    return set(inspect(db.engine).get_table_names())


def where(db: Database, needle: str) -> list[tuple[str, str]]:
    """Where ``needle`` (case-insensitive) appears: (table, column) pairs."""
    needle = needle.lower()
    return sorted({(t, c) for t, c, text in all_cells(db) if needle in text.lower()})
