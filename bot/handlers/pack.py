"""/pack — find my pack: my kindred spirits, and small opt-in packs (join, leave, snooze, mine).

Opt-in only: nobody is placed in a pack without saying ``/pack join`` themselves.
"""

from __future__ import annotations

import logging
from datetime import timedelta
from typing import Protocol

from bot.domain.clock import as_utc
from bot.domain.events import ButtonPress, Command
from bot.domain.packs import CheckIn, PackPolicy, PackStatus
from bot.domain.replies import Outcome, PeerCard, Reply
from bot.domain.teachers import Teacher
from bot.handlers.identity import ensure_teacher, find_teacher
from bot.handlers.ports import Packs, Profiles, Timed
from bot.handlers.registry import JobContext, PeriodicJob, Registry
from bot.handlers.suggestion_reply import parse_button_value
from bot.matching.kindred_spirits import KindredSpiritFinder, Kinship
from bot.privacy.hooks.features import PACKS
from bot.scheduling import pack_rounds
from bot.scheduling.durations import parse_duration
from bot.scheduling.pack_messages import PackAction, day_label, mention

log = logging.getLogger(__name__)

USAGE = (
    "`/pack` — your kindred spirits\n"
    "`/pack join [focus]` — join a small pack every two weeks (e.g. `/pack join reading conferences`)\n"
    "`/pack mine` — your current pack\n"
    "`/pack snooze 2w` — skip rounds for a while\n"
    "`/pack leave` — stop being placed in packs"
)
ROUNDS_JOB_ID = "kindred-pack-rounds"
ROUNDS_INTERVAL_SECONDS = 3600  # a round forms at most once per KINDRED_PACK_EVERY; hourly is plenty
MAX_SNOOZE = timedelta(weeks=12)
MAX_FOCUS_CHARS = 200
NO_PROFILE = (
    "Tell me what you teach first (`/kindred profile grades 3` and `/kindred profile subjects ELA`) — "
    "or ask a question with `/ask` — and I'll find the colleagues most like you."
)


class PackDeps(Profiles, Timed, Packs, Protocol):
    """What /pack uses: profiles (and the teacher index, for kindred spirits), the clock, the pack policy."""


def register(registry: Registry) -> None:
    registry.command(
        "pack",
        "Find my pack: kindred spirits and small opt-in groups",
        "/pack [join <focus>|mine|snooze 2w|leave]",
        handle,
    )
    registry.button(PackAction.MET, check_in)
    registry.button(PackAction.SKIPPED, check_in)
    registry.user_data_hooks(PACKS)
    registry.periodic(PeriodicJob(ROUNDS_JOB_ID, ROUNDS_INTERVAL_SECONDS, rounds))


def rounds(context: JobContext) -> None:
    """Form a round when one is due, then ask last round's packs "did you meet?"."""
    pack_rounds.form_round(context.db, context.sender, context.clock(), context.packs)
    pack_rounds.send_checkins(context.db, context.sender, context.clock())


def handle(deps: PackDeps, command: Command) -> Outcome:
    sub, _, rest = command.text.strip().partition(" ")
    sub, rest = sub.lower(), rest.strip()
    teacher = ensure_teacher(deps, command.actor)
    if sub == "":
        return spirits(deps, teacher)
    if sub == "join":
        return join(deps, teacher, rest)
    if sub == "leave":
        return leave(deps, teacher)
    if sub == "snooze":
        return snooze(deps, teacher, rest)
    if sub == "mine":
        return mine(deps, teacher)
    if sub == "help":
        return Outcome.say(USAGE)
    return Outcome.say(f"I don't know “/pack {sub}”.\n{USAGE}")


def spirits(deps: PackDeps, teacher: Teacher) -> Outcome:
    found = KindredSpiritFinder(deps.db, deps.indexer).find(teacher)
    status = _status_line(deps, teacher)
    if not found.closest and found.stretch is None:
        return Outcome.say(NO_PROFILE + "\n\n" + status)
    peers = [_card(k) for k in found.closest]
    if found.stretch is not None:
        peers.append(_card(found.stretch, stretch=True))
    text = "Your kindred spirits — the colleagues most like you (your profile and recent questions)"
    text += ", plus one to stretch you:" if found.stretch else ":"
    log.info("kindred spirits shown", extra={"closest": len(found.closest), "stretch": bool(found.stretch)})
    return Outcome(reply=Reply(text=text, peers=tuple(peers), footer=status))


def _card(kinship: Kinship, stretch: bool = False) -> PeerCard:
    reason = f"stretch: {kinship.reason}" if stretch else kinship.reason
    t = kinship.teacher
    return PeerCard(teacher_id=t.id, platform_user_id=t.platform_user_id, name=t.name, reason=reason)


def _status_line(deps: PackDeps, teacher: Teacher) -> str:
    with deps.db.unit_of_work() as uow:
        membership = uow.packs.membership(teacher.id)
    if membership is not None and membership.status == PackStatus.ACTIVE:
        return "You're in packs: `/pack mine` shows your current one."
    return f"Want a small pack of {_sizes(deps.packs)} colleagues every two weeks? `/pack join [focus]`"


