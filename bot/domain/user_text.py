"""Marks text a user wrote inside a bot message, so each renderer can make it inert for its platform.

Handlers wrap user-written parts with ``user_text(...)`` (question text, answers, names). The renderers of
:mod:`bot.domain.markup` lift these spans out before they read Kindred's own markup and escape them their
own way (Slack: ``&<>``; Discord: mentions, @everyone, markdown, masked links); plain-text outputs call
``plain``. The markers are Unicode private-use characters that a user cannot smuggle in: ``user_text``
strips them from its input.
"""

from __future__ import annotations

OPEN, CLOSE = "\ue000", "\ue001"


def strip_marks(text: str) -> str:
    return text.replace(OPEN, "").replace(CLOSE, "")


def user_text(text: str) -> str:
    """``text`` as user-written: escaped by whichever renderer shows it."""
    return f"{OPEN}{strip_marks(text)}{CLOSE}"


def plain(text: str) -> str:
    """For plain-text outputs (console, logs of our own words): markers removed, text unchanged."""
    return strip_marks(text)
