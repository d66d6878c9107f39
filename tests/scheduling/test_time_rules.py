"""Durations for settings and helpers' working hours across time zones."""

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.domain.clock import as_utc
from bot.domain.preferences import FollowUpPrefs
from bot.domain.working_hours import zone
from bot.scheduling.durations import parse_duration

CHICAGO = "America/Chicago"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("90m", timedelta(minutes=90)),
        ("2h", timedelta(hours=2)),
        ("1d", timedelta(days=1)),
        ("1h30m", timedelta(minutes=90)),
        (" 45s ", timedelta(seconds=45)),
        ("2H", timedelta(hours=2)),
    ],
)
def test_parse_duration(text, expected):
    assert parse_duration(text) == expected


@pytest.mark.parametrize("text", ["", "2", "h", "2 hours", "-2h", "0m", "2h!", "1.5h"])
def test_parse_duration_rejects_nonsense(text):
    with pytest.raises(ValueError):
        parse_duration(text)


def default_contact_time(now: datetime, timezone: str | None) -> datetime:
    """When a helper who never changed a setting may be nudged (the default prefs)."""
    return FollowUpPrefs().next_contact_time(now, timezone)


def local(year, month, day, hour, minute=0, tz=CHICAGO):
    return datetime(year, month, day, hour, minute, tzinfo=zone(tz)).astimezone(UTC)


def test_chicago_helper_at_7am_waits_until_8am():
    assert default_contact_time(local(2026, 11, 23, 7), CHICAGO) == local(2026, 11, 23, 8)
    assert default_contact_time(local(2026, 11, 23, 7), CHICAGO) == datetime(2026, 11, 23, 14, tzinfo=UTC)


def test_within_hours_is_now_and_the_day_ends_at_four():
    assert default_contact_time(local(2026, 11, 23, 8), CHICAGO) == local(2026, 11, 23, 8)
    assert default_contact_time(local(2026, 11, 23, 15, 59), CHICAGO) == local(2026, 11, 23, 15, 59)
    assert default_contact_time(local(2026, 11, 23, 16), CHICAGO) == local(2026, 11, 24, 8)


def test_friday_evening_and_weekend_wait_for_monday():
    assert default_contact_time(local(2026, 11, 27, 17), CHICAGO) == local(2026, 11, 30, 8)  # Friday
    assert default_contact_time(local(2026, 11, 28, 11), CHICAGO) == local(2026, 11, 30, 8)  # Saturday
    assert default_contact_time(local(2026, 11, 29, 7), CHICAGO) == local(2026, 11, 30, 8)  # Sunday


def test_time_zones_differ_and_unknown_zone_falls_back():
    moment = datetime(2026, 11, 23, 13, 30, tzinfo=UTC)  # 7:30 Chicago, 8:30 New York
    assert default_contact_time(moment, "America/New_York") == moment
    assert default_contact_time(moment, CHICAGO) == datetime(2026, 11, 23, 14, tzinfo=UTC)
    assert default_contact_time(moment, "Mars/Olympus") == moment  # default America/New_York


def test_naive_datetimes_are_utc():
    assert as_utc(datetime(2026, 1, 1, 12)) == datetime(2026, 1, 1, 12, tzinfo=UTC)


@given(
    st.datetimes(min_value=datetime(2020, 1, 1), max_value=datetime(2035, 1, 1), timezones=st.just(UTC)),
    st.sampled_from([CHICAGO, "America/New_York", "America/Los_Angeles", "Pacific/Auckland", "UTC"]),
)
def test_default_contact_time_is_soon_and_inside_working_hours(moment, tz):
    result = default_contact_time(moment, tz)
    assert moment <= result <= moment + timedelta(days=4)
    here = result.astimezone(zone(tz))
    assert here.weekday() < 5 and 8 <= here.hour < 16
