"""A teacher's professional goal and what their private learning log says about it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True)
class Goal:
    id: int
    teacher_id: int
    text: str
    created_at: datetime
    framework: str | None = None
    component_code: str | None = None
    component_name: str | None = None

    @property
    def link_label(self) -> str | None:
        """ "3b Using questioning and discussion techniques" when linked."""
        if not self.component_code:
            return None
        return f"{self.component_code} {self.component_name or ''}".strip()


@dataclass(frozen=True)
class LogEntry:
    id: int
    goal_id: int
    text: str
    created_at: datetime


@dataclass(frozen=True)
class GoalProgress:
    goal: Goal
    weeks_active: int
    entries: int
    last_entry: LogEntry | None
