"""Stored embeddings and the change feed every index process follows."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    Boolean,
    Integer,
    LargeBinary,
    String,
)
from sqlalchemy.orm import Mapped, mapped_column

from bot.storage.models.base import Base, utcnow


class EmbeddingRow(Base):
    """A stored float32 vector, so indexes can be rebuilt without re-embedding."""

    __tablename__ = "embeddings"

    kind: Mapped[str] = mapped_column(String(16), primary_key=True)  # resource | teacher
    item_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    model: Mapped[str] = mapped_column(String(200), primary_key=True)
    dim: Mapped[int] = mapped_column(Integer)
    text_hash: Mapped[str] = mapped_column(String(64))
    vector: Mapped[bytes] = mapped_column(LargeBinary)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class IndexChangeRow(Base):
    """The change feed: one row per stored vector written or removed, so every process can bring its
    FAISS indexes up to date by reading the rows after its watermark (``removed``: gone for every model)."""

    __tablename__ = "index_changes"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    kind: Mapped[str] = mapped_column(String(16))
    item_id: Mapped[int] = mapped_column(Integer)
    model: Mapped[str | None] = mapped_column(String(200), default=None)
    removed: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class RowChangeRow(Base):
    """One row per insert, update or delete of a resource or teacher, written by database triggers (so no
    write path can forget it): each process's cache of those rows drops what changed (``row_cache``)."""

    __tablename__ = "row_changes"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    table_name: Mapped[str] = mapped_column(String(32))
    item_id: Mapped[int] = mapped_column(Integer)
