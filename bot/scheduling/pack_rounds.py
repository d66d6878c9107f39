"""Pack rounds as job functions for the scheduler: form a round, deliver the intros, send the check-ins.

``form_round`` is safe to call more often than rounds are due (e.g. daily): it forms a round only when the
last one is at least ``policy.every`` old (less 12 hours of slack), and at most one per day even with two
schedulers. Packs never mix platforms or workspaces. Only opted-in, non-snoozed teachers are placed.

The "did you meet?" check-ins use their own due column on ``pack_assignments`` rather than the follow-up
engine, whose rows belong to help requests; ``send_checkins`` claims each one the same way (a conditional
update), so two workers never send the same check-in twice.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from datetime import datetime, timedelta
from functools import partial
from typing import Protocol, runtime_checkable

from bot.domain.clock import as_utc
from bot.domain.packs import PackCandidate, PackPolicy, PackStatus, RoundStats
from bot.domain.replies import Reply
from bot.domain.teachers import Teacher
from bot.matching.context import content_terms
from bot.matching.pack_former import form_packs
from bot.scheduling.pack_messages import (
    checkin_reply,
    group_reply,
    intro_reply,
    pack_focus,
    starter,
    waiting_reply,
)
from bot.scheduling.sender import Sender
from bot.storage.database import Database

log = logging.getLogger(__name__)

ROUND_SLACK = timedelta(hours=12)
INTRO, CHECKIN = "introduced_at", "checkin_sent_at"


@runtime_checkable
class GroupSender(Protocol):
    """Optional: a sender that can also open a group conversation with a whole pack."""

    def send_group(self, platform: str, platform_user_ids: Sequence[str], reply: Reply) -> None: ...


def candidate(teacher: Teacher, stated_focus: str = "") -> PackCandidate:
    """What formation compares: grades, subjects, interests and stated focus (words and phrases)."""
    focus = {f"grade:{g}" for g in teacher.grades} | {f"subject:{s}" for s in teacher.subjects}
    focus |= {f"interest:{i.lower()}" for i in teacher.interests}
    focus |= {f"term:{t}" for t in content_terms(" ".join((stated_focus, *teacher.interests)))}
    return PackCandidate(teacher.id, teacher.years_experience, frozenset(focus))


def communities(teachers: Iterable[Teacher]) -> list[list[Teacher]]:
    """Packs never mix platforms or workspaces: members must be able to reach each other."""
    groups: dict[tuple[str, str | None], list[Teacher]] = defaultdict(list)
    for teacher in teachers:
        groups[(teacher.platform, teacher.workspace_id)].append(teacher)
    return [groups[key] for key in sorted(groups, key=lambda k: (k[0], k[1] or ""))]


def form_round(
    db: Database,
    sender: Sender,
    now: datetime,
    policy: PackPolicy = PackPolicy(),
    force: bool = False,
) -> RoundStats | None:
    """Form this round's packs and introduce everyone; None when no round is due (or another won)."""
    now = as_utc(now)
    with db.unit_of_work() as uow:
        repo = uow.packs
        last = repo.last_round_started()
        if not force and last is not None and as_utc(last) > now - policy.every + ROUND_SLACK:
            return None
        members = repo.active_members(now)
        teachers = uow.teachers.get_many(m.teacher_id for m in members)
        stated = {m.teacher_id: m.focus for m in members}
        recent = repo.recent_pairs(policy.avoid_rounds)
        round_id = repo.create_round(now.date().isoformat(), now)
        if round_id is None:
            return None
        waiting: list[tuple[Teacher, int]] = []
        packs: list[tuple[list[Teacher], str, str]] = []
        for community in communities(teachers.values()):
            formation = form_packs([candidate(t, stated[t.id]) for t in community], recent, policy, round_id)
            waiting += [(teachers[i], len(community)) for i in formation.waiting]
            for ids in formation.packs:
                pack = [teachers[i] for i in ids]
                focus, _ = pack_focus(pack, stated)
                opener = starter(focus, round_id + len(packs))
                repo.add_pack(round_id, focus, opener, ids, now + policy.checkin_after)
                packs.append((pack, focus, opener))
        repo.set_waiting(round_id, len(waiting))
    log.info("pack round formed", extra={"round_id": round_id, "packs": len(packs), "waiting": len(waiting)})
    deliver_intros(db, sender, round_id, now, policy)
    if isinstance(sender, GroupSender):
        for pack, focus, opener in packs:
            _safely(partial(_send_group, sender, pack, focus, opener), "pack group message")
    for teacher, opted_in in waiting:
        _safely(partial(_send_waiting, sender, teacher, opted_in, policy), "pack waiting note")
    with db.unit_of_work() as uow:
        return uow.packs.round_stats(round_id)


