"""/kindred settings: see and change how Kindred follows up with me (nudges, hours, check-ins, snooze)."""

from __future__ import annotations

import logging
import re
from dataclasses import replace
from datetime import datetime, time, timedelta
from typing import Protocol
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from bot.domain.clock import as_utc
from bot.domain.events import Command
from bot.domain.markup import bold
from bot.domain.preferences import WEEKDAYS, FollowUpPrefs
from bot.domain.replies import Outcome
from bot.domain.teachers import Teacher
from bot.domain.working_hours import zone
from bot.handlers.identity import ensure_teacher
from bot.handlers.ids import parse_id
from bot.handlers.ports import Profiles, Timed
from bot.scheduling.durations import parse_duration

log = logging.getLogger(__name__)

DAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
MAX_SNOOZE_DAYS = 60
MAX_WEEKLY_LIMIT = 10
DEFAULT_WEEKLY_LIMIT = 3
USAGE = (
    "Change one setting at a time, e.g.\n"
    "  /kindred settings nudges off          (or on: may I ask you to help colleagues?)\n"
    "  /kindred settings quiet 17:00-07:30   (or quiet off)\n"
    "  /kindred settings hours 08:00-15:30   (your school day)\n"
    "  /kindred settings days mon-thu        (weekdays only)\n"
    "  /kindred settings timezone America/Chicago\n"
    "  /kindred settings checkin monday 08:30   (or checkin off)\n"
    "  /kindred settings snooze 3d           (or snooze off)\n"
    "  /kindred settings limit 2             (nudges per week, 0–10)\n"
    "  /kindred settings autopost on         (always post my unanswered questions in #help, no name)\n"
    "  /kindred settings reset               (back to the gentle defaults)"
)
_TIME = re.compile(r"^(\d{1,2})(?::(\d{2}))?\s*(am|pm)?$")
_YES = {"on", "yes", "y", "true", "1"}
_NO = {"off", "no", "n", "false", "0"}


class SettingsDeps(Profiles, Timed, Protocol):
    """What /kindred settings uses: the teacher's profile and the clock."""


class SettingsInputError(ValueError):
    """Friendly message for the teacher about what to fix."""


def handle(deps: SettingsDeps, command: Command, text: str, now: datetime | None = None) -> Outcome:
    """``text`` is what follows "settings"."""
    now = as_utc(now or deps.clock())
    with deps.db.unit_of_work() as uow:
        teacher = ensure_teacher(deps, command.actor)
        prefs = uow.preferences.load([teacher.id])[teacher.id]
        uow.commit()  # read, then compute holding no lock, then write only what changed
    if not text.strip():
        return Outcome.say(describe(teacher, prefs, now) + "\n\n" + USAGE)
    try:
        field, new_prefs, timezone = apply(text, prefs, now, teacher.timezone)
    except SettingsInputError as exc:
        return Outcome.say(f"{exc}\n\n{USAGE}")
    with deps.db.unit_of_work() as uow:
        if timezone != teacher.timezone:
            teacher, _ = uow.teachers.upsert(
                teacher.platform, teacher.platform_user_id, {"timezone": timezone}
            )
        uow.preferences.save(teacher.id, new_prefs, before=prefs)  # only what this command changes
        new_prefs = uow.preferences.load([teacher.id])[teacher.id]  # with any change made meanwhile
        teacher = uow.teachers.get(teacher.id) or teacher
    log.info("follow-up settings updated", extra={"teacher_id": teacher.id, "setting": field})
    return Outcome.say("Saved. " + describe(teacher, new_prefs, now))


