"""The words of pack rounds: a pack's shared focus, why these people, a conversation starter, the intro
each member gets, the "did you meet?" check-in, and the kind note when too few opted in."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from datetime import datetime
from enum import StrEnum

from bot.domain import markup
from bot.domain.clock import as_utc
from bot.domain.packs import PackPolicy
from bot.domain.replies import Button, Reply
from bot.domain.teachers import Teacher
from bot.domain.vocabulary import grade_label, subject_label
from bot.domain.working_hours import zone
from bot.handlers.suggestion_reply import button_value
from bot.matching.context import content_terms

STARTERS = (
    "What's one {focus} move that worked better than you expected lately — and one that flopped?",
    "If you could borrow one {focus} idea from each other this week, what would you ask for?",
    "Bring one {focus} question you haven't cracked yet; give each one ten minutes.",
    "What does {focus} look like in your room on a good day? Trade one photo, handout or routine.",
)
GENERAL_FOCUS = "what's working in your classroom"


class PackAction(StrEnum):
    """Buttons on the "did you meet?" DM; the value is the pack id."""

    MET = "pack_met"
    SKIPPED = "pack_skipped"


def _count_phrase(count: int, size: int) -> str:
    if count == size:
        return "both" if size == 2 else "all of you"
    return f"{count} of you"


def pack_focus(members: Sequence[Teacher], stated: Mapping[int, str]) -> tuple[str, list[str]]:
    """The pack's shared focus and why these people: what most of them share, most shared first.

    Stated focuses ("/pack join reading conferences") count first, then shared interests, then grade and
    subject. Experience is described as a span, never as who mentors whom (flat, mutual gain).
    """
    size = len(members)
    why: list[tuple[int, int, str, str]] = []  # (count, rank, focus label, phrase)
    said = Counter(t for m in members for t in content_terms(stated.get(m.id, "")))
    if said:
        term, count = said.most_common(1)[0]
        if count >= 2:
            phrase = next(stated[m.id] for m in members if term in content_terms(stated.get(m.id, "")))
            why.append((count, 0, phrase, f"{_count_phrase(count, size)} want to dig into {phrase}"))
    interests = Counter(i.lower() for m in members for i in {x.lower() for x in m.interests})
    for interest, count in interests.most_common(2):
        if count >= 2:
            why.append((count, 1, interest, f"{_count_phrase(count, size)} are into {interest}"))
    pairs = Counter((g, s) for m in members for g in m.grades for s in m.subjects)
    if pairs:
        (grade, subject), count = pairs.most_common(1)[0]
        if count >= 2:
            label = f"{grade_label([grade])} {subject_label(subject)}"
            why.append((count, 2, label, f"{_count_phrase(count, size)} teach {label}"))
    if not any(rank == 2 for _, rank, _, _ in why):  # no shared grade+subject: a shared subject
        subjects = Counter(s for m in members for s in set(m.subjects))
        if subjects and subjects.most_common(1)[0][1] >= 2:
            subject, count = subjects.most_common(1)[0]
            label = subject_label(subject)
            why.append((count, 3, label, f"{_count_phrase(count, size)} teach {label}"))
    why.sort(key=lambda item: (-item[0], item[1]))
    focus = why[0][2] if why else GENERAL_FOCUS
    lines = [phrase for *_, phrase in why[:3]]
    years = sorted(m.years_experience for m in members if m.years_experience is not None)
    if len(years) >= 2 and years[0] != years[-1]:
        lines.append(
            f"{years[0]} to {years[-1]} years in the classroom between you — everyone brings something"
        )
    schools = {m.school for m in members if m.school}
    if len(schools) >= 2:
        lines.append(f"{len(schools)} schools, one conversation")
    return focus, lines or ["you all said yes to meeting new colleagues"]


def starter(focus: str, pack_id: int) -> str:
    template = STARTERS[pack_id % len(STARTERS)]
    if focus == GENERAL_FOCUS:
        return "What's one thing working in your classroom right now — and one you'd love fresh eyes on?"
    return template.format(focus=focus)


def day_label(moment: datetime, timezone: str | None = None) -> str:
    """ "Monday 7 December", in the teacher's time zone."""
    local = as_utc(moment).astimezone(zone(timezone))
    return f"{local:%A} {local.day} {local:%B}"


def mention(teacher: Teacher) -> str:
    return markup.mention(teacher.platform_user_id)


def _names(teachers: Sequence[Teacher]) -> str:
    names = [mention(t) for t in teachers]
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def intro_reply(
    me: Teacher, others: Sequence[Teacher], focus: str, why: Sequence[str], opener: str, checkin: datetime
) -> Reply:
    """What each member gets: who, why these people, one conversation starter."""
    lines = [
        f"Meet your pack for the next two weeks: {_names(others)}.",
        f"Your shared focus: {focus}.",
        "Why these people: " + "; ".join(why) + ".",
        f"Conversation starter: “{opener}”",
        "Say hi in a group DM or grab 20 minutes together. "
        f"I'll check in around {day_label(checkin, me.timezone)} to ask whether you met.",
    ]
    return Reply(
        text="\n".join(lines),
        footer="`/pack mine` shows your pack again · `/pack snooze 2w` or `/pack leave` any time.",
        ephemeral=False,
    )


def group_reply(members: Sequence[Teacher], focus: str, opener: str) -> Reply:
    """For platforms that can open a group conversation (the optional ``send_group`` hook)."""
    return Reply(
        text=(
            f"Hello, pack! {_names(members)} — your shared focus: {focus}.\nTo get you started: “{opener}”"
        ),
        ephemeral=False,
    )


def checkin_reply(pack_id: int, others: Sequence[Teacher]) -> Reply:
    value = button_value(pack_id)
    return Reply(
        text=f"Did you get to meet your pack ({_names(others)})? Either answer is fine — it helps me form "
        "better packs next round.",
        buttons=(
            Button("Yes, we met!", PackAction.MET, value, "primary"),
            Button("Not this time", PackAction.SKIPPED, value),
        ),
        ephemeral=False,
    )


def waiting_reply(opted_in: int, policy: PackPolicy) -> Reply:
    """Too few opted in to form a pack: say so kindly instead of leaving anyone out silently."""
    who = "Only you" if opted_in == 1 else f"Only {opted_in} colleagues"
    return Reply(
        text=(
            f"{who} opted in to packs this round — a pack needs at least {policy.min_size}, so there's no "
            "pack yet. You're first in line for the next round. Know someone who'd enjoy it? "
            "Tell them about `/pack join`."
        ),
        ephemeral=False,
    )
