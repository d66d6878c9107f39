"""Stores and reads detector corrections (embeddings with a 0/1 label; no text, no user)."""

from __future__ import annotations

import numpy as np
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bot.domain.requests import RequestStatus
from bot.storage.models import MISSED_REQUEST, NOT_A_QUESTION, HelpRequestRow, IntentCorrectionRow

__all__ = ["MISSED_REQUEST", "NOT_A_QUESTION", "IntentCorrectionRepository", "forget_request_text"]

LABEL = {NOT_A_QUESTION: 0, MISSED_REQUEST: 1}
NOT_A_QUESTION_TEXT = "[not a question]"


def forget_request_text(session: Session, request_id: int) -> None:
    """A message marked "Not a question" was chatter: its stored text goes and the request closes."""
    row = session.get(HelpRequestRow, request_id)
    if row is not None:
        row.text = NOT_A_QUESTION_TEXT
        row.status = RequestStatus.CLOSED.value
        session.flush()


class IntentCorrectionRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def forget_request_text(self, request_id: int) -> None:
        """A message marked "Not a question" was chatter: its stored text goes and the request closes."""
        forget_request_text(self.session, request_id)

    def add(self, platform: str, kind: str, vector: np.ndarray, model: str) -> None:
        self.session.add(
            IntentCorrectionRow(
                platform=platform,
                kind=kind,
                label=LABEL[kind],
                model=model,
                vector=np.asarray(vector, dtype=np.float32).tobytes(),
            )
        )
        self.session.flush()

    def counts(self) -> dict[str, int]:
        rows = self.session.execute(
            select(IntentCorrectionRow.kind, func.count()).group_by(IntentCorrectionRow.kind)
        )
        found = {kind: count for kind, count in rows}
        return {kind: found.get(kind, 0) for kind in LABEL}

    def training_rows(self, model: str) -> list[tuple[list[float], int]]:
        """(vector, label) for corrections embedded by ``model``, oldest first."""
        rows = self.session.scalars(
            select(IntentCorrectionRow)
            .where(IntentCorrectionRow.model == model)
            .order_by(IntentCorrectionRow.id)
        )
        return [(np.frombuffer(r.vector, dtype=np.float32).tolist(), r.label) for r in rows]
