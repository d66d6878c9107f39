"""/ripples — see my ripples: which colleagues my resources, answers and presence reached and helped.

"I see that people are using my contributions; I can see how they're using them."
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from typing import Protocol

from bot.domain.events import Command, Thanks
from bot.domain.knowledge import AnsweredQuestion
from bot.domain.markup import bold
from bot.domain.replies import Outcome
from bot.domain.resources import Resource
from bot.domain.ripples import Ripple, RippleKind, RippleSummary
from bot.domain.teachers import Teacher
from bot.domain.working_hours import zone
from bot.handlers import anonymous
from bot.handlers.identity import ensure_teacher, find_teacher
from bot.handlers.ports import Anonymity, Profiles, Timed
from bot.handlers.registry import Registry
from bot.privacy.hooks.features import RIPPLES
from bot.scheduling.messages import quote

log = logging.getLogger(__name__)

EVER = datetime(2000, 1, 1, tzinfo=UTC)
MAX_NAMES = 8
MAX_ITEMS = 6
MAX_NOTES = 3
EMPTY = (
    "No ripples {period} yet — they come as colleagues use what you share. Share a favourite with "
    "`/share <link> | <why it's good>`, or answer a question in #help."
)


class RipplesDeps(Profiles, Timed, Anonymity, Protocol):
    """What /ripples and thank-yous use: profiles, the clock, and the escrow (an anonymous asker thanking)."""


def register(registry: Registry) -> None:
    registry.command(
        "ripples", "See my ripples: whom my resources and answers helped", "/ripples [all]", handle
    )
    registry.user_data_hooks(RIPPLES)


def handle(deps: RipplesDeps, command: Command) -> Outcome:
    arg = command.text.strip().lower()
    if arg not in ("", "month", "all"):
        return Outcome.say("`/ripples` shows this month; `/ripples all` shows everything so far.")
    teacher = ensure_teacher(deps, command.actor)
    now = deps.clock()
    if arg == "all":
        since, period = EVER, "so far"
    else:
        local = now.astimezone(zone(teacher.timezone))
        since = local.replace(day=1, hour=0, minute=0, second=0, microsecond=0).astimezone(UTC)
        period = f"this month ({local:%B})"
    with deps.db.unit_of_work() as uow:
        summary = RippleSummary.of(uow.ripples.for_teacher(teacher.id, since))
        ripples = summary.ripples
        names = uow.teachers.get_many({r.colleague_id for r in ripples if r.colleague_id})
        resources = uow.resources.get_many({r.resource_id for r in ripples if r.resource_id})
        answers = uow.knowledge.get_many({r.answer_id for r in ripples if r.answer_id})
    log.info("ripples shown", extra={"ripples": len(ripples), "helped": len(summary.helped)})
    return Outcome.say(render(summary, period, names, resources, answers))


def render(
    summary: RippleSummary,
    period: str,
    names: Mapping[int, Teacher],
    resources: Mapping[int, Resource],
    answers: Mapping[int, AnsweredQuestion],
) -> str:
    if not summary.ripples:
        return EMPTY.format(period=period.split(" (")[0])
    who = _Names(names)
    helped = [r for r in _first_per_colleague(summary.ripples) if r.helped]
    lines = [bold(f"Your ripples {period}")]
    if helped:
        lines.append(
            f"• {_plural(len(summary.helped), 'colleague')} helped by your resources and answers: "
            + who.join(helped)
        )
    lines.append(f"• {_plural(len(summary.reached), 'colleague')} reached in all — {_counts(summary.counts)}")
    items = _items(summary.ripples, who, resources, answers)
    if items:
        lines.append("What made ripples:")
        lines += [f"• {item}" for item in items[:MAX_ITEMS]]
    notes = [r for r in summary.ripples if r.kind is RippleKind.ADAPTED][:MAX_NOTES]
    if notes:
        lines.append("How colleagues used your resources:")
        for r in notes:
            resource = None if r.resource_id is None else resources.get(r.resource_id)
            title = resource.title if resource is not None else "your resource"
            lines.append(f"  ✎ {who.name(r)} on “{quote(title, 60)}”: “{quote(r.note, 200)}”")
    return "\n".join(lines)


class _Names:
    """Colleague names; someone who asked anonymously is "a colleague"."""

    def __init__(self, teachers: Mapping[int, Teacher]) -> None:
        self.teachers = teachers

    def name(self, ripple: Ripple) -> str:
        teacher = self.teachers.get(ripple.colleague_id) if ripple.colleague_id else None
        return teacher.name if teacher else "a colleague"

    def join(self, ripples: Sequence[Ripple]) -> str:
        named = [self.name(r) for r in ripples if r.colleague_id in self.teachers]
        unnamed = len(ripples) - len(named)
        parts = named[:MAX_NAMES]
        more = len(named) - len(parts) + unnamed
        if more:
            parts.append(f"{more} more" if parts else ("a colleague" if more == 1 else f"{more} colleagues"))
        return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]


def _first_per_colleague(ripples: Sequence[Ripple]) -> list[Ripple]:
    """One ripple per colleague, preferring one that helped."""
    best: dict[str, Ripple] = {}
    for r in ripples:
        if r.colleague_key not in best or (r.helped and not best[r.colleague_key].helped):
            best[r.colleague_key] = r
    return list(best.values())


_COUNT_WORDS = (
    (RippleKind.RESOURCE_SUGGESTED, "your resources were suggested {n}"),
    (RippleKind.RESOURCE_SAVED, "saved {n}"),
    (RippleKind.RESOURCE_HELPED, "marked helpful {n}"),
    (RippleKind.ADAPTED, "adapted {n}"),
    (RippleKind.PEER_SUGGESTED, "you were suggested as a kindred spirit {n}"),
    (RippleKind.ANSWER_HELPED, "your answers helped {n}"),
    (RippleKind.ANSWER_SHOWN, "your answers were shown again {n}"),
    (RippleKind.THANKS, "you were thanked {n}"),
)


def _counts(counts: Mapping[RippleKind, int]) -> str:
    return "; ".join(words.format(n=_times(counts[kind])) for kind, words in _COUNT_WORDS if counts.get(kind))


_ITEM_PARTS = (  # the order of the parts on each line
    (RippleKind.RESOURCE_HELPED, "helped {who}"),
    (RippleKind.ANSWER_HELPED, "helped {who}"),
    (RippleKind.THANKS, "from {who}"),
    (RippleKind.ADAPTED, "adapted by {who}"),
    (RippleKind.RESOURCE_SAVED, "saved by {who}"),
    (RippleKind.ANSWER_SHOWN, "shown to {colleagues} since"),
    (RippleKind.RESOURCE_SUGGESTED, "suggested {times}"),
)


def _items(
    ripples: Sequence[Ripple],
    who: _Names,
    resources: Mapping[int, Resource],
    answers: Mapping[int, AnsweredQuestion],
) -> list[str]:
    """One line per resource, answer, and for thank-yous: who it helped, adapted or saved it, and how often
    it was shown or suggested; most recent first."""
    by_item: dict[str, dict[RippleKind, list[Ripple]]] = defaultdict(lambda: defaultdict(list))
    for r in ripples:
        resource = None if r.resource_id is None else resources.get(r.resource_id)
        answer = None if r.answer_id is None else answers.get(r.answer_id)
        if resource is not None:
            key = f"“{quote(resource.title, 80)}”"
        elif answer is not None:
            key = f"Your answer to “{quote(answer.question, 80)}”"
        elif r.kind is RippleKind.THANKS:
            key = "Thank-yous"
        else:
            continue
        by_item[key][r.kind].append(r)
    lines = []
    for key, kinds in by_item.items():
        parts = [
            template.format(
                who=who.join(_first_per_colleague(kinds[kind])),
                colleagues=_plural(len(kinds[kind]), "colleague"),
                times=_times(len(kinds[kind])),
            )
            for kind, template in _ITEM_PARTS
            if kinds.get(kind)
        ]
        lines.append(f"{key} — " + " · ".join(parts))
    return lines


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def _times(n: int) -> str:
    return {1: "once", 2: "twice"}.get(n, f"{n} times")


def thank(deps: RipplesDeps, thanks: Thanks) -> bool:
    """A 🙏 on a colleague's reply kept in a question's thread thanks whoever gave it (their ripple).

    The reactor is named only by a profile they already have; an anonymous asker thanks as "a colleague"
    (recognised by the escrow fingerprint, no profile looked up). True when newly recorded."""
    with deps.db.unit_of_work():  # one transaction; "once per colleague" is the ripple's unique key
        return _thank(deps, thanks)


def _thank(deps: RipplesDeps, thanks: Thanks) -> bool:
    actor = thanks.actor
    with deps.db.unit_of_work() as uow:
        request = uow.requests.find_by_thread(actor.platform, thanks.channel_id, thanks.thread_id)
        answer = (
            None
            if request is None
            else uow.knowledge.thread_answer_for_message(request.id, thanks.message_id)
        )
    if request is None or answer is None:
        return False
    reactor = None if anonymous.is_anonymous_asker(deps, request, actor) else find_teacher(deps, actor)
    thanked = record_thanks(deps, reactor.id if reactor else None, answer.helper_id, request.id)
    log.info("thanks for a thread reply", extra={"request_id": request.id, "recorded": thanked})
    return thanked


def record_thanks(
    deps: RipplesDeps, from_teacher_id: int | None, to_teacher_id: int, request_id: int | None = None
) -> bool:
    """A colleague (``None``: unnamed) thanked someone; True when newly recorded, never for oneself."""
    with deps.db.unit_of_work() as uow:
        return uow.ripples.record(
            RippleKind.THANKS, to_teacher_id, colleague_id=from_teacher_id, request_id=request_id
        )
