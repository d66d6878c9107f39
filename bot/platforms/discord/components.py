"""Discord UI pieces: persistent buttons (custom ids ``kindred:<action>:<ids>``) and the two modals.

Buttons are ``DynamicItem``s: the state lives in the custom id, so a button on a message sent before a
restart still works. Callbacks only parse and forward; the client does the work (see ``client.py``).
"""

from __future__ import annotations

import logging
import re
from collections.abc import Awaitable, Callable, Mapping
from typing import Any

import discord

log = logging.getLogger(__name__)

CUSTOM_ID_PREFIX = "kindred"
CUSTOM_ID_MAX = 100
# Actions are snake_case words; values are ids joined by ":" (see bot.handlers.suggestion_reply.button_value).
CUSTOM_ID_TEMPLATE = re.compile(rf"{CUSTOM_ID_PREFIX}:(?P<action>[a-z_]{{1,32}}):(?P<value>[0-9:]{{1,60}})")

OnSubmit = Callable[[discord.Interaction, dict[str, str]], Awaitable[None]]


def custom_id(action: str, value: str) -> str:
    """``kindred:helped:12:44``; raises ValueError when it would not round-trip or exceeds 100 chars."""
    cid = f"{CUSTOM_ID_PREFIX}:{action}:{value}"
    if len(cid) > CUSTOM_ID_MAX or CUSTOM_ID_TEMPLATE.fullmatch(cid) is None:
        raise ValueError(f"cannot encode button {action!r} / {value!r} as a custom id")
    return cid


def parse_custom_id(cid: str) -> tuple[str, str] | None:
    match = CUSTOM_ID_TEMPLATE.fullmatch(cid)
    return (match["action"], match["value"]) if match else None


class KindredButton(discord.ui.DynamicItem[discord.ui.Button], template=CUSTOM_ID_TEMPLATE):
    """One of Kindred's buttons. Re-created from its custom id on every press, across restarts."""

    def __init__(
        self,
        action: str,
        value: str,
        label: str = "…",
        style: discord.ButtonStyle = discord.ButtonStyle.secondary,
        row: int | None = None,
    ) -> None:
        super().__init__(
            discord.ui.Button(label=label, style=style, custom_id=custom_id(action, value)),
            row=row,
        )
        self.action = action
        self.value = value

    @classmethod
    async def from_custom_id(  # type: ignore[override]
        cls, interaction: discord.Interaction, item: discord.ui.Button, match: re.Match[str], /
    ) -> KindredButton:
        return cls(match["action"], match["value"], label=item.label or "…", style=item.style)

    async def callback(self, interaction: discord.Interaction) -> None:
        router: Any = interaction.client
        if not hasattr(router, "on_kindred_button"):
            log.warning("kindred button pressed on a client that cannot route it")
            return
        await router.on_kindred_button(interaction, self.action, self.value)


def _input(
    custom_id: str,
    label: str,
    description: str,
    placeholder: str,
    *,
    required: bool = True,
    default: str | None = None,
    paragraph: bool = False,
    max_length: int = 200,
) -> tuple[discord.ui.Label, discord.ui.TextInput]:
    text_input: discord.ui.TextInput = discord.ui.TextInput(
        custom_id=custom_id,
        style=discord.TextStyle.paragraph if paragraph else discord.TextStyle.short,
        placeholder=placeholder[:100],
        default=(default or None) and default[:max_length],
        required=required,
        max_length=max_length,
    )
    return discord.ui.Label(text=label[:45], description=description[:100], component=text_input), text_input


class _FormModal(discord.ui.Modal):
    """A modal whose non-empty answers go to ``on_submit_options`` as {field: text}."""

    def __init__(self, title: str, on_submit_options: OnSubmit, on_failure: OnSubmit) -> None:
        super().__init__(title=title[:45], timeout=900)
        self._on_submit_options = on_submit_options
        self._on_failure = on_failure
        self.inputs: dict[str, discord.ui.TextInput] = {}

    def add_input(self, label: discord.ui.Label, text_input: discord.ui.TextInput) -> None:
        self.add_item(label)
        self.inputs[text_input.custom_id] = text_input

    def answers(self) -> dict[str, str]:
        return {name: field.value.strip() for name, field in self.inputs.items() if field.value.strip()}

    async def on_submit(self, interaction: discord.Interaction, /) -> None:
        await self._on_submit_options(interaction, self.answers())

    async def on_error(self, interaction: discord.Interaction, error: Exception, /) -> None:  # type: ignore[override]
        log.error("discord modal failed", exc_info=error)
        await self._on_failure(interaction, {})


class ProfileModal(_FormModal):
    """Onboarding: subjects, grades, roles, interests → ``/kindred profile`` with structured options."""

    def __init__(
        self, on_submit_options: OnSubmit, on_failure: OnSubmit, current: Mapping[str, str] | None = None
    ) -> None:
        super().__init__("What do you teach?", on_submit_options, on_failure)
        current = current or {}
        self.add_input(
            *_input(
                "subjects",
                "Subjects",
                "Comma-separated, e.g. math, science",
                "math, science",
                default=current.get("subjects"),
            )
        )
        self.add_input(
            *_input(
                "grades",
                "Grades",
                "Comma-separated, e.g. K, 4, 5 or 9-12",
                "4, 5",
                default=current.get("grades"),
            )
        )
        self.add_input(
            *_input(
                "roles",
                "Specialist roles (optional)",
                "If you have one: special education, ELL, counselor, coach…; separate with ;",
                "special education; instructional coach",
                required=False,
                default=current.get("roles"),
                max_length=200,
            )
        )
        self.add_input(
            *_input(
                "interests",
                "Interests (optional)",
                "What you love teaching or want to learn; separate with ;",
                "manipulatives; number talks",
                required=False,
                default=current.get("interests"),
                paragraph=True,
                max_length=500,
            )
        )


class ShareModal(_FormModal):
    """``/share``: link, title, why it's good, grades, subjects → ``share`` with structured options."""

    def __init__(self, on_submit_options: OnSubmit, on_failure: OnSubmit) -> None:
        super().__init__("Share a resource", on_submit_options, on_failure)
        self.add_input(
            *_input(
                "url",
                "Link (optional)",
                "Where colleagues can grab it",
                "https://…",
                required=False,
                max_length=500,
            )
        )
        self.add_input(
            *_input(
                "title",
                "Title (optional if you give a link)",
                "A short name colleagues will recognise",
                "Fraction strips",
                required=False,
                max_length=200,
            )
        )
        self.add_input(
            *_input(
                "why",
                "Why it's good",
                "One line is plenty",
                "My 4th graders finally got equivalence",
                paragraph=True,
                max_length=1000,
            )
        )
        self.add_input(
            *_input(
                "grades", "Grades (optional)", "Comma-separated", "3, 4, 5", required=False, max_length=100
            )
        )
        self.add_input(
            *_input(
                "subjects", "Subjects (optional)", "Comma-separated", "math", required=False, max_length=100
            )
        )
