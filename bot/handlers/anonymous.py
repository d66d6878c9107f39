"""Anonymous questions: posted by the bot under a pseudonym, replies relayed privately, answers relayed back.

Platform-neutral: adapters call ``ask`` / ``subcommand`` and translate the returned ``AnonResult``; the
thread listener (``relay``) runs through ``Kindred.handle_thread_reply``. Nothing this module logs, returns
for others to see, or stores in clear text names the asker.
"""

from __future__ import annotations

import logging
import re

from bot.anonymity import redaction
from bot.anonymity.config import AnonymityConfig
from bot.anonymity.effects import AnonResult, DeletePost, EditPost, QuestionPost, ThreadPost
from bot.anonymity.escrow import GENERATE_KEY, Escrow, EscrowUnavailable, Identity
from bot.anonymity.pseudonyms import new_pseudonym
from bot.anonymity.store import AnonymityStore
from bot.domain.events import Actor, ButtonPress, Command, ThreadReply
from bot.domain.question_text import NO_WORDS, has_words_to_act_on
from bot.domain.replies import Button, DirectMessage, Outcome, Reply
from bot.domain.requests import HelpRequest, RequestStatus
from bot.domain.user_text import user_text
from bot.handlers import knowledge, repeats
from bot.handlers.deps import Deps
from bot.handlers.identity import find_teacher
from bot.handlers.ids import parse_id
from bot.handlers.registry import Registry
from bot.handlers.suggestion_reply import build_suggestion_reply, button_value, parse_button_value
from bot.privacy import student_pii
from bot.scheduling.followup_jobs import mark_solved, schedule_safely
from bot.scheduling.messages import FollowUpAction, quote
from bot.storage.anonymity_models import AnonymousQuestionRow
from bot.storage.models import HelpRequestRow
from bot.storage.repositories import RequestRepository, ResourceRepository

log = logging.getLogger(__name__)

ASKER = "(the asker)"  # stands for the asker's id in the audit: it never links them to their question
SUBCOMMANDS = ("reply", "reveal", "solved", "delete", "flag", "hide", "block", "escrow", "setup")
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
_CHANNEL = re.compile(r"^<#([A-Z0-9]+)(?:\|[^>]*)?>$|^([A-Z0-9]+)$", re.IGNORECASE)


def register(registry: Registry) -> None:
    redaction.install()
    registry.on_thread_reply(relay)
    registry.button(SOLVED_ACTION, solved_button)


def anon_question(text: str) -> str | None:
    """The question after a leading "anon"/"anonymous" and any whitespace (tab, non-breaking space…),
    or None when the text is not an anonymous ask."""
    match = _ANON_PREFIX.match(text)
    return None if match is None else " ".join((match.group(1) or "").split())


def config(deps: Deps) -> AnonymityConfig:
    return getattr(deps, "anonymity", None) or AnonymityConfig()


def escrow(deps: Deps) -> Escrow:
    return Escrow(config(deps).identity_key)


def usage(request_id: int | str = "<id>") -> str:
    return (
        f"`/kindred reply {request_id} <text>` answers in the thread under your pseudonym · "
        f"`/kindred reveal {request_id}` shows your name · `/kindred solved {request_id}` · "
        f"`/kindred delete {request_id}`"
    )


# --- asking -------------------------------------------------------------------------------------------


def ask(deps: Deps, actor: Actor, question: str) -> AnonResult:
    """Store the question without its asker, escrow the identity, build suggestions and the public post."""
    try:
        return _ask(deps, actor, question)
    except Exception:
        log.exception("anonymous ask failed", extra={"platform": actor.platform})
        return AnonResult.say(SORRY)


