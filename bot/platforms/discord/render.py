"""Neutral ``Reply`` → Discord message parts (content, embeds, buttons), always within Discord's limits.

Layout: a short reply is plain content. A suggestion reply is one embed for the headline (footer
underneath), one embed per resource (linked title, one line, grades/subjects, why it fits, colleague
notes) and one embed of kindred spirits as ``<@id>`` mentions (mentions in embeds never ping). Each
resource gets a button row, numbered like its embed; the reply's own buttons share the last row(s).
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlparse

import discord

from bot.domain.markup import Style, plain_text
from bot.domain.markup import render as render_markup
from bot.domain.replies import Button, PeerCard, Reply, ResourceCard
from bot.platforms.discord.components import KindredButton, custom_id

log = logging.getLogger(__name__)

# https://discord.com/developers/docs/resources/message#embed-object-embed-limits and components docs
CONTENT_MAX = 2000
EMBEDS_MAX = 10
EMBED_TOTAL_MAX = 6000
TITLE_MAX = 256
DESCRIPTION_MAX = 4096
FIELDS_MAX = 25
FIELD_NAME_MAX = 256
FIELD_VALUE_MAX = 1024
FOOTER_MAX = 2048
ROWS_MAX = 5
BUTTONS_PER_ROW = 5
LABEL_MAX = 80
URL_MAX = 2048

COLOUR = discord.Colour(0x2E8B57)
PEERS_TITLE = "Kindred spirits who can help"

_ZWSP = "\u200b"
_MASS_MENTION = re.compile(r"@(everyone|here)", re.IGNORECASE)
_URL = re.compile(r"(https?://[^\s<]+[^<.,:;\"'\]\s])")  # discord.py's: URLs are shown as typed
_MARKUP = re.compile(r"[\\\[\]*_~`|]|^(?=[>#-])", re.MULTILINE)  # markdown that user text must not form
_STYLES = {"primary": discord.ButtonStyle.primary, "danger": discord.ButtonStyle.danger}


def neutralise(text: str) -> str:
    """User-written text made inert on Discord: ``<@id>``/``<#id>``/``<@&id>`` and ``<url|label>`` no longer
    parse, ``@everyone``/``@here`` don't ping, ``[label](url)`` masked links and ``*``/``_``/``~``/`` ` ``/
    ``|``/line-start ``>`` show as typed; a URL's own characters are left alone so it still opens."""
    text = text.replace("<", "<" + _ZWSP)
    text = _MASS_MENTION.sub(lambda m: "@" + _ZWSP + m.group(1), text)
    pieces = _URL.split(text)  # odd indexes are URLs
    return "".join(p if i % 2 else _MARKUP.sub(lambda m: "\\" + m.group(0), p) for i, p in enumerate(pieces))


def _link(url: str, label: str) -> str:
    if not _valid_url(url):
        return label
    return url if label == url else f"[{label}]({url})"


DISCORD = Style(
    bold=lambda s: f"**{s}**",
    italic=lambda s: f"_{s}_",
    link=_link,
    mention=lambda user_id: f"<@{user_id}>",
    escape=neutralise,
)


def discord_text(text: str) -> str:
    """Our neutral markup as Discord markdown, user-written parts neutralised."""
    return render_markup(text, DISCORD)


def clip(text: str, limit: int) -> str:
    """At most ``limit`` characters; cut text ends with an ellipsis."""
    if len(text) <= limit:
        return text
    if limit <= 1:
        return "…"[:limit]
    return text[: limit - 1].rstrip() + "…"


def mention(peer: PeerCard) -> str:
    return f"<@{peer.platform_user_id}>" if peer.platform_user_id.isdigit() else f"**{peer.name}**"


@dataclass
class Rendered:
    """What to pass to ``send``: use ``kwargs()`` so absent parts are omitted (webhooks reject None)."""

    content: str | None = None
    embeds: list[discord.Embed] = field(default_factory=list)
    view: discord.ui.View | None = None

    def kwargs(self) -> dict[str, Any]:
        out: dict[str, Any] = {"allowed_mentions": discord.AllowedMentions.none()}
        if self.content:
            out["content"] = self.content
        if self.embeds:
            out["embeds"] = self.embeds
        if self.view is not None:
            out["view"] = self.view
        return out

    def custom_ids(self) -> list[str]:
        if self.view is None:
            return []
        return [item.custom_id for item in self.view.children if isinstance(item, KindredButton)]


