"""What the anonymity handlers share: their wording, the escrow, and the question a subcommand names."""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass

from bot.anonymity.config import AnonymityConfig
from bot.anonymity.escrow import GENERATE_KEY, Escrow, EscrowUnavailable
from bot.domain.events import Actor, Command
from bot.domain.markup import bold
from bot.domain.replies import Outcome
from bot.domain.requests import HelpRequest
from bot.domain.user_text import user_text
from bot.handlers.ids import parse_id
from bot.handlers.ports import Anonymity

log = logging.getLogger(__name__)

ASKER = "(the asker)"  # stands for the asker's id in the audit: it never links them to their question
SOLVED_ACTION = "anon_solved"
NO_KEY = (
    "Anonymous questions aren't switched on here yet, so I haven't posted anything. An admin needs to set "
    f"KINDRED_IDENTITY_KEY (create one with `{GENERATE_KEY}`). Ask again without anonymity to get "
    "suggestions privately."
)
BLOCKED = "Anonymous questions are not available to you right now. You can still ask with your name."
NOT_YOURS = "Only the person who asked that anonymous question can do that."
NOT_FOUND = "I can't find an anonymous question with that number."
MODERATORS_ONLY = "Only moderators can do that."
SORRY = "Sorry — something went wrong on my side, and nothing was posted. Please try again in a moment."
_ANON_PREFIX = re.compile(r"^\s*(?:anon|anonymous)(?:\s+(.*)|\s*)$", re.IGNORECASE | re.DOTALL)


def anon_question(text: str) -> str | None:
    """The question after a leading "anon"/"anonymous" and any whitespace (tab, non-breaking space…),
    or None when the text is not an anonymous ask."""
    match = _ANON_PREFIX.match(text)
    return None if match is None else " ".join((match.group(1) or "").split())


def config(deps: Anonymity) -> AnonymityConfig:
    return getattr(deps, "anonymity", None) or AnonymityConfig()


def escrow(deps: Anonymity) -> Escrow:
    return Escrow(config(deps).identity_key)


def fingerprint(deps: Anonymity, actor: Actor) -> str | None:
    try:
        return escrow(deps).fingerprint(actor.platform, actor.user_id)
    except EscrowUnavailable:
        return None


def usage(request_id: int | str = "<id>") -> str:
    return (
        f"`/kindred reply {request_id} <text>` answers in the thread under your pseudonym · "
        f"`/kindred reveal {request_id}` shows your name · `/kindred solved {request_id}` · "
        f"`/kindred delete {request_id}`"
    )


def public_question(request_id: int, pseudonym: str, question: str) -> str:
    return (
        f"{bold(pseudonym)} asks (anonymous question #{request_id}):\n{user_text(question)}\n"
        f"_Reply in this thread — {pseudonym} sees your answer privately. "
        f"To report this post: `/kindred flag {request_id}`._"
    )


def is_anonymous_asker(deps: Anonymity, request: HelpRequest, actor: Actor) -> bool:
    """Is ``actor`` the (escrowed) asker of ``request``? Compares keyed fingerprints; no decryption."""
    if not request.anonymous:
        return False
    mine = fingerprint(deps, actor)
    if mine is None:
        return False
    with deps.db.unit_of_work() as uow:
        row = uow.anonymity.question(request.id)
        return row is not None and row.fingerprint == mine


def message_link(platform: str, workspace: str | None, channel: str, thread: str, message: str | None) -> str:
    if platform == "discord" and workspace:
        return f"https://discord.com/channels/{workspace}/{channel}/{message or thread}"
    if platform == "slack":
        ts = (message or thread).replace(".", "")
        return f"https://slack.com/archives/{channel}/p{ts}?thread_ts={thread}&cid={channel}"
    return f"(in the thread of your question, channel {channel})"


@dataclass(frozen=True)
class Named:
    """The anonymous question a ``/kindred <sub> <id> [text]`` names, as seen by the actor."""

    request_id: int
    pseudonym: str
    post: tuple[str, str] | None  # (channel, message) of its public post
    mine: bool  # the actor is its asker
    text: str  # what follows the id


def named_question(deps: Anonymity, command: Command) -> Named | Outcome:
    """The question ``command`` names, or the reply saying why there is none."""
    sub, _, rest = command.text.strip().partition(" ")
    number, _, text = rest.strip().partition(" ")
    request_id = parse_id(number)
    if request_id is None:
        return Outcome.say(f"Which question? e.g. `/kindred {sub.lower()} 12`. " + usage())
    with deps.db.unit_of_work() as uow:
        store = uow.anonymity
        row = store.question(request_id)
        request = uow.requests.get(request_id)
        post = store.post_of(request_id)
        if row is None or request is None or row.deleted:
            return Outcome.say(NOT_FOUND)
        return Named(
            request_id, row.pseudonym, post, fingerprint(deps, command.actor) == row.fingerprint, text
        )


def is_moderator(command: Command) -> bool:
    """Adapters set ``options["moderator"]`` for members of the moderator group/role."""
    return command.options.get("moderator") is True