def _ask(deps: Deps, actor: Actor, question: str) -> AnonResult:
    question = " ".join(question.split())
    if not question:
        return AnonResult.say("What would you like to ask anonymously? e.g. `/ask anon How do I …?`")
    if not has_words_to_act_on(question):
        return AnonResult.say(NO_WORDS)
    if len(question) > deps.max_question_chars:
        return AnonResult.say(
            f"That question is too long; I can take up to {deps.max_question_chars} characters."
        )
    privacy = student_pii.check(question)
    if privacy.found:  # anonymity protects the teacher, never a way to post about a named student
        log.info("anonymous question held back: student information", extra={"kinds": list(privacy.kinds)})
        return AnonResult.say(
            f"I haven't posted anything: your question seems to include {privacy.describe()}. Anonymity "
            "protects you, and your students deserve the same. Ask again without identifying details, e.g.\n"
            f"`/ask anon {privacy.redacted}`"
        )
    try:
        vault = escrow(deps)
    except EscrowUnavailable:
        return AnonResult.say(NO_KEY)
    redaction.protect(actor.user_id, actor.display_name)
    fingerprint = vault.fingerprint(actor.platform, actor.user_id)
    teacher = find_teacher(deps, actor)  # for better matching only; never linked to the request
    with deps.db.session() as session:
        store = AnonymityStore(session)
        if store.is_blocked(actor.platform, fingerprint):
            return AnonResult.say(BLOCKED)
        earlier = repeats.anonymous_repeat(session, actor.platform, fingerprint, question)
        if earlier is not None:  # asked again: the open question is reused, never posted twice
            return AnonResult.say(f"{repeats.still_following_anonymous(earlier)} {usage(earlier)}")
        request = RequestRepository(session).create(
            asker_id=None, text=question, platform=actor.platform, anonymous=True, source="anonymous"
        )
        pseudonym = new_pseudonym(store.recent_pseudonyms(actor.platform))
        store.add_question(
            AnonymousQuestionRow(
                request_id=request.id,
                platform=actor.platform,
                workspace_id=actor.workspace_id,
                pseudonym=pseudonym,
                identity=vault.seal(Identity(actor.platform, actor.user_id, actor.display_name)),
                fingerprint=fingerprint,
            )
        )
        channel_id = store.help_channel(actor.platform, actor.workspace_id)
    # ids only; escalation never knows the asker
    schedule_safely(deps.db, request.id, deps.clock(), deps.nudge_after)
    suggestions = deps.suggester.suggest(
        question,
        teacher if teacher is not None and teacher.onboarded else None,
        actor.platform,
        actor.workspace_id,
    )
    with deps.db.session() as session:
        RequestRepository(session).record_suggestions(request.id, suggestions.matches())
        notes = ResourceRepository(session).adaptation_notes(r.id for _, r in suggestions.resources)
    where = f"<#{channel_id}>" if channel_id else f"#{deps.help_channel_name}"
    reply = build_suggestion_reply(  # no request id in the buttons: pressing them links nobody to it
        None, suggestions, "Here's what colleagues have found useful:", notes=notes, offer_post=False
    )
    reply = Reply(
        text=f"Your question was posted anonymously in {where} as *{pseudonym}*.\n\n{reply.text}",
        resources=reply.resources,
        peers=reply.peers,
        buttons=(Button("Mark solved", SOLVED_ACTION, button_value(request.id)),),
        footer=f"Replies reach you here by DM. {usage(request.id)}",
    )
    post = QuestionPost(request.id, public_question(request.id, pseudonym, question), channel_id)
    log.info("anonymous question asked", extra={"request_id": request.id, "platform": actor.platform})
    return AnonResult(reply=reply, question=post)


def public_question(request_id: int, pseudonym: str, question: str) -> str:
    return (
        f"*{pseudonym}* asks (anonymous question #{request_id}):\n{user_text(question)}\n"
        f"_Reply in this thread — {pseudonym} sees your answer privately. "
        f"To report this post: `/kindred flag {request_id}`._"
    )


# --- the relay ------------------------------------------------------------------------------------------