def render(reply: Reply) -> Rendered:
    text = discord_text(reply.text)
    reply_footer = discord_text(reply.footer)
    rendered = Rendered(view=_view(reply))
    if not reply.resources and not reply.peers:
        footer = reply_footer
        combined = "\n\n".join(p for p in (text, footer) if p)
        if len(combined) <= CONTENT_MAX:
            rendered.content = combined or None
            return rendered
    embeds: list[discord.Embed] = []
    if text or reply_footer:
        head = discord.Embed(description=clip(text, DESCRIPTION_MAX) or None, colour=COLOUR)
        if reply_footer:
            head.set_footer(text=clip(plain_text(reply.footer), FOOTER_MAX))  # footers show no markdown
        embeds.append(head)
    room = EMBEDS_MAX - len(embeds) - (1 if reply.peers else 0)
    embeds.extend(_resource_embed(n, card) for n, card in enumerate(reply.resources[:room], start=1))
    if reply.peers:
        embeds.append(_peers_embed(reply.peers))
    _fit_total(embeds)
    rendered.embeds = embeds
    return rendered


def _resource_embed(number: int, card: ResourceCard) -> discord.Embed:
    embed = discord.Embed(
        title=clip(f"{number}. {card.title}", TITLE_MAX),
        url=card.url if _valid_url(card.url) else None,
        description=clip(neutralise(card.summary), DESCRIPTION_MAX) or None,  # catalog data
        colour=COLOUR,
    )
    fields = [
        ("Grades & subjects", card.context, True),
        ("Why it fits", discord_text(card.reason), False),
        ("How colleagues adapted it", "\n".join(f"✎ {neutralise(n)}" for n in card.notes), False),
    ]
    for name, value, inline in fields:
        if value.strip():
            embed.add_field(name=name, value=clip(value, FIELD_VALUE_MAX), inline=inline)
    return embed


def _peers_embed(peers: tuple[PeerCard, ...]) -> discord.Embed:
    lines = [f"• {mention(p)} — {discord_text(p.reason)}" for p in peers]
    return discord.Embed(
        title=PEERS_TITLE, description=clip("\n".join(lines), DESCRIPTION_MAX), colour=COLOUR
    )


def _valid_url(url: str | None) -> bool:
    if not url or len(url) > URL_MAX:
        return False
    parsed = urlparse(url)
    return parsed.scheme in ("http", "https") and bool(parsed.netloc)


def _fit_total(embeds: list[discord.Embed]) -> None:
    """Shrink the longest description or field value until all embeds together fit in 6000 chars."""
    while (overflow := sum(len(e) for e in embeds) - EMBED_TOTAL_MAX) > 0:
        pieces: list[tuple[int, discord.Embed, int | None]] = []
        for embed in embeds:
            if embed.description:
                pieces.append((len(embed.description), embed, None))
            pieces.extend((len(f.value or ""), embed, i) for i, f in enumerate(embed.fields))
        size, embed, index = max(pieces, key=lambda p: p[0])
        if size <= 1:  # nothing left to shrink (cannot happen within the limits above)
            break
        keep = max(1, size - overflow)
        if index is None:
            embed.description = clip(embed.description or "", keep)
        else:
            f = embed.fields[index]
            embed.set_field_at(
                index, name=f.name or "", value=clip(f.value or "", keep), inline=bool(f.inline)
            )


def _view(reply: Reply) -> discord.ui.View | None:
    card_rows = [
        [_button(b, prefix=f"{n} · ") for b in card.buttons[:BUTTONS_PER_ROW]]
        for n, card in enumerate(reply.resources, start=1)
        if card.buttons
    ]
    own = [_button(b) for b in reply.buttons]
    own_rows = [own[i : i + BUTTONS_PER_ROW] for i in range(0, len(own), BUTTONS_PER_ROW)]
    kept = card_rows[: max(0, ROWS_MAX - len(own_rows))] + own_rows
    present = [[b for b in row if b is not None] for row in kept[:ROWS_MAX]]
    rows = [row for row in present if row]
    if len(card_rows) + len(own_rows) > ROWS_MAX:
        log.warning("discord reply had more button rows than fit; extra rows dropped")
    if not rows:
        return None
    view = discord.ui.View(timeout=None)
    for index, row in enumerate(rows):
        for spec in row:
            action, value, label, style = spec
            view.add_item(KindredButton(action, value, label=label, style=style, row=index))
    return view


def _button(button: Button, prefix: str = "") -> tuple[str, str, str, discord.ButtonStyle] | None:
    try:
        custom_id(str(button.action), button.value)
    except ValueError:
        log.warning("button dropped: its custom id would not fit", extra={"action": str(button.action)})
        return None
    label = clip(prefix + button.label, LABEL_MAX)
    return (
        str(button.action),
        button.value,
        label,
        _STYLES.get(button.style or "", discord.ButtonStyle.secondary),
    )
