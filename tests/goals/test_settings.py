"""/kindred settings: parsing with friendly errors, and the round trip through the database."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta

import pytest
import time_machine

from bot.domain.events import Actor, Command
from bot.domain.preferences import FollowUpPrefs
from bot.handlers.settings_cmd import SettingsInputError, apply, parse_days, parse_range, parse_time
from bot.storage.repositories import TeacherRepository
from bot.storage.repositories.preferences import PreferenceRepository
from tests.scheduling.conftest import START

MARIA = Actor("console", "maria.lopez", "Maria Lopez")
DEFAULTS = FollowUpPrefs()
TZ = "America/New_York"


def change(text: str, prefs: FollowUpPrefs = DEFAULTS) -> FollowUpPrefs:
    return apply(text, prefs, START, TZ)[1]


def test_gentle_defaults_are_school_hours_on_weekdays_monday_checkin():
    assert DEFAULTS.work_days == (0, 1, 2, 3, 4)
    assert (DEFAULTS.day_start, DEFAULTS.day_end) == (time(8), time(16))
    assert DEFAULTS.nudges_enabled and DEFAULTS.nudge_limit(3) == 3 and DEFAULTS.quiet_start is None
    assert (DEFAULTS.checkin_day, DEFAULTS.checkin_time) == (0, time(8, 30))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("17:00", time(17)),
        ("7:30", time(7, 30)),
        ("5pm", time(17)),
        ("7:30am", time(7, 30)),
        ("12am", time(0)),
        ("12 pm", time(12)),
    ],
)
def test_times_in_the_ways_teachers_write_them(text, expected):
    assert parse_time(text) == expected


def test_each_setting_changes_only_itself():
    assert not change("nudges off").nudges_enabled
    assert change("nudges off") == FollowUpPrefs(nudges_enabled=False)
    quiet = change("quiet 17:00-07:30")
    assert (quiet.quiet_start, quiet.quiet_end) == (time(17), time(7, 30))
    assert change("quiet off", quiet).quiet_start is None
    hours = change("hours 7:45 to 3:30pm")
    assert (hours.day_start, hours.day_end) == (time(7, 45), time(15, 30))
    assert change("days mon-thu").work_days == (0, 1, 2, 3)
    assert change("days Mon, Wed, fri").work_days == (0, 2, 4)
    checkin = change("checkin friday 14:15")
    assert (checkin.checkin_day, checkin.checkin_time, checkin.checkin_enabled) == (4, time(14, 15), True)
    assert not change("checkin off").checkin_enabled
    assert change("snooze 3d").snoozed_until == START + timedelta(days=3)
    assert change("snooze 1w").snoozed_until == START + timedelta(days=7)
    assert change("snooze 2").snoozed_until == START + timedelta(days=2)
    assert change("snooze off", change("snooze 3d")).snoozed_until is None
    assert change("limit 1").weekly_nudge_limit == 1
    assert change("reset", change("limit 1")) == DEFAULTS
    assert apply("timezone America/Chicago", DEFAULTS, START, TZ)[2] == "America/Chicago"


@pytest.mark.parametrize(
    ("text", "hint"),
    [
        ("quiet 17:00", "start and an end"),
        ("quiet 25:00-07:00", "isn't a time"),
        ("quiet noonish-7", "isn't a time I understand"),
        ("hours 15:00-08:00", "start before it ends"),
        ("days sat,sun", "Weekends are yours"),
        ("days mon-sat", "Weekends are yours"),
        ("days fri-mon", "runs backwards"),
        ("days someday", "isn't a day I know"),
        ("checkin saturday 09:00", "Weekends are yours"),
        ("checkin monday", "a day and a time"),
        ("snooze forever", "isn't a snooze length"),
        ("snooze 90d", "up to 60 days"),
        ("limit lots", "from 0 to 10"),
        ("limit 50", "from 0 to 10"),
        ("nudges maybe", "on or off"),
        ("timezone Mars/Olympus", "isn't a time zone"),
        ("bedtime 9pm", "I don't know the setting “bedtime”"),
    ],
)
def test_mistakes_get_a_friendly_explanation(text, hint):
    with pytest.raises(SettingsInputError, match=hint):
        apply(text, DEFAULTS, START, TZ)


def test_range_and_day_parsers_directly():
    assert parse_range("17:00–07:30") == (time(17), time(7, 30))
    assert parse_days("monday-friday") == (0, 1, 2, 3, 4)


def command(text: str) -> Command:
    return Command(MARIA, "kindred", text)


def test_settings_show_change_and_persist(app):
    kindred = app.kindred
    shown = kindred.handle_command(command("settings")).reply.text
    assert "Nudges to help colleagues: on, up to 3 a week" in shown
    assert "School days: Mon–Fri, 08:00–16:00" in shown and "Mondays at 08:30" in shown
    assert "/kindred settings quiet 17:00-07:30" in shown

    saved = kindred.handle_command(command("settings quiet 17:00-07:30")).reply.text
    assert saved.startswith("Saved.") and "Quiet hours: 17:00–07:30" in saved
    kindred.handle_command(command("settings nudges off"))
    kindred.handle_command(command("settings timezone America/Chicago"))
    with app.db.session() as session:
        maria = TeacherRepository(session).find("console", "maria.lopez")
        prefs = PreferenceRepository(session).load([maria.id])[maria.id]
    assert maria.timezone == "America/Chicago"
    assert prefs.quiet_start == time(17) and not prefs.nudges_enabled

    error = kindred.handle_command(command("settings days sat")).reply.text
    assert error.startswith("Weekends are yours") and "/kindred settings days mon-thu" in error
    with app.db.session() as session:
        assert PreferenceRepository(session).load([maria.id])[maria.id].work_days == (0, 1, 2, 3, 4)


def test_snooze_is_shown_in_the_teachers_local_time(app):
    app.kindred.handle_command(command("settings timezone America/New_York"))
    with time_machine.travel(datetime(2026, 11, 23, 15, 0, tzinfo=UTC), tick=False):
        text = app.kindred.handle_command(command("settings snooze 3d")).reply.text
    assert "Snooze: snoozed until Thu Nov 26, 10:00" in text  # New York
    assert "settings" in app.kindred.handle_command(command("help")).reply.text