def apply(text: str, prefs: FollowUpPrefs, now: datetime, timezone: str) -> tuple[str, FollowUpPrefs, str]:
    """Parse one "field value" change; returns (field, new preferences, time zone)."""
    field, _, value = text.strip().partition(" ")
    field, value = field.lower().rstrip(":="), value.strip()
    if field in ("nudges", "nudge"):
        return field, replace(prefs, nudges_enabled=parse_switch(value)), timezone
    if field == "quiet":
        if value.lower() in _NO | {"none"}:
            return field, replace(prefs, quiet_start=None, quiet_end=None), timezone
        start, end = parse_range(value)
        return field, replace(prefs, quiet_start=start, quiet_end=end), timezone
    if field == "hours":
        start, end = parse_range(value)
        if start >= end:
            raise SettingsInputError("Your school day should start before it ends, e.g. hours 07:45-15:30.")
        return field, replace(prefs, day_start=start, day_end=end), timezone
    if field == "days":
        return field, replace(prefs, work_days=parse_days(value)), timezone
    if field in ("timezone", "tz"):
        return field, prefs, parse_timezone(value)
    if field in ("checkin", "check-in"):
        return field, parse_checkin(value, prefs), timezone
    if field == "snooze":
        if value.lower() in _NO:
            return field, replace(prefs, snoozed_until=None), timezone
        return field, replace(prefs, snoozed_until=as_utc(now) + parse_snooze(value)), timezone
    if field == "limit":
        return field, replace(prefs, weekly_nudge_limit=parse_limit(value)), timezone
    if field in ("autopost", "post-unanswered"):
        return field, replace(prefs, post_unanswered=parse_switch(value)), timezone
    if field == "reset":
        return field, FollowUpPrefs(), timezone
    raise SettingsInputError(f"I don't know the setting “{field}”.")


def parse_switch(value: str) -> bool:
    value = value.strip().lower()
    if value in _YES:
        return True
    if value in _NO:
        return False
    raise SettingsInputError("Please say on or off.")


def parse_time(value: str) -> time:
    """ "17:00", "7:30", "5pm", "7:30am"."""
    match = _TIME.match(value.strip().lower().replace(".", ""))
    if match is None:
        raise SettingsInputError(f"“{value}” isn't a time I understand; use e.g. 17:00 or 5pm.")
    hour, minute, half = int(match.group(1)), int(match.group(2) or 0), match.group(3)
    if half is not None:
        if not 1 <= hour <= 12:
            raise SettingsInputError(f"“{value}” isn't a time I understand; use e.g. 17:00 or 5pm.")
        hour = hour % 12 + (12 if half == "pm" else 0)
    if hour > 23 or minute > 59:
        raise SettingsInputError(f"“{value}” isn't a time of day; use 00:00–23:59.")
    return time(hour, minute)


def parse_range(value: str) -> tuple[time, time]:
    parts = re.split(r"\s*(?:-|–|to)\s*", value.strip(), maxsplit=1)
    if len(parts) != 2 or not all(parts):
        raise SettingsInputError(f"Please give a start and an end, e.g. 17:00-07:30 (you wrote “{value}”).")
    start, end = parse_time(parts[0]), parse_time(parts[1])
    if start == end:
        raise SettingsInputError("The start and end times are the same; please give a real range.")
    return start, end


def parse_day(value: str) -> int:
    name = value.strip().lower()
    for index, day in enumerate(DAY_NAMES):
        if len(name) >= 2 and day.lower().startswith(name):
            return index
    raise SettingsInputError(f"“{value}” isn't a day I know; use e.g. mon, tue or monday.")


def parse_days(value: str) -> tuple[int, ...]:
    days: set[int] = set()
    for part in re.split(r"[,\s]+", value.strip()):
        if not part:
            continue
        if "-" in part:
            first, last = (parse_day(p) for p in part.split("-", 1))
            if first > last:
                raise SettingsInputError(f"“{part}” runs backwards; use e.g. mon-fri.")
            days.update(range(first, last + 1))
        else:
            days.add(parse_day(part))
    if not days:
        raise SettingsInputError("Please list your working days, e.g. mon-fri or mon,tue,thu.")
    if days - set(WEEKDAYS):
        raise SettingsInputError("Weekends are yours: Kindred never follows up on Saturday or Sunday.")
    return tuple(sorted(days))


