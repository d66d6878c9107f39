"""Keeping anonymity safe: ``/kindred flag|hide|block|escrow <id>`` and ``/kindred setup help-channel``.
Every moderator action is audited; none of them shows who asked (except the logged escrow reveal)."""

from __future__ import annotations

import logging
import re
from typing import Protocol

from bot.anonymity import redaction
from bot.domain.events import Command
from bot.domain.markup import mention
from bot.domain.replies import EditPost, Outcome, Reply
from bot.handlers.anonymous.common import (
    ASKER,
    MODERATORS_ONLY,
    Named,
    config,
    escrow,
    fingerprint,
    is_moderator,
    named_question,
)
from bot.handlers.ports import Anonymity

log = logging.getLogger(__name__)
_CHANNEL = re.compile(r"^<#([A-Z0-9]+)(?:\|[^>]*)?>$|^([A-Z0-9]+)$", re.IGNORECASE)


class ModerationDeps(Anonymity, Protocol):
    """What moderation uses: the database and the escrow (never a profile: a moderator acts on a question)."""


def moderated(deps: ModerationDeps, command: Command) -> Named | Outcome:
    """The question a moderator's command names; "moderators only" for anyone else."""
    named = named_question(deps, command)
    if isinstance(named, Named) and not is_moderator(command):
        return Outcome.say(MODERATORS_ONLY)
    return named


def flag_command(deps: ModerationDeps, command: Command) -> Outcome:
    named = named_question(deps, command)
    if not isinstance(named, Named):
        return named
    if named.mine:  # storing the flagger's id would tie the asker to their own question
        return Outcome.say(f"That's your own question — `/kindred delete {named.request_id}` removes it.")
    actor = command.actor
    with deps.db.unit_of_work() as uow:
        store = uow.anonymity
        store.flag(named.request_id, actor.user_id)
        store.audit("flag", named.request_id, actor.platform, actor.user_id)
    log.info("anonymous question flagged", extra={"request_id": named.request_id})
    return Outcome.say("Thanks — I've flagged this question for the moderators.")


def hide_command(deps: ModerationDeps, command: Command) -> Outcome:
    named = moderated(deps, command)
    if not isinstance(named, Named):
        return named
    with deps.db.unit_of_work() as uow:
        store = uow.anonymity
        store.hide(named.request_id)
        store.audit("hide", named.request_id, command.actor.platform, command.actor.user_id)
    hidden = "_This anonymous question was hidden by a moderator._"
    changes = (EditPost(named.post[0], named.post[1], hidden),) if named.post else ()
    return Outcome(reply=Reply(text=f"Hidden anonymous question #{named.request_id}."), changes=changes)


def block_command(deps: ModerationDeps, command: Command) -> Outcome:
    named = moderated(deps, command)
    if not isinstance(named, Named):
        return named
    with deps.db.unit_of_work() as uow:
        store = uow.anonymity
        row = store.question(named.request_id)
        assert row is not None
        store.block(row.platform, row.fingerprint, named.request_id, command.actor.user_id)
        store.audit("block", named.request_id, command.actor.platform, command.actor.user_id)
    return Outcome.say(
        f"The author of #{named.request_id} can no longer ask anonymously. (I didn't look up who it is.)"
    )


def escrow_command(deps: ModerationDeps, command: Command) -> Outcome:
    named = named_question(deps, command)
    if not isinstance(named, Named):
        return named
    actor, request_id = command.actor, named.request_id
    if not is_moderator(
        command
    ):  # every attempt is audited, refused ones included — the asker's own without their id
        with deps.db.unit_of_work() as uow:
            store = uow.anonymity
            question = store.question(request_id)
            own = question is not None and question.fingerprint == fingerprint(deps, actor)
            store.audit("escrow_not_moderator", request_id, actor.platform, ASKER if own else actor.user_id)
        return Outcome.say(MODERATORS_ONLY)
    allowed = config(deps).allow_escrow_reveal
    with deps.db.unit_of_work() as uow:
        store = uow.anonymity
        store.audit(
            "escrow_reveal" if allowed else "escrow_refused", request_id, actor.platform, actor.user_id
        )
        question = store.question(request_id)
        assert question is not None  # named_question found it
        token = question.identity
    log.warning("escrow reveal requested", extra={"request_id": request_id, "allowed": allowed})
    if not allowed:
        return Outcome.say("Escrow reveals are disabled on this deployment (KINDRED_ALLOW_ESCROW_REVEAL).")
    identity = escrow(deps).open(token)
    redaction.protect(identity.user_id, identity.name)
    return Outcome.say(
        f"Anonymous question #{request_id} was asked by {mention(identity.user_id)}. This reveal is logged."
    )


def setup_command(deps: ModerationDeps, command: Command) -> Outcome:
    """``/kindred setup help-channel <#channel>``: where this workspace's anonymous questions go."""
    _, _, rest = command.text.strip().partition(" ")
    what, _, channel = rest.strip().partition(" ")
    if what.lower() != "help-channel" or not channel.strip():
        return Outcome.say("Usage: `/kindred setup help-channel <#channel>`")
    if not is_moderator(command):
        return Outcome.say(MODERATORS_ONLY)
    match = _CHANNEL.match(channel.strip())
    workspace = command.actor.workspace_id
    if match is None or not workspace:
        return Outcome.say("Please name the channel as a mention, e.g. `/kindred setup help-channel #help`.")
    channel_id = match.group(1) or match.group(2)
    with deps.db.unit_of_work() as uow:
        store = uow.anonymity
        store.set_help_channel(command.actor.platform, workspace, channel_id)
        store.audit("setup_help_channel", None, command.actor.platform, command.actor.user_id, channel_id)
    return Outcome.say(f"Anonymous questions will be posted in <#{channel_id}>.")
