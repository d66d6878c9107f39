"""Turns ranked suggestions into a neutral reply: cards, peers with reasons, buttons."""

from __future__ import annotations

from collections.abc import Mapping

from bot.domain.replies import Action, Button, PeerCard, Reply, ResourceCard
from bot.domain.vocabulary import grade_label, subject_label
from bot.handlers.ids import parse_id
from bot.matching.suggester import Suggestions

SUMMARY_CHARS = 140
EMPTY_LIBRARY = "I didn't find a resource on this in our library yet."


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
    request_id: int | None,
    suggestions: Suggestions,
    headline: str,
    notes: Mapping[int, list[str]] | None = None,
    ephemeral: bool = True,
    offer_post: bool = True,
    help_channel: str = "help",
) -> Reply:
    """``request_id`` None (anonymous answers): buttons carry the resource id only, so pressing them can
    never tie the presser to the question."""
    notes = notes or {}
    ids = (request_id,) if request_id is not None else ()
    cards = tuple(
        ResourceCard(
            resource_id=resource.id,
            title=resource.title,
            summary=one_line(resource.description),
            url=resource.url,
            context=" · ".join(
                p
                for p in (
                    resource.own_kind,
                    grade_label(resource.grades),
                    ", ".join(subject_label(s) for s in resource.subjects),
                )
                if p
            ),
            reason=match.reason,
            buttons=(
                Button("This helped", Action.HELPED, button_value(*ids, resource.id), "primary"),
                Button("Save", Action.SAVE, button_value(*ids, resource.id)),
                Button("Not relevant", Action.NOT_RELEVANT, button_value(*ids, resource.id)),
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
    if offer_post and request_id is not None:
        buttons = (
            Button(f"Post my question to #{help_channel}", Action.POST_TO_HELP, button_value(request_id)),
        )
    if not cards:
        headline = empty_state(bool(peers), offer_post, help_channel)
    return Reply(
        text=headline,
        resources=cards,
        peers=peers,
        buttons=buttons,
        ephemeral=ephemeral,
        request_id=request_id,
    )


def empty_state(has_peers: bool, offer_post: bool, help_channel: str) -> str:
    """Nothing cleared the relevance floor: say so, then who may know, posting, and ``/share``."""
    lines = [EMPTY_LIBRARY]
    if has_peers:
        lines.append("The kindred spirits below may know.")
    if offer_post:
        lines.append(f"You can post your question to #{help_channel} so everyone sees it.")
    lines.append("If you find a good one, `/share <link> | <why it's good>` adds it for the next teacher.")
    return "\n".join(lines)
