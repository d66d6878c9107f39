"""Turns ranked suggestions into a neutral reply: cards, peers with reasons, buttons."""

from __future__ import annotations

from collections.abc import Mapping

from bot.domain.replies import Action, Button, PeerCard, Reply, ResourceCard
from bot.domain.vocabulary import grade_label, subject_label
from bot.handlers.ids import parse_id
from bot.matching.suggester import Suggestions

SUMMARY_CHARS = 140


def button_value(*ids: int | str) -> str:
    """Button values carry ids only (never message text), so they survive restarts and leak nothing."""
    return ":".join(str(i) for i in ids)


def parse_button_value(value: str) -> list[int]:
    """Inverse of ``button_value``; raises ValueError on tampered or malformed values."""
    parts = value.split(":")
    ids = [parse_id(p) if p.isdigit() else None for p in parts]
    if not parts or None in ids:
        raise ValueError("malformed button value")
    return [i for i in ids if i is not None]


def one_line(text: str, limit: int = SUMMARY_CHARS) -> str:
    """First sentence, trimmed to ``limit`` characters at a word boundary."""
    text = " ".join(text.split())
    first = text.split(". ")[0].rstrip(".")
    if len(first) <= limit:
        return first + ("." if first else "")
    return first[: limit - 1].rsplit(" ", 1)[0] + "…"


def build_suggestion_reply(
    request_id: int,
    suggestions: Suggestions,
    headline: str,
    notes: Mapping[int, list[str]] | None = None,
    ephemeral: bool = True,
    offer_post: bool = True,
    help_channel: str = "help",
) -> Reply:
    notes = notes or {}
    cards = tuple(
        ResourceCard(
            resource_id=resource.id,
            title=resource.title,
            summary=one_line(resource.description),
            url=resource.url,
            context=" · ".join(
                p
                for p in (
                    grade_label(resource.grades),
                    ", ".join(subject_label(s) for s in resource.subjects),
                )
                if p
            ),
            reason=match.reason,
            buttons=(
                Button("This helped", Action.HELPED, button_value(request_id, resource.id), "primary"),
                Button("Save", Action.SAVE, button_value(request_id, resource.id)),
                Button("Not relevant", Action.NOT_RELEVANT, button_value(request_id, resource.id)),
            ),
            notes=tuple(notes.get(resource.id, ())),
        )
        for match, resource in suggestions.resources
    )
    peers = tuple(
        PeerCard(teacher_id=t.id, platform_user_id=t.platform_user_id, name=t.name, reason=match.reason)
        for match, t in suggestions.peers
    )
    buttons: tuple[Button, ...] = ()
    if offer_post:
        buttons = (
            Button(f"Post my question to #{help_channel}", Action.POST_TO_HELP, button_value(request_id)),
        )
    if not cards and not peers:
        headline += (
            "\nI couldn't find a close match yet — posting it to the help channel is the best next step."
        )
    return Reply(
        text=headline,
        resources=cards,
        peers=peers,
        buttons=buttons,
        ephemeral=ephemeral,
        request_id=request_id,
    )
