"""'Post my question to #help': the question goes public as the asker; suggested peers get a kind nudge."""

from __future__ import annotations

import logging
from typing import Protocol

from bot.domain.events import ButtonPress
from bot.domain.markup import mention
from bot.domain.replies import Action, ChannelPost, DirectMessage, Outcome, Reply
from bot.domain.requests import PeerMatch
from bot.domain.user_text import user_text
from bot.handlers import repeats, student_privacy
from bot.handlers.identity import find_teacher
from bot.handlers.ports import HelpChannels, Storage
from bot.handlers.registry import Registry
from bot.handlers.suggestion_reply import parse_button_value

log = logging.getLogger(__name__)


class PostDeps(Storage, HelpChannels, Protocol):
    """What "Post my question to #help" uses: the database and the help channel's name."""


def register(registry: Registry) -> None:
    registry.button(Action.POST_TO_HELP, handle)
    registry.button(student_privacy.PrivacyAction.POST_REDACTED, student_privacy.post_redacted(handle))


def handle(deps: PostDeps, press: ButtonPress) -> Outcome:
    try:
        (request_id,) = parse_button_value(press.value)
    except ValueError:
        return Outcome.say("Sorry, I couldn't read that button. Please try /ask again.")
    teacher = find_teacher(deps, press.actor)
    with deps.db.unit_of_work() as uow:
        requests = uow.requests
        request = requests.get(request_id)
        if request is None or teacher is None or request.asker_id != teacher.id:
            return Outcome.say("Only the person who asked can post this question.")
        reasons = {
            m.teacher_id: m.reason for m in requests.suggestions_for(request_id) if isinstance(m, PeerMatch)
        }
        peers = uow.teachers.get_many(reasons)
    if (why := repeats.why_not_post(deps, request_id, press.actor.platform)) is not None:
        return Outcome.say(why)  # posted once already, or linked to a colleague's open question
    if (held := student_privacy.guard_post(request)) is not None:
        return held  # names a student: nothing is posted and nobody is nudged
    post = ChannelPost(
        reply=Reply(
            text=f"**Question from {mention(press.actor.user_id)}:**\n{user_text(request.text)}",
            ephemeral=False,
        ),
        channel_id=None,
        on_behalf_of=press.actor.user_id,
        request_id=request_id,
    )
    help_channel = deps.help_channel(press.actor.platform)
    nudges = tuple(
        DirectMessage(
            peer.platform_user_id,
            Reply(
                text=(
                    f"Hi {user_text(peer.name.split()[0])}! {user_text(teacher.name)} just asked in "
                    f"#{help_channel}: “{user_text(request.text)}”. "
                    f"You came to mind ({reasons[peer.id]}) — "
                    "could you share what works for you? Even a quick tip helps."
                ),
                ephemeral=False,
            ),
        )
        for peer in peers.values()
    )
    log.info("question posted to help channel", extra={"request_id": request_id, "nudged": len(nudges)})
    return Outcome(
        reply=Reply(text=f"Posted to #{help_channel}. I let {len(nudges)} colleague(s) know."),
        posts=(post,),
        direct_messages=nudges,
    )
