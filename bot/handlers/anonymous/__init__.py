"""Anonymous questions: posted by the bot under a pseudonym, replies relayed privately, answers relayed back.

Ordinary registered handlers, like every other feature: ``/ask anon …`` (``ask``), the thread relay and the
asker's ``/kindred reply|reveal|solved|delete`` (``relay``), and ``/kindred flag|hide|block|escrow|setup``
(``moderation``). Nothing this package logs, returns for others to see, or stores in clear text names the
asker; the public post is an ``Outcome`` delay the core stores as a durable row.
"""

from __future__ import annotations

from bot.anonymity import redaction
from bot.handlers.anonymous import ask, moderation, relay
from bot.handlers.anonymous.common import (
    NO_KEY,
    SOLVED_ACTION,
    anon_question,
    is_anonymous_asker,
    message_link,
    public_question,
)
from bot.handlers.registry import Registry

__all__ = [
    "NO_KEY",
    "SOLVED_ACTION",
    "SUBCOMMANDS",
    "anon_question",
    "is_anonymous_asker",
    "message_link",
    "public_question",
    "register",
]

KINDRED_SUBCOMMANDS = {
    "reply": relay.reply_command,
    "reveal": relay.reveal_command,
    "solved": relay.solved_command,
    "delete": relay.delete_command,
    "flag": moderation.flag_command,
    "hide": moderation.hide_command,
    "block": moderation.block_command,
    "escrow": moderation.escrow_command,
    "setup": moderation.setup_command,
}
SUBCOMMANDS = tuple(KINDRED_SUBCOMMANDS)


def register(registry: Registry) -> None:
    redaction.install()
    for word in ask.WORDS:  # never look the asker up on the platform: anonymous=True
        registry.subcommand("ask", word, ask.command, anonymous=True)
    for word, handler in KINDRED_SUBCOMMANDS.items():
        registry.subcommand("kindred", word, handler, anonymous=True, role="moderator")
    registry.on_thread_reply(relay.relay)
    registry.button(SOLVED_ACTION, relay.solved_button)