def _sizes(policy: PackPolicy) -> str:
    return f"{policy.min_size}–{policy.max_size}"


def join(deps: PackDeps, teacher: Teacher, focus: str) -> Outcome:
    if len(focus) > MAX_FOCUS_CHARS:
        return Outcome.say(
            f"Keep the focus short (up to {MAX_FOCUS_CHARS} characters), e.g. `/pack join math talks`."
        )
    with deps.db.unit_of_work() as uow:
        repo = uow.packs
        membership, newly = repo.join(teacher.id, focus or None)
        last = repo.last_round_started()
    next_round = "at the next round"
    if last is not None:
        next_round = "around " + day_label(
            max(as_utc(last) + deps.packs.every, deps.clock()), teacher.timezone
        )
    about = f" around “{membership.focus}”" if membership.focus else ""
    if newly:
        text = (
            f"You're in! Every two weeks I'll introduce you to a small pack ({_sizes(deps.packs)} colleagues)"
            f"{about}, with why you're together and a conversation starter. "
            f"Your first pack comes {next_round}."
        )
    else:
        text = f"You're already in packs{about} — your next pack comes {next_round}."
    if not teacher.onboarded:
        text += "\nTip: tell me what you teach (`/kindred profile grades 3`) so your pack shares your focus."
    log.info("pack joined", extra={"teacher_id": teacher.id, "new": newly})
    return Outcome.say(text, footer="`/pack snooze 2w` or `/pack leave` any time.")


def leave(deps: PackDeps, teacher: Teacher) -> Outcome:
    with deps.db.unit_of_work() as uow:
        left = uow.packs.leave(teacher.id)
    if not left:
        return Outcome.say("You're not in packs — `/pack join` if you'd like one.")
    log.info("pack left", extra={"teacher_id": teacher.id})
    return Outcome.say(
        "Done — no more pack intros or check-ins. Colleagues you met are still a message away, "
        "and `/pack join` brings you back any time."
    )


def snooze(deps: PackDeps, teacher: Teacher, raw: str) -> Outcome:
    try:
        length = parse_duration(raw)
    except ValueError:
        return Outcome.say("How long? e.g. `/pack snooze 2w` (weeks), `/pack snooze 10d` (days).")
    if length > MAX_SNOOZE:
        return Outcome.say("I can snooze packs for up to 12 weeks at a time (or `/pack leave`).")
    until = deps.clock() + length
    with deps.db.unit_of_work() as uow:
        snoozed = uow.packs.snooze(teacher.id, until)
    if not snoozed:
        return Outcome.say("You're not in packs yet — `/pack join` first.")
    return Outcome.say(
        f"Snoozed until {day_label(until, teacher.timezone)} — you'll skip pack rounds until then. "
        "`/pack join` wakes it early."
    )


def mine(deps: PackDeps, teacher: Teacher) -> Outcome:
    with deps.db.unit_of_work() as uow:
        repo = uow.packs
        pack = repo.current_pack(teacher.id)
        membership = repo.membership(teacher.id)
        members = uow.teachers.get_many(pack.teacher_ids) if pack else {}
    if pack is None:
        if membership is not None and membership.status == PackStatus.ACTIVE:
            return Outcome.say("You're in — you'll meet your first pack at the next round.")
        return Outcome.say("You're not in a pack yet. `/pack join [focus]` to opt in.")
    others = [members[i] for i in pack.teacher_ids if i != teacher.id and i in members]
    lines = [
        f"Your pack since {day_label(pack.formed_at, teacher.timezone)}: "
        + ", ".join(mention(t) for t in others),
        f"Shared focus: {pack.focus}",
        f"Conversation starter: “{pack.starter}”",
    ]
    if membership is not None and membership.status == PackStatus.LEFT:
        lines.append("(You've left packs, so this is your last one — `/pack join` to come back.)")
    return Outcome.say("\n".join(lines))


def check_in(deps: PackDeps, press: ButtonPress) -> Outcome:
    """ "Did you meet?" buttons: only a member of that pack can answer for themselves."""
    try:
        (pack_id,) = parse_button_value(press.value)
    except ValueError:
        return Outcome.say("Sorry, I couldn't read that button.")
    teacher = find_teacher(deps, press.actor)
    answer = CheckIn.MET if press.action == PackAction.MET else CheckIn.SKIPPED
    with deps.db.unit_of_work() as uow:
        recorded = teacher is not None and uow.packs.answer_checkin(pack_id, teacher.id, answer, deps.clock())
    if not recorded:
        return Outcome.say("That check-in isn't for one of your packs.")
    if answer is CheckIn.MET:
        return Outcome.say("Wonderful — thanks for telling me! That's what packs are for.")
    return Outcome.say("Thanks for letting me know — no pressure at all. The next round brings a fresh pack.")
