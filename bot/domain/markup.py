"""Kindred's neutral inline markup: the one form the core writes its words in; each platform renders it.

The core never writes a platform's syntax (Slack's ``*bold*`` or ``<url|label>``). It writes:

=================  ======================  ==============================================
form               helper                  Slack / Discord / console
=================  ======================  ==============================================
``**bold**``       ``bold(s)``             ``*s*`` / ``**s**`` / ``s``
``_italic_``       ``italic(s)``           ``_s_`` / ``_s_`` / ``s``
```code```         ``code(s)``             unchanged everywhere (also fenced blocks)
``[label](url)``   ``link(url, label)``    ``<url|label>`` / ``[label](url)`` / ``label (url)``
``> quote``        ``quote(s)``            unchanged (a line start) / unchanged / unchanged
``<@id>``          ``mention(user_id)``    a live mention on Slack and Discord; ``@id`` on the console
=================  ======================  ==============================================

User-written parts are wrapped with ``user_text`` (:mod:`bot.domain.user_text`), never parsed as markup:
``render`` lifts them out before reading our markup and puts them back through the platform's own
``escape``, so a teacher's ``*``, ``_``, ``<script>`` or ``[x](y)`` stays text on every platform.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from bot.domain.user_text import CLOSE, OPEN, strip_marks

_HOLE_OPEN, _HOLE_CLOSE = "\ue002", "\ue003"  # stand-ins for user-written spans while markup is read
_USER_SPAN = re.compile(f"{OPEN}(.*?){CLOSE}", re.DOTALL)
_HOLE = re.compile(f"{_HOLE_OPEN}(\\d+){_HOLE_CLOSE}")
_BOLD = re.compile(r"\*\*(?=\S)(.+?)(?<=\S)\*\*", re.DOTALL)
_ITALIC = re.compile(r"(?<![\w\\])_(?=\S)([^_\n]+?)(?<=\S)_(?!\w)")
_LINK = re.compile(r"\[((?:\\.|[^\]\\\n])+)\]\((https?://[^\s()]+)\)")
_MENTION = re.compile(r"<@([A-Za-z0-9._-]+)>")
_LABEL_ESCAPE = re.compile(r"[\\\[\]]")
_LABEL_UNESCAPE = re.compile(r"\\([\\\[\]])")
_URL_ESCAPES = {"(": "%28", ")": "%29", " ": "%20", "<": "%3C", ">": "%3E", "|": "%7C"}


def bold(text: str) -> str:
    return f"**{text}**"


def italic(text: str) -> str:
    return f"_{text}_"


def code(text: str) -> str:
    return f"`{text}`"


def quote(text: str) -> str:
    """Every line of ``text`` as a block quote."""
    return "\n".join(f"> {line}" for line in text.split("\n"))


def mention(user_id: str) -> str:
    return f"<@{user_id}>"


def link(url: str, label: str) -> str:
    """``[label](url)``: brackets in our own label are escaped (a ``user_text`` label needs nothing), and
    the characters that would end the link early are percent-encoded, as a browser would send them.
    Only web links are links: anything else (``javascript:``, a bare path) is just its label."""
    if not url.strip().startswith(("http://", "https://")):
        return label
    safe_url = "".join(_URL_ESCAPES.get(c, c) for c in url.strip())
    parts = _USER_SPAN.split(label)  # odd indexes are user-written spans: kept whole
    escaped = "".join(
        f"{OPEN}{p}{CLOSE}" if i % 2 else _LABEL_ESCAPE.sub(lambda m: "\\" + m.group(0), p)
        for i, p in enumerate(parts)
    )
    return f"[{escaped}]({safe_url})"


@dataclass(frozen=True)
class Style:
    """How one platform writes each neutral form; ``escape`` makes user-written text inert there."""

    bold: Callable[[str], str]
    italic: Callable[[str], str]
    link: Callable[[str, str], str]  # (url, label)
    mention: Callable[[str], str]
    escape: Callable[[str], str]


def render(text: str, style: Style) -> str:
    """``text`` in ``style``: our markup translated, user-written spans escaped, all markers removed."""
    held: list[str] = []  # finished pieces no later pattern may touch: escaped user text, links

    def hole(piece: str) -> str:
        held.append(piece)
        return f"{_HOLE_OPEN}{len(held) - 1}{_HOLE_CLOSE}"

    ours = "".join(c for c in text if c not in (_HOLE_OPEN, _HOLE_CLOSE))
    ours = _USER_SPAN.sub(lambda m: hole(style.escape(m.group(1))), ours)
    ours = strip_marks(ours)  # a stray marker is nobody's markup
    ours = _LINK.sub(lambda m: hole(style.link(m.group(2), _LABEL_UNESCAPE.sub(r"\1", m.group(1)))), ours)
    ours = _BOLD.sub(lambda m: style.bold(m.group(1)), ours)
    ours = _ITALIC.sub(lambda m: style.italic(m.group(1)), ours)
    ours = _MENTION.sub(lambda m: style.mention(m.group(1)), ours)
    while _HOLE.search(ours):  # a link's label may hold user text: holes inside holes
        ours = _HOLE.sub(lambda m: held[int(m.group(1))], ours)
    return ours


def _same(text: str) -> str:
    return text


PLAIN = Style(
    bold=_same,
    italic=_same,
    link=lambda url, label: label if label == url else f"{label} ({url})",
    mention=lambda user_id: f"@{user_id}",
    escape=_same,
)


def plain_text(text: str) -> str:
    """Readable plain text (console, logs of our own words, notification fallbacks)."""
    return render(text, PLAIN)
