"""Neutral ``Reply`` -> Slack Block Kit, always within Slack's limits.

Limits honoured (https://api.slack.com/reference/block-kit): at most 50 blocks per message, 3000 characters
per section/context text, 75 per button label, 2000 per button value, 255 per action_id (unique per block),
25 elements per actions block, 10 per context block. Anything longer is cut with "…"; anything beyond the
block budget is summarised in a last context block, so a reply degrades but never fails to post.
"""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Any

from bot.domain.markup import Style, render
from bot.domain.replies import Button, PeerCard, Reply, ResourceCard

MAX_BLOCKS = 50
MAX_TEXT = 3000
MAX_FALLBACK_TEXT = 3000
MAX_BUTTON_LABEL = 75
MAX_BUTTON_VALUE = 2000
MAX_ACTION_ID = 255
MAX_ACTIONS_PER_BLOCK = 25
MAX_URL = 3000
ACTION_PREFIX = "kindred"

_SLACK_USER_ID = re.compile(r"^[UW][A-Z0-9]{2,}$")
Block = dict[str, Any]


def escape(text: str) -> str:
    """Escape the three characters Slack's mrkdwn treats as control characters."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def action_id(action: str, index: int) -> str:
    """``kindred.<action>.<n>``: routable by prefix, unique within a message."""
    return clip(f"{ACTION_PREFIX}.{action}.{index}", MAX_ACTION_ID)


def parse_action_id(value: str) -> str | None:
    parts = value.split(".")
    if len(parts) >= 2 and parts[0] == ACTION_PREFIX:
        return parts[1]
    return None


def mention(peer: PeerCard) -> str:
    if _SLACK_USER_ID.match(peer.platform_user_id):
        return f"<@{peer.platform_user_id}>"
    return f"*{escape(peer.name)}*"


def _section(text: str) -> Block:
    return {"type": "section", "text": {"type": "mrkdwn", "text": clip(text, MAX_TEXT) or " "}}


def _context(text: str) -> Block:
    return {"type": "context", "elements": [{"type": "mrkdwn", "text": clip(text, MAX_TEXT) or " "}]}


class _Counter:
    def __init__(self) -> None:
        self.n = 0

    def next(self) -> int:
        self.n += 1
        return self.n


def _button(button: Button, counter: _Counter) -> Block | None:
    if len(button.value) > MAX_BUTTON_VALUE:
        return None  # a cut value would be a wrong value: drop the button rather than mislead
    element: Block = {
        "type": "button",
        "text": {"type": "plain_text", "text": clip(button.label, MAX_BUTTON_LABEL) or "…", "emoji": True},
        "action_id": action_id(button.action, counter.next()),
        "value": button.value,
    }
    if button.style in ("primary", "danger"):
        element["style"] = button.style
    return element


def _actions(buttons: tuple[Button, ...], counter: _Counter) -> list[Block]:
    elements = [e for e in (_button(b, counter) for b in buttons) if e is not None]
    return [
        {"type": "actions", "elements": elements[i : i + MAX_ACTIONS_PER_BLOCK]}
        for i in range(0, len(elements), MAX_ACTIONS_PER_BLOCK)
    ]


def _linked_title(card: ResourceCard) -> str:
    title = escape(card.title).replace("|", "¦") or "Untitled"
    url = card.url or ""
    if url.startswith(("http://", "https://")) and len(url) <= MAX_URL and not re.search(r"[\s<>|]", url):
        return f"*<{url}|{clip(title, 500)}>*"
    return f"*{clip(title, 500)}*"


def resource_blocks(card: ResourceCard, counter: _Counter) -> list[Block]:
    lines = [_linked_title(card)]
    if card.summary:
        lines.append(escape(card.summary))
    if card.context:
        lines.append(f"_{escape(card.context)}_")
    if card.reason:
        lines.append(f"Why: {escape(card.reason)}")
    lines.extend(f"✎ {escape(note)}" for note in card.notes)
    return [_section("\n".join(lines)), *_actions(card.buttons, counter)]


def peer_line(peer: PeerCard) -> str:
    return f"• {mention(peer)} — {escape(peer.reason)}" if peer.reason else f"• {mention(peer)}"


def reply_blocks(reply: Reply) -> list[Block]:
    """The blocks for a reply: headline, resource cards with buttons, peers, reply buttons, footer."""
    counter = _Counter()
    groups: list[list[Block]] = []  # each group is kept whole or dropped whole
    if reply.text:
        groups.extend([_section(chunk)] for chunk in _chunks(reply.text, MAX_TEXT))
    if reply.resources:
        groups.append([_section("*Grab n' go resources*")])
        groups.extend(resource_blocks(card, counter) for card in reply.resources)
    if reply.peers:
        head = "*Kindred spirits who can help*"
        lines = [head, *(peer_line(p) for p in reply.peers)]
        groups.extend([_section(chunk)] for chunk in _chunks("\n".join(lines), MAX_TEXT))
    if reply.buttons:
        groups.append([{"type": "divider"}, *_actions(reply.buttons, counter)])
    if reply.footer:
        groups.append([_context(reply.footer)])
    return _fit(groups, MAX_BLOCKS)


def _fit(groups: list[list[Block]], budget: int) -> list[Block]:
    blocks: list[Block] = []
    dropped = 0
    for index, group in enumerate(groups):
        room = budget - len(blocks) - (1 if index < len(groups) - 1 else 0)  # keep one for the notice
        if dropped or len(group) > room:
            dropped += 1
            continue
        blocks.extend(group)
    if dropped:
        blocks = blocks[: budget - 1]
        blocks.append(_context(f"…and {dropped} more part(s) I couldn't fit here."))
    return blocks


def _chunks(text: str, size: int) -> list[str]:
    """Split at line breaks where possible so each piece fits one text object."""
    pieces: list[str] = []
    current = ""
    for line in text.split("\n"):
        while len(line) > size:
            if current:
                pieces.append(current)
                current = ""
            pieces.append(line[:size])
            line = line[size:]
        candidate = f"{current}\n{line}" if current else line
        if len(candidate) > size:
            pieces.append(current)
            current = line
        else:
            current = candidate
    if current:
        pieces.append(current)
    return pieces


def fallback_text(reply: Reply) -> str:
    """Notification/fallback text for a message with blocks (accessibility and push previews)."""
    return clip(reply.to_text(), MAX_FALLBACK_TEXT) or "Kindred"


def _link(url: str, label: str) -> str:
    if not url.startswith(("http://", "https://")) or len(url) > MAX_URL or re.search(r"[\s<>|]", url):
        return label
    return f"<{url}|{label.replace('|', '¦')}>" if label != url else f"<{url}>"


SLACK = Style(
    bold=lambda s: f"*{s}*",
    italic=lambda s: f"_{s}_",
    link=_link,
    mention=lambda user_id: f"<@{user_id}>",
    escape=escape,
)


def slack_text(text: str) -> str:
    """Our neutral markup as mrkdwn, every user-written part (``user_text``) escaped so it can never
    mention, link or ping (``<!channel>``, ``<@U…>``, ``<http://x|disguised>``). Slack has no escape for
    ``*`` or ``_``, so those show as Slack shows them when a person types them."""
    return render(text, SLACK)


def message_payload(reply: Reply) -> dict[str, Any]:
    """``text`` + ``blocks`` ready for chat.postMessage / chat.postEphemeral / response_url."""
    reply = replace(reply, text=slack_text(reply.text), footer=slack_text(reply.footer))
    return {"text": fallback_text(reply), "blocks": reply_blocks(reply)}