def deliver_intros(
    db: Database, sender: Sender, round_id: int, now: datetime, policy: PackPolicy = PackPolicy()
) -> int:
    """Introduce every member not yet introduced (a retry after a failed delivery sends only the rest)."""
    with db.unit_of_work() as uow:
        todo = uow.packs.undelivered_intros(round_id)
    sent = 0
    for assignment_id, pack_id, teacher_id in todo:
        with db.unit_of_work() as uow:
            repo = uow.packs
            if not repo.claim(assignment_id, INTRO, now):
                continue
            pack = repo.pack(pack_id)
            if pack is None:  # forgotten meanwhile
                continue
            stated = repo.focuses(pack.teacher_ids)
            members = uow.teachers.get_many(pack.teacher_ids)
        me = members[teacher_id]
        others = [members[i] for i in pack.teacher_ids if i != teacher_id and i in members]
        _, why = pack_focus(list(members.values()), stated)
        reply = intro_reply(
            me, others, pack.focus, why, pack.starter, as_utc(pack.formed_at) + policy.checkin_after
        )
        if _deliver(db, sender, me, reply, assignment_id, INTRO):
            sent += 1
    return sent


def send_checkins(db: Database, sender: Sender, now: datetime) -> int:
    """Ask each member whose check-in is due "did you meet?" (once); returns how many were sent."""
    now = as_utc(now)
    with db.unit_of_work() as uow:
        due = uow.packs.due_checkins(now)
    sent = 0
    for assignment_id, pack_id, teacher_id in due:
        with db.unit_of_work() as uow:
            repo = uow.packs
            if not repo.claim(assignment_id, CHECKIN, now):
                continue
            membership = repo.membership(teacher_id)
            pack = repo.pack(pack_id)
            if pack is None:  # forgotten meanwhile
                continue
            members = uow.teachers.get_many(pack.teacher_ids)
        if membership is not None and membership.status == PackStatus.LEFT:
            continue  # they left packs: no more pack messages
        me = members.get(teacher_id)
        if me is None:
            continue
        others = [members[i] for i in pack.teacher_ids if i != teacher_id and i in members]
        if _deliver(db, sender, me, checkin_reply(pack_id, others), assignment_id, CHECKIN):
            sent += 1
    return sent


def _deliver(
    db: Database, sender: Sender, to: Teacher, reply: Reply, assignment_id: int, column: str
) -> bool:
    try:
        sender.send_dm(to.platform, to.platform_user_id, reply)
    except Exception as exc:
        log.warning(
            "pack message not delivered; it will be retried",
            extra={"assignment_id": assignment_id, "what": column, "error": type(exc).__name__},
        )
        with db.unit_of_work() as uow:
            uow.packs.release(assignment_id, column)
        return False
    return True


def _send_group(sender: GroupSender, pack: Sequence[Teacher], focus: str, opener: str) -> None:
    sender.send_group(pack[0].platform, [t.platform_user_id for t in pack], group_reply(pack, focus, opener))


def _send_waiting(sender: Sender, teacher: Teacher, opted_in: int, policy: PackPolicy) -> None:
    sender.send_dm(teacher.platform, teacher.platform_user_id, waiting_reply(opted_in, policy))


def _safely(call: Callable[[], object], what: str) -> None:
    try:
        call()
    except Exception as exc:
        log.warning("pack message not delivered", extra={"what": what, "error": type(exc).__name__})
