"""Whether a question has words to act on: emoji-only lines and SQL-injection probes do not.

Such text gets a friendly prompt and is never stored, posted or quoted to colleagues.
"""

from __future__ import annotations

import re

_WORD = re.compile(r"[^\W\d_]{2,}")
_SQL = re.compile(
    r"(?:--|;|/\*)\s*$|^\W*(?:select|drop|insert|delete|update|union|alter|truncate)\b.*\b(?:from|table|into|set|select)\b"
    r"|;\s*(?:drop|delete|insert|update|alter|truncate)\s",
    re.IGNORECASE,
)
_SQL_WORDS = frozenset(
    [
        "select",
        "drop",
        "insert",
        "delete",
        "update",
        "union",
        "alter",
        "truncate",
        "table",
        "tables",
        "from",
        "where",
        "into",
        "set",
        "values",
        "or",
        "and",
        "not",
        "null",
    ]
)
NO_WORDS = (
    "I couldn't find a question in that — tell me in a few words what you'd like help with, e.g. "
    "`/ask How do I teach equivalent fractions hands-on to 4th graders?`"
)


def has_words_to_act_on(text: str) -> bool:
    """At least one real word, and not a database command."""
    words = [w.lower() for w in _WORD.findall(text)]
    if _SQL.search(text.strip()):
        words = [w for w in words if w not in _SQL_WORDS]
        return len(words) >= 3 and not re.search(r";\s*--|\bdrop\s+table\b", text, re.IGNORECASE)
    return len(words) >= 1


def channel_question(text: str, limit: int) -> str:
    """A chat message as a question: whitespace collapsed to single spaces, at most ``limit`` characters."""
    return " ".join(text.split())[:limit]