def is_anonymous_asker(deps: Deps, request: HelpRequest, actor: Actor) -> bool:
    """Is ``actor`` the (escrowed) asker of ``request``? Compares keyed fingerprints; no decryption."""
    if not request.anonymous:
        return False
    try:
        fingerprint = escrow(deps).fingerprint(actor.platform, actor.user_id)
    except EscrowUnavailable:
        return False
    with deps.db.session() as session:
        row = AnonymityStore(session).question(request.id)
        return row is not None and row.fingerprint == fingerprint


def relay(deps: Deps, reply: ThreadReply, request: HelpRequest) -> Outcome | None:
    """A reply in an anonymous question's thread reaches the asker by DM, with replier name and link."""
    if not request.anonymous:
        return None
    with deps.db.session() as session:
        row = AnonymityStore(session).question(request.id)
        if row is None or row.deleted or row.hidden:
            return Outcome()
        token, pseudonym, workspace = row.identity, row.pseudonym, row.workspace_id
    vault = escrow(deps)
    if vault.fingerprint(reply.actor.platform, reply.actor.user_id) == row.fingerprint:
        return Outcome()  # the asker talking in their own thread is not news to them
    asker = vault.open(token)
    redaction.protect(asker.user_id, asker.name)
    who = user_text(reply.actor.display_name) if reply.actor.display_name else f"<@{reply.actor.user_id}>"
    link = message_link(reply.actor.platform, workspace, reply.channel_id, reply.thread_id, reply.message_id)
    asked = user_text(quote(request.text, 80))
    answer = knowledge.remember_reply(deps, reply, request)  # "yes" saves it, credited to the replier
    text = (
        f"*{who}* replied to your anonymous question #{request.id} (“{asked}”):\n"
        f"> {user_text(quote(reply.text, 1500))}\n{link}\n"
        f"Answer as *{pseudonym}*: `/kindred reply {request.id} <your answer>`"
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


def message_link(platform: str, workspace: str | None, channel: str, thread: str, message: str | None) -> str:
    if platform == "discord" and workspace:
        return f"https://discord.com/channels/{workspace}/{channel}/{message or thread}"
    if platform == "slack":
        ts = (message or thread).replace(".", "")
        return f"https://slack.com/archives/{channel}/p{ts}?thread_ts={thread}&cid={channel}"
    return f"(in the thread of your question, channel {channel})"


# --- /kindred <sub> -------------------------------------------------------------------------------------


def subcommand(deps: Deps, command: Command) -> AnonResult:
    """``/kindred reply|reveal|solved|delete|flag|hide|block|escrow|setup …``. Adapters set
    ``command.options["moderator"] = True`` for members of the moderator group/role."""
    try:
        return _subcommand(deps, command)
    except Exception:
        log.exception("anonymity command failed", extra={"platform": command.actor.platform})
        return AnonResult.say(SORRY)


def _subcommand(deps: Deps, command: Command) -> AnonResult:
    sub, _, rest = command.text.strip().partition(" ")
    sub = sub.lower()
    if sub == "setup":
        return _setup(deps, command, rest)
    number, _, text = rest.strip().partition(" ")
    request_id = parse_id(number)
    if request_id is None:
        return AnonResult.say(f"Which question? e.g. `/kindred {sub} 12`. " + usage())
    with deps.db.session() as session:
        row = AnonymityStore(session).question(request_id)
        request = RequestRepository(session).get(request_id)
        post = AnonymityStore(session).post_of(request_id)
        pseudonym = row.pseudonym if row else ""
        mine = row is not None and _fingerprint(deps, command.actor) == row.fingerprint
        deleted = row is not None and row.deleted
    if row is None or request is None or deleted:
        return AnonResult.say(NOT_FOUND)
    moderator = command.options.get("moderator") is True
    handlers = {
        "reply": lambda: _reply(deps, request_id, pseudonym, post, text, mine),
        "reveal": lambda: _reveal(deps, command.actor, request_id, pseudonym, post, mine),
        "solved": lambda: _solved(deps, request_id, pseudonym, post, mine),
        "delete": lambda: _delete(deps, request_id, post, mine),
        "flag": lambda: _flag(deps, command.actor, request_id, mine),
        "hide": lambda: _hide(deps, command.actor, request_id, post, moderator),
        "block": lambda: _block(deps, command.actor, request_id, moderator),
        "escrow": lambda: _escrow_reveal(deps, command.actor, request_id, moderator),
    }
    return handlers[sub]() if sub in handlers else AnonResult.say(usage())


def _fingerprint(deps: Deps, actor: Actor) -> str | None:
    try:
        return escrow(deps).fingerprint(actor.platform, actor.user_id)
    except EscrowUnavailable:
        return None


def _reply(deps: Deps, request_id: int, pseudonym: str, post, text: str, mine: bool) -> AnonResult:  # type: ignore[no-untyped-def]
    if not mine:
        return AnonResult.say(NOT_YOURS)
    text = text.strip()
    if not text:
        return AnonResult.say(f"What would you like to say? `/kindred reply {request_id} <text>`")
    if post is None:
        return AnonResult.say("Your question isn't posted yet — try again in a moment.")
    channel, thread = post
    log.info("anonymous asker answered in thread", extra={"request_id": request_id})
    return AnonResult(
        reply=Reply(text=f"Posted in the thread as *{pseudonym}*."),
        thread_posts=(ThreadPost(channel, thread, f"*{pseudonym}* (asker): {user_text(text)}"),),
    )


def _reveal(deps: Deps, actor: Actor, request_id: int, pseudonym: str, post, mine: bool) -> AnonResult:  # type: ignore[no-untyped-def]
    if not mine:
        return AnonResult.say(NOT_YOURS)
    with deps.db.session() as session:
        row = AnonymityStore(session).question(request_id)
        assert row is not None
        row.revealed_at = deps.clock()
    posts = ()
    if post is not None:
        posts = (ThreadPost(post[0], post[1], f"*{pseudonym}* is <@{actor.user_id}> — thanks for the help!"),)
    return AnonResult(reply=Reply(text="Done — your name is now shown in the thread."), thread_posts=posts)


def _solved(deps: Deps, request_id: int, pseudonym: str, post, mine: bool) -> AnonResult:  # type: ignore[no-untyped-def]
    if not mine:
        return AnonResult.say(NOT_YOURS)
    mark_solved(deps.db, request_id)
    posts = ()
    if post is not None:
        posts = (ThreadPost(post[0], post[1], f"*{pseudonym}* marked this question solved. Thank you all!"),)
    return AnonResult(reply=Reply(text="Marked solved. Thanks for letting me know!"), thread_posts=posts)


def _delete(deps: Deps, request_id: int, post, mine: bool) -> AnonResult:  # type: ignore[no-untyped-def]
    if not mine:
        return AnonResult.say(NOT_YOURS)
    with deps.db.session() as session:
        AnonymityStore(session).question(request_id).deleted = True  # type: ignore[union-attr]
        request = session.get(HelpRequestRow, request_id)
        if request is not None:
            request.text = "(deleted by the asker)"
            request.status = RequestStatus.CLOSED.value
    mark_cancelled(deps, request_id)
    changes = (DeletePost(post[0], post[1]),) if post is not None else ()
    return AnonResult(reply=Reply(text="Deleted. Replies will no longer reach you."), changes=changes)


def mark_cancelled(deps: Deps, request_id: int) -> None:
    from bot.storage.repositories.followups import FollowUpRepository

    with deps.db.session() as session:
        FollowUpRepository(session).cancel_pending(request_id)


def _flag(deps: Deps, actor: Actor, request_id: int, mine: bool) -> AnonResult:
    if mine:  # storing the flagger's id would tie the asker to their own question
        return AnonResult.say(f"That's your own question — `/kindred delete {request_id}` removes it.")
    with deps.db.session() as session:
        store = AnonymityStore(session)
        store.flag(request_id, actor.user_id)
        store.audit("flag", request_id, actor.platform, actor.user_id)
    log.info("anonymous question flagged", extra={"request_id": request_id})
    return AnonResult.say("Thanks — I've flagged this question for the moderators.")


def _hide(deps: Deps, actor: Actor, request_id: int, post, moderator: bool) -> AnonResult:  # type: ignore[no-untyped-def]
    if not moderator:
        return AnonResult.say(MODERATORS_ONLY)
    with deps.db.session() as session:
        store = AnonymityStore(session)
        store.question(request_id).hidden = True  # type: ignore[union-attr]
        store.audit("hide", request_id, actor.platform, actor.user_id)
    changes = (
        (EditPost(post[0], post[1], "_This anonymous question was hidden by a moderator._"),) if post else ()
    )
    return AnonResult(reply=Reply(text=f"Hidden anonymous question #{request_id}."), changes=changes)


def _block(deps: Deps, actor: Actor, request_id: int, moderator: bool) -> AnonResult:
    if not moderator:
        return AnonResult.say(MODERATORS_ONLY)
    with deps.db.session() as session:
        store = AnonymityStore(session)
        row = store.question(request_id)
        assert row is not None
        store.block(row.platform, row.fingerprint, request_id, actor.user_id)
        store.audit("block", request_id, actor.platform, actor.user_id)
    return AnonResult.say(
        f"The author of #{request_id} can no longer ask anonymously. (I didn't look up who it is.)"
    )


def _escrow_reveal(deps: Deps, actor: Actor, request_id: int, moderator: bool) -> AnonResult:
    if not moderator:  # every attempt is audited, refused ones included — the asker's own without their id
        with deps.db.session() as session:
            store = AnonymityStore(session)
            question = store.question(request_id)
            own = question is not None and question.fingerprint == _fingerprint(deps, actor)
            store.audit("escrow_not_moderator", request_id, actor.platform, ASKER if own else actor.user_id)
        return AnonResult.say(MODERATORS_ONLY)
    allowed = config(deps).allow_escrow_reveal
    with deps.db.session() as session:
        store = AnonymityStore(session)
        store.audit(
            "escrow_reveal" if allowed else "escrow_refused", request_id, actor.platform, actor.user_id
        )
        token = store.question(request_id).identity  # type: ignore[union-attr]
    log.warning("escrow reveal requested", extra={"request_id": request_id, "allowed": allowed})
    if not allowed:
        return AnonResult.say("Escrow reveals are disabled on this deployment (KINDRED_ALLOW_ESCROW_REVEAL).")
    identity = escrow(deps).open(token)
    redaction.protect(identity.user_id, identity.name)
    return AnonResult.say(
        f"Anonymous question #{request_id} was asked by <@{identity.user_id}>. This reveal is logged."
    )


def _setup(deps: Deps, command: Command, rest: str) -> AnonResult:
    what, _, channel = rest.strip().partition(" ")
    if what.lower() != "help-channel" or not channel.strip():
        return AnonResult.say("Usage: `/kindred setup help-channel <#channel>`")
    if command.options.get("moderator") is not True:
        return AnonResult.say(MODERATORS_ONLY)
    match = _CHANNEL.match(channel.strip())
    workspace = command.actor.workspace_id
    if match is None or not workspace:
        return AnonResult.say(
            "Please name the channel as a mention, e.g. `/kindred setup help-channel #help`."
        )
    channel_id = match.group(1) or match.group(2)
    with deps.db.session() as session:
        store = AnonymityStore(session)
        store.set_help_channel(command.actor.platform, workspace, channel_id)
        store.audit("setup_help_channel", None, command.actor.platform, command.actor.user_id, channel_id)
    return AnonResult.say(f"Anonymous questions will be posted in <#{channel_id}>.")


# --- buttons --------------------------------------------------------------------------------------------


def solved_button(deps: Deps, press: ButtonPress) -> Outcome:
    try:
        (request_id,) = parse_button_value(press.value)
    except ValueError:
        return Outcome.say("Sorry, I couldn't read that button.")
    command = Command(press.actor, "kindred", f"solved {request_id}")
    return Outcome(reply=subcommand(deps, command).reply)
