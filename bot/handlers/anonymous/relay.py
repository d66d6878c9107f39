"""The relay both ways: thread replies reach the anonymous asker by DM; the asker answers, reveals,
marks solved or deletes through ``/kindred reply|reveal|solved|delete <id>``."""

from __future__ import annotations

import logging
from typing import Protocol

from bot.anonymity import redaction
from bot.domain.events import ButtonPress, Command, ThreadReply
from bot.domain.markup import bold, mention
from bot.domain.replies import Button, DeletePost, DirectMessage, Outcome, Reply, ThreadPost
from bot.domain.requests import HelpRequest
from bot.domain.user_text import user_text
from bot.handlers import knowledge, lifecycle
from bot.handlers.anonymous.common import (
    NOT_YOURS,
    SOLVED_ACTION,
    Named,
    escrow,
    message_link,
    named_question,
)
from bot.handlers.knowledge import KnowledgeDeps
from bot.handlers.ports import Anonymity
from bot.handlers.suggestion_reply import button_value, parse_button_value
from bot.scheduling.messages import FollowUpAction, quote

log = logging.getLogger(__name__)


class RelayDeps(KnowledgeDeps, Anonymity, Protocol):
    """What the relay uses: the escrow, and the knowledge base (a reply is kept; solving goes through it)."""


def relay(deps: RelayDeps, reply: ThreadReply, request: HelpRequest) -> Outcome | None:
    """A reply in an anonymous question's thread reaches the asker by DM, with replier name and link."""
    if not request.anonymous:
        return None
    with deps.db.unit_of_work() as uow:
        row = uow.anonymity.question(request.id)
        if row is None or row.deleted or row.hidden:
            return Outcome()
        token, pseudonym, workspace = row.identity, row.pseudonym, row.workspace_id
    vault = escrow(deps)
    if vault.fingerprint(reply.actor.platform, reply.actor.user_id) == row.fingerprint:
        return Outcome()  # the asker talking in their own thread is not news to them
    asker = vault.open(token)
    redaction.protect(asker.user_id, asker.name)
    who = user_text(reply.actor.display_name) if reply.actor.display_name else mention(reply.actor.user_id)
    link = message_link(reply.actor.platform, workspace, reply.channel_id, reply.thread_id, reply.message_id)
    asked = user_text(quote(request.text, 80))
    answer = knowledge.remember_reply(deps, reply, request)  # "yes" saves it, credited to the replier
    text = (
        f"{bold(who)} replied to your anonymous question #{request.id} (“{asked}”):\n"
        f"> {user_text(quote(reply.text, 1500))}\n{link}\n"
        f"Answer as {bold(pseudonym)}: `/kindred reply {request.id} <your answer>`"
        + ("\nDid this help?" if answer else "")
    )
    yes = (
        (Button("Yes, thanks!", FollowUpAction.YES, button_value(request.id, answer.id), "primary"),)
        if answer
        else ()
    )
    dm = DirectMessage(
        asker.user_id,
        Reply(
            text=text,
            buttons=(*yes, Button("Mark solved", SOLVED_ACTION, button_value(request.id))),
            ephemeral=False,
            request_id=request.id,
        ),
    )
    log.info("thread reply relayed to an anonymous asker", extra={"request_id": request.id})
    return Outcome(direct_messages=(dm,))


def _asker_only(deps: RelayDeps, command: Command) -> Named | Outcome:
    named = named_question(deps, command)
    if isinstance(named, Named) and not named.mine:
        return Outcome.say(NOT_YOURS)
    return named


def in_thread(named: Named, text: str) -> tuple[ThreadPost, ...]:
    """``text`` in the question's thread, once it is posted."""
    return (ThreadPost(named.post[0], named.post[1], text),) if named.post is not None else ()


def reply_command(deps: RelayDeps, command: Command) -> Outcome:
    named = _asker_only(deps, command)
    if not isinstance(named, Named):
        return named
    text = named.text.strip()
    if not text:
        return Outcome.say(f"What would you like to say? `/kindred reply {named.request_id} <text>`")
    if named.post is None:
        return Outcome.say("Your question isn't posted yet — try again in a moment.")
    channel, thread = named.post
    log.info("anonymous asker answered in thread", extra={"request_id": named.request_id})
    return Outcome(
        reply=Reply(text=f"Posted in the thread as {bold(named.pseudonym)}."),
        thread_posts=(ThreadPost(channel, thread, f"{bold(named.pseudonym)} (asker): {user_text(text)}"),),
    )


def reveal_command(deps: RelayDeps, command: Command) -> Outcome:
    named = _asker_only(deps, command)
    if not isinstance(named, Named):
        return named
    with deps.db.unit_of_work() as uow:
        uow.anonymity.mark_revealed(named.request_id, deps.clock())
    posts = in_thread(
        named, f"{bold(named.pseudonym)} is {mention(command.actor.user_id)} — thanks for the help!"
    )
    return Outcome(reply=Reply(text="Done — your name is now shown in the thread."), thread_posts=posts)


def solved_command(deps: RelayDeps, command: Command) -> Outcome:
    named = _asker_only(deps, command)
    if not isinstance(named, Named):
        return named
    lifecycle.solved(deps, named.request_id)
    posts = in_thread(named, f"{bold(named.pseudonym)} marked this question solved. Thank you all!")
    return Outcome(reply=Reply(text="Marked solved. Thanks for letting me know!"), thread_posts=posts)


def delete_command(deps: RelayDeps, command: Command) -> Outcome:
    named = _asker_only(deps, command)
    if not isinstance(named, Named):
        return named
    with deps.db.unit_of_work() as uow:
        uow.anonymity.mark_deleted(named.request_id)
        uow.requests.close(named.request_id, text="(deleted by the asker)")
        uow.followups.cancel_pending(named.request_id)
    changes = (DeletePost(*named.post),) if named.post is not None else ()
    return Outcome(reply=Reply(text="Deleted. Replies will no longer reach you."), changes=changes)


def solved_button(deps: RelayDeps, press: ButtonPress) -> Outcome:
    try:
        (request_id,) = parse_button_value(press.value)
    except ValueError:
        return Outcome.say("Sorry, I couldn't read that button.")
    outcome = solved_command(deps, Command(press.actor, "kindred", f"solved {request_id}"))
    return Outcome(reply=outcome.reply, failed=outcome.failed)