def parse_checkin(value: str, prefs: FollowUpPrefs) -> FollowUpPrefs:
    words = value.split()
    if len(words) == 1 and words[0].lower() in _YES | _NO:
        return replace(prefs, checkin_enabled=parse_switch(words[0]))
    if len(words) != 2:
        raise SettingsInputError("Tell me a day and a time, e.g. checkin monday 08:30 (or checkin off).")
    day, at = parse_day(words[0]), parse_time(words[1])
    if day >= 5:
        raise SettingsInputError("Weekends are yours: pick a check-in day from Monday to Friday.")
    return replace(prefs, checkin_enabled=True, checkin_day=day, checkin_time=at)


def parse_timezone(value: str) -> str:
    try:
        ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError):
        raise SettingsInputError(
            f"“{value}” isn't a time zone I know; use a name like America/Chicago."
        ) from None
    return value


def parse_snooze(value: str) -> timedelta:
    text = value.strip().lower()
    if text.isascii() and text.isdigit():
        text += "d"  # "snooze 3" means days
    text = re.sub(r"([0-9]{1,9})\s*w", lambda m: f"{int(m.group(1)) * 7}d", text)  # weeks
    try:
        duration = parse_duration(text)
    except (ValueError, OverflowError):
        raise SettingsInputError(f"“{value}” isn't a snooze length; use e.g. 3d, 1w or 12h.") from None
    if duration.days > MAX_SNOOZE_DAYS:
        raise SettingsInputError(f"I can snooze for up to {MAX_SNOOZE_DAYS} days at a time.")
    return duration


def parse_limit(value: str) -> int:
    number = parse_id(value) if value.strip().isdigit() else None
    if number is None or number > MAX_WEEKLY_LIMIT:
        raise SettingsInputError(f"Please give a number of nudges per week from 0 to {MAX_WEEKLY_LIMIT}.")
    return number


def _clock(moment: time) -> str:
    return moment.strftime("%H:%M")


def _days(days: tuple[int, ...]) -> str:
    if days == WEEKDAYS:
        return "Mon–Fri"
    return ", ".join(DAY_NAMES[d][:3] for d in days)


def describe(teacher: Teacher, prefs: FollowUpPrefs, now: datetime) -> str:
    limit = prefs.nudge_limit(DEFAULT_WEEKLY_LIMIT)
    nudges = f"on, up to {limit} a week" if prefs.nudges_enabled and limit else "off"
    quiet = (
        f"{_clock(prefs.quiet_start)}–{_clock(prefs.quiet_end)}"
        if prefs.quiet_start is not None and prefs.quiet_end is not None
        else "none (outside your school day I stay quiet anyway)"
    )
    if prefs.snoozed(now) and prefs.snoozed_until is not None:
        local = prefs.snoozed_until.astimezone(zone(teacher.timezone))
        snooze = f"snoozed until {local:%a %b %d, %H:%M}"
    else:
        snooze = "not snoozed"
    checkin = (
        f"{DAY_NAMES[prefs.checkin_day]}s at {_clock(prefs.checkin_time)}" if prefs.checkin_enabled else "off"
    )
    return "\n".join(
        [
            bold("Your follow-up settings"),
            f"• Nudges to help colleagues: {nudges}",
            f"• School days: {_days(prefs.work_days)}, {_clock(prefs.day_start)}–{_clock(prefs.day_end)}",
            f"• Time zone: {teacher.timezone}",
            f"• Quiet hours: {quiet}",
            f"• Weekly goal check-in: {checkin}",
            f"• Snooze: {snooze}",
            "• Unanswered questions: "
            + (
                "always posted in the help channel, without your name"
                if prefs.post_unanswered
                else "I ask you first"
            ),
        ]
    )
