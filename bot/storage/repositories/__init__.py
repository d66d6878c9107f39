"""Repositories: one per aggregate, each wrapping a SQLAlchemy session and returning domain dataclasses."""

from bot.storage.repositories.embeddings import EmbeddingRepository
from bot.storage.repositories.feedback import FeedbackRepository
from bot.storage.repositories.requests import RequestRepository
from bot.storage.repositories.resources import ResourceRepository
from bot.storage.repositories.teachers import TeacherRepository

__all__ = [
    "EmbeddingRepository",
    "FeedbackRepository",
    "RequestRepository",
    "ResourceRepository",
    "TeacherRepository",
]
