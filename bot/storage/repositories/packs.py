"""Pack opt-ins, rounds, packs and their members."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import datetime
from itertools import combinations

from sqlalchemy import func, or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from bot.domain.packs import CheckIn, Membership, Pack, PackMember, PackStatus, RoundStats
from bot.storage.database import affected_rows
from bot.storage.models import PackAssignmentRow, PackMembershipRow, PackRoundRow, PackRow


def to_membership(row: PackMembershipRow) -> Membership:
    return Membership(row.teacher_id, PackStatus(row.status), row.focus or "", row.snoozed_until)


class PackRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    # --- opt-in ---------------------------------------------------------------------------------

    def membership(self, teacher_id: int) -> Membership | None:
        row = self.session.get(PackMembershipRow, teacher_id)
        return to_membership(row) if row else None

    def join(self, teacher_id: int, focus: str | None = None) -> tuple[Membership, bool]:
        """Opt in (again); a given ``focus`` replaces the old one. Returns the membership and whether it
        was newly active. Joining also ends a snooze."""
        row = self.session.get(PackMembershipRow, teacher_id)
        was_active = row is not None and row.status == PackStatus.ACTIVE
        if row is None:
            row = PackMembershipRow(teacher_id=teacher_id, focus="")
            self.session.add(row)
        row.status = PackStatus.ACTIVE.value
        row.snoozed_until = None
        if focus is not None:
            row.focus = focus
        self.session.flush()
        return to_membership(row), not was_active

    def leave(self, teacher_id: int) -> bool:
        row = self.session.get(PackMembershipRow, teacher_id)
        if row is None or row.status == PackStatus.LEFT:
            return False
        row.status = PackStatus.LEFT.value
        self.session.flush()
        return True

    def snooze(self, teacher_id: int, until: datetime) -> bool:
        row = self.session.get(PackMembershipRow, teacher_id)
        if row is None or row.status != PackStatus.ACTIVE:
            return False
        row.snoozed_until = until
        self.session.flush()
        return True

    def focuses(self, teacher_ids: Iterable[int]) -> dict[int, str]:
        """Stated focus per teacher ("" when they gave none or never joined)."""
        ids = list(teacher_ids)
        rows = self.session.execute(
            select(PackMembershipRow.teacher_id, PackMembershipRow.focus).where(
                PackMembershipRow.teacher_id.in_(ids)
            )
        )
        return {**dict.fromkeys(ids, ""), **{int(t): f or "" for t, f in rows}}

    def active_members(self, now: datetime) -> list[Membership]:
        """Opted in, not left, not snoozed at ``now``."""
        rows = self.session.scalars(
            select(PackMembershipRow)
            .where(
                PackMembershipRow.status == PackStatus.ACTIVE.value,
                or_(PackMembershipRow.snoozed_until.is_(None), PackMembershipRow.snoozed_until <= now),
            )
            .order_by(PackMembershipRow.teacher_id)
        )
        return [to_membership(r) for r in rows]

    # --- rounds ---------------------------------------------------------------------------------

    def last_round_started(self) -> datetime | None:
        return self.session.scalar(select(func.max(PackRoundRow.started_at)))

    def create_round(self, day: str, now: datetime) -> int | None:
        """A new round for ``day``; None when that day already has one (another scheduler won)."""
        try:
            with self.session.begin_nested():
                row = PackRoundRow(day=day, started_at=now, waiting=0)
                self.session.add(row)
        except IntegrityError:
            return None
        return row.id

    def set_waiting(self, round_id: int, waiting: int) -> None:
        self.session.execute(update(PackRoundRow).where(PackRoundRow.id == round_id).values(waiting=waiting))

    def recent_pairs(self, rounds: int) -> set[frozenset[int]]:
        """Everyone who shared a pack in the last ``rounds`` rounds, as pairs of teacher ids."""
        if rounds <= 0:
            return set()
        recent = select(PackRoundRow.id).order_by(PackRoundRow.started_at.desc()).limit(rounds)
        rows = self.session.execute(
            select(PackAssignmentRow.pack_id, PackAssignmentRow.teacher_id).where(
                PackAssignmentRow.round_id.in_(recent.scalar_subquery())
            )
        )
        by_pack: dict[int, list[int]] = defaultdict(list)
        for pack_id, teacher_id in rows:
            by_pack[pack_id].append(teacher_id)
        return {frozenset(p) for members in by_pack.values() for p in combinations(members, 2)}

    def add_pack(
        self, round_id: int, focus: str, starter: str, teacher_ids: Iterable[int], checkin_due_at: datetime
    ) -> int:
        row = PackRow(round_id=round_id, focus=focus[:200], starter=starter)
        self.session.add(row)
        self.session.flush()
        for teacher_id in teacher_ids:
            self.session.add(
                PackAssignmentRow(
                    round_id=round_id, pack_id=row.id, teacher_id=teacher_id, checkin_due_at=checkin_due_at
                )
            )
        self.session.flush()
        return row.id

    # --- delivery ---------------------------------------------------------------------------------

    def undelivered_intros(self, round_id: int) -> list[tuple[int, int, int]]:
        """(assignment id, pack id, teacher id) of members not yet introduced to their pack."""
        rows = self.session.execute(
            select(PackAssignmentRow.id, PackAssignmentRow.pack_id, PackAssignmentRow.teacher_id)
            .where(PackAssignmentRow.round_id == round_id, PackAssignmentRow.introduced_at.is_(None))
            .order_by(PackAssignmentRow.id)
        )
        return [(int(a), int(p), int(t)) for a, p, t in rows]

    def due_checkins(self, now: datetime, limit: int = 200) -> list[tuple[int, int, int]]:
        """(assignment id, pack id, teacher id) whose "did you meet?" is due and not sent or answered."""
        rows = self.session.execute(
            select(PackAssignmentRow.id, PackAssignmentRow.pack_id, PackAssignmentRow.teacher_id)
            .where(
                PackAssignmentRow.checkin_sent_at.is_(None),
                PackAssignmentRow.checkin_due_at <= now,
                PackAssignmentRow.check_in.is_(None),
            )
            .order_by(PackAssignmentRow.checkin_due_at, PackAssignmentRow.id)
            .limit(limit)
        )
        return [(int(a), int(p), int(t)) for a, p, t in rows]

    def claim(self, assignment_id: int, column: str, now: datetime) -> bool:
        """Set ``introduced_at`` or ``checkin_sent_at`` unless already set: only one sender wins."""
        col = getattr(PackAssignmentRow, column)
        result = self.session.execute(
            update(PackAssignmentRow)
            .where(PackAssignmentRow.id == assignment_id, col.is_(None))
            .values({column: now})
            .execution_options(synchronize_session=False)
        )
        return bool(affected_rows(result))

    def release(self, assignment_id: int, column: str) -> None:
        """Undo a claim after a failed delivery, so a later run tries again."""
        self.session.execute(
            update(PackAssignmentRow)
            .where(PackAssignmentRow.id == assignment_id)
            .values({column: None})
            .execution_options(synchronize_session=False)
        )

    # --- packs and answers ----------------------------------------------------------------------

    def pack(self, pack_id: int) -> Pack | None:
        row = self.session.get(PackRow, pack_id)
        if row is None:
            return None
        round_row = self.session.get(PackRoundRow, row.round_id)
        members = self.session.scalars(
            select(PackAssignmentRow)
            .where(PackAssignmentRow.pack_id == pack_id)
            .order_by(PackAssignmentRow.teacher_id)
        )
        return Pack(
            id=row.id,
            round_id=row.round_id,
            focus=row.focus,
            starter=row.starter,
            formed_at=round_row.started_at if round_row else row.created_at,
            members=tuple(
                PackMember(m.teacher_id, CheckIn(m.check_in) if m.check_in else None) for m in members
            ),
        )

    def current_pack(self, teacher_id: int) -> Pack | None:
        """The teacher's pack in the latest round they were placed in."""
        pack_id = self.session.scalar(
            select(PackAssignmentRow.pack_id)
            .where(PackAssignmentRow.teacher_id == teacher_id)
            .order_by(PackAssignmentRow.round_id.desc())
            .limit(1)
        )
        return self.pack(pack_id) if pack_id is not None else None

    def answer_checkin(self, pack_id: int, teacher_id: int, answer: CheckIn, now: datetime) -> bool:
        """Record a member's "did you meet?" answer (a later answer replaces an earlier one)."""
        result = self.session.execute(
            update(PackAssignmentRow)
            .where(PackAssignmentRow.pack_id == pack_id, PackAssignmentRow.teacher_id == teacher_id)
            .values(check_in=answer.value, answered_at=now)
            .execution_options(synchronize_session=False)
        )
        return bool(affected_rows(result))

    def round_stats(self, round_id: int) -> RoundStats | None:
        row = self.session.get(PackRoundRow, round_id)
        if row is None:
            return None
        formed = self.session.scalar(select(func.count(PackRow.id)).where(PackRow.round_id == round_id))
        answers = dict(
            self.session.execute(
                select(PackAssignmentRow.check_in, func.count(PackAssignmentRow.id))
                .where(PackAssignmentRow.round_id == round_id)
                .group_by(PackAssignmentRow.check_in)
            ).all()
        )
        return RoundStats(
            round_id=row.id,
            started_at=row.started_at,
            formed=int(formed or 0),
            placed=int(sum(answers.values())),
            waiting=row.waiting,
            met=int(answers.get(CheckIn.MET.value, 0)),
            skipped=int(answers.get(CheckIn.SKIPPED.value, 0)),
        )

    def rounds(self, limit: int = 10) -> list[RoundStats]:
        """Stats of the latest rounds, newest first."""
        ids = self.session.scalars(
            select(PackRoundRow.id).order_by(PackRoundRow.started_at.desc()).limit(limit)
        )
        return [s for s in (self.round_stats(i) for i in list(ids)) if s is not None]
