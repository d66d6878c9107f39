"""The follow-up kinds (``escalate``, ``did_it_help``) and how they get scheduled.

An ``escalate`` row without a target is the plan: if the request is still open and unanswered, it
picks 1–3 new peers, records a nudge for each and schedules one targeted ``escalate`` row per helper,
due at the helper's next working hour. A targeted row sends that one nudge (or waits for working hours).

A question asked privately (``/ask``, not anonymous, never posted) also gets one ``post_public`` row when
the plan runs, ``public_after`` later: if it is still open and unanswered by then, the asker is asked by DM
whether it may go to the help channel (silence keeps it private). Only a teacher who opted in
(``/kindred settings autopost on``) has it posted without being asked — without their name, and never
when it looks like it identifies a student.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from bot.domain.clock import as_utc
from bot.domain.followups import CANCELLED, DID_IT_HELP, ESCALATE, POST_PUBLIC
from bot.domain.preferences import FollowUpPrefs
from bot.domain.requests import RequestStatus
from bot.domain.teachers import Teacher
from bot.matching.suggester import Suggester
from bot.privacy import student_pii
from bot.scheduling.dispatcher import DONE, SKIP, Job, JobHandler, JobResult, defer
from bot.scheduling.messages import consent_reply, did_it_help_reply, nudge_reply, public_post_reply
from bot.scheduling.sender import PostToHelp, Sender
from bot.storage.database import Database
from bot.storage.unit_of_work import UnitOfWork

log = logging.getLogger(__name__)

DEFAULT_NUDGE_AFTER = timedelta(hours=2)
WEEK = timedelta(days=7)


@dataclass(frozen=True)
class _Open:
    """A snapshot of an open, unanswered request (taken inside a session, used outside it)."""

    id: int
    text: str
    platform: str
    asker: Teacher | None
    workspace_id: str | None = None  # the asker's, or the anonymous question's: helpers never cross it


@dataclass
class FollowUpJobs:
    db: Database
    suggester: Suggester
    weekly_nudge_limit: int = 3
    max_new_peers: int = 3
    # Ids among candidates who asked this request anonymously (never nudge someone about their own question).
    hidden_askers: Callable[[int, Sequence[Teacher]], set[int]] | None = None
    # How long after the first escalation a privately asked question goes to the help channel (None: never).
    public_after: timedelta | None = DEFAULT_NUDGE_AFTER
    help_channel: str = "help"  # its name, in the "may I post it?" DM

    def handlers(self) -> dict[str, JobHandler]:
        return {ESCALATE: self.escalate, DID_IT_HELP: self.did_it_help, POST_PUBLIC: self.post_public}

    def escalate(self, job: Job, sender: Sender, now: datetime) -> JobResult:
        if job.target_teacher_id is None:
            return self._plan(job, now)
        return self._nudge(job, job.target_teacher_id, sender, now)

    def did_it_help(self, job: Job, sender: Sender, now: datetime) -> JobResult:
        with self.db.unit_of_work() as uow:
            request = uow.followups.request(job.request_id)
            if request is None or request.status in (RequestStatus.SOLVED, RequestStatus.CLOSED):
                return SKIP
            asker = uow.teachers.get(request.asker_id) if request.asker_id else None
            text = request.text
            answer = uow.knowledge.latest_thread_answer(request.id)  # the reply it asks about
        if asker is None:  # anonymous: the relayed reply already asked them (the job cannot reach them)
            return SKIP
        reply = did_it_help_reply(job.request_id, text, answer)
        sender.send_dm(asker.platform, asker.platform_user_id, reply)
        return DONE

    @staticmethod
    def _open_request(uow: UnitOfWork, request_id: int) -> _Open | None:
        request = uow.followups.request(request_id)
        if request is None or not request.open_and_unanswered:
            return None
        asker = uow.teachers.get(request.asker_id) if request.asker_id else None
        if asker is not None:
            return _Open(request.id, request.text, request.platform, asker, asker.workspace_id)
        anonymous = uow.anonymity.summary(request.id)
        workspace_id = anonymous.workspace_id if anonymous else None
        return _Open(request.id, request.text, request.platform, None, workspace_id)

    def _plan(self, job: Job, now: datetime) -> JobResult:
        with self.db.unit_of_work(writes=False) as uow:  # what the plan starts from, in one read
            request = self._open_request(uow, job.request_id)
            if request is None:
                return SKIP
            waiting_on = uow.knowledge.open_earlier_links(request.id)
            repo = uow.followups
            excluded = repo.suggested_peer_ids(request.id) | repo.nudged_teacher_ids(request.id)
        if waiting_on:  # linked to a colleague's open look-alike: their nudges serve both, check again later
            log.info("escalation waits for a linked question", extra={"request_id": request.id})
            return defer(as_utc(now) + (self.public_after or DEFAULT_NUDGE_AFTER))
        if request.asker is not None:
            excluded.add(request.asker.id)
        candidates = self._candidates(request, excluded)  # the slow part (matching), outside any transaction
        with self.db.unit_of_work() as uow:
            repo = uow.followups
            helpers, prefs = self._new_helpers(uow, candidates, now)
            for helper in helpers:
                repo.add_nudge(request.id, helper.id, now)
                when = prefs[helper.id].next_contact_time(now, helper.timezone)  # their hours, not quiet ones
                repo.schedule(ESCALATE, request.id, when, helper.id)
            if self.public_after is not None and repo.asked_privately(request.id):
                # Once per request; one cancelled earlier (answered, then "not yet") is armed again.
                reset = repo.state(POST_PUBLIC, request.id) == CANCELLED
                repo.schedule(POST_PUBLIC, request.id, as_utc(now) + self.public_after, reset=reset)
        log.info("escalation planned", extra={"request_id": request.id, "helpers": len(helpers)})
        return DONE

    def post_public(self, job: Job, sender: Sender, now: datetime) -> JobResult:
        """Post a still-unanswered private question to the help channel, without naming the asker."""
        with self.db.unit_of_work() as uow:
            request = uow.followups.request(job.request_id)
            if (
                request is None
                or not request.open_and_unanswered
                or request.anonymous
                or uow.requests.is_posted(request.id)
                or uow.knowledge.open_earlier_links(request.id)  # its look-alike is out there
            ):
                return SKIP
            asker = uow.teachers.get(request.asker_id) if request.asker_id else None
            if asker is None:
                return SKIP
            text, platform = request.text, request.platform
            opted_in = uow.preferences.get(asker.id).post_unanswered
        if not opted_in:  # never public without the asker's yes: ask, and silence keeps it private
            reply = consent_reply(job.request_id, text, self.help_channel)
            sender.send_dm(asker.platform, asker.platform_user_id, reply)
            log.info("asked the asker before posting publicly", extra={"request_id": job.request_id})
            return DONE
        if student_pii.check(text).found:  # ids only in the log: never the text
            log.info(
                "question not posted publicly: it may identify a student",
                extra={"request_id": job.request_id},
            )
            return SKIP
        post: PostToHelp | None = getattr(sender, "post_to_help", None)
        if post is None:
            log.info("question not posted publicly: sender cannot post", extra={"request_id": job.request_id})
            return SKIP
        workspace_id = asker.workspace_id
        channel_id, message_id = post(platform, workspace_id, public_post_reply(job.request_id, text))
        with self.db.unit_of_work() as uow:  # so replies in its thread map back (and stop escalation)
            uow.requests.record_post(job.request_id, platform, channel_id, message_id)
        log.info("question posted to the help channel", extra={"request_id": job.request_id})
        return DONE

    def _candidates(self, request: _Open, excluded: set[int]) -> list[Teacher]:
        """Matched peers not yet suggested or nudged for this request, open to help, not its secret asker."""
        asker = request.asker
        limit = self.max_new_peers + len(excluded) + 5
        weights = self.suggester.peer_weights.wider(2 * limit)  # colleagues with a reason, further down
        wider = replace(self.suggester, peer_limit=limit, peer_weights=weights)
        suggestions = wider.suggest(
            request.text,
            asker if asker is not None and asker.onboarded else None,
            request.platform,
            request.workspace_id,
        )
        fresh = [t for _, t in suggestions.peers if t.id not in excluded and t.open_to_help]
        if self.hidden_askers is not None:
            secret_askers = self.hidden_askers(request.id, fresh)
            fresh = [t for t in fresh if t.id not in secret_askers]
        return fresh

    def _new_helpers(
        self, uow: UnitOfWork, fresh: list[Teacher], now: datetime
    ) -> tuple[list[Teacher], dict[int, FollowUpPrefs]]:
        """The candidates who take nudges (not off or snoozed) and are under their weekly cap, with their
        preferences; read in the transaction that records the nudges."""
        counts = uow.followups.nudge_counts((t.id for t in fresh), now - WEEK)
        prefs = uow.preferences.load(t.id for t in fresh)  # nudges off / snoozed / own weekly limit
        helpers = [
            t
            for t in fresh
            if prefs[t.id].accepts_nudges(now)
            and counts.get(t.id, 0) < prefs[t.id].nudge_limit(self.weekly_nudge_limit)
        ][: self.max_new_peers]
        return helpers, prefs

    def _nudge(self, job: Job, helper_id: int, sender: Sender, now: datetime) -> JobResult:
        with self.db.unit_of_work(writes=False) as uow:
            request = self._open_request(uow, job.request_id)
            if request is None:
                return SKIP
            helper = uow.teachers.get(helper_id)
            prefs = uow.preferences.get(helper_id)
        if helper is None or not helper.open_to_help or not prefs.accepts_nudges(now):
            return SKIP
        when = prefs.next_contact_time(now, helper.timezone)
        if when > as_utc(now):
            return defer(when)
        reply = nudge_reply(request.id, request.text, helper, request.asker)
        sender.send_dm(helper.platform, helper.platform_user_id, reply)
        return DONE
