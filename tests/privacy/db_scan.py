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


def rows(db: Database) -> list[tuple[str, dict[str, object]]]:
    """(table, row as a mapping) for every row of every table."""
    metadata = MetaData()
    metadata.reflect(db.engine)
    with db.engine.connect() as connection:
        return [
            (table.name, dict(row))
            for table in metadata.sorted_tables
            for row in connection.execute(select(table)).mappings()
        ]


def links(db: Database, request_id: int, identity: set[str], teacher_ids: set[int]) -> list[str]:
    """Rows naming both a question and someone: a cell with one of ``identity`` (platform id, name) or a
    ``*teacher_id``/``asker_id`` column holding one of ``teacher_ids``, next to a ``*request_id`` column (or
    the ``help_requests`` row itself) equal to ``request_id``."""
    found = []
    for table, row in rows(db):
        about = row.get("id") == request_id if table == "help_requests" else False
        about = about or any(k.endswith("request_id") and v == request_id for k, v in row.items())
        if not about:
            continue
        texts = [str(v).lower() for v in row.values() if isinstance(v, str)]
        named = any(needle.lower() in t for needle in identity for t in texts)
        linked = any(
            (k.endswith("teacher_id") or k == "asker_id") and v in teacher_ids for k, v in row.items()
        )
        if named or linked:
            found.append(f"{table}: {row}")
    return found
