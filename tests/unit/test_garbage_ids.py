"""Garbage ids and values get a kind usage message, never the "something went wrong" apology."""

from __future__ import annotations

import logging

import pytest

from bot.domain.events import Actor, ButtonPress, Command
from bot.handlers.ids import parse_id
from bot.scheduling.durations import parse_duration

MARIA = Actor("console", "maria.lopez", "Maria Lopez")
HUGE = "99999999999999999999"
GARBAGE_VALUES = [HUGE, "²", '{"request_id": 1}', "1:²", "", "-1", "#3"]


@pytest.mark.parametrize(
    ("name", "text"),
    [
        ("kindred", f"reveal {HUGE}"),
        ("kindred", "reveal ²"),
        ("kindred", f"solved {HUGE}"),
        ("adapt", "²"),
        ("adapt", f"{HUGE} we used it in stations"),
        ("kindred", "settings snooze 99999999999d"),
        ("kindred", "settings snooze ²w"),
        ("kindred", f"settings limit {HUGE}"),
        ("kindred", "settings limit ²"),
    ],
)
def test_garbage_in_commands_gets_usage_not_apology(
    app, caplog: pytest.LogCaptureFixture, name: str, text: str
) -> None:
    with caplog.at_level(logging.ERROR):
        outcome = app.kindred.handle_command(Command(MARIA, name, text, channel_id="general"))
    assert outcome.reply is not None
    assert "something went wrong" not in outcome.reply.to_text().lower()
    assert not [r for r in caplog.records if r.exc_info], "no traceback logged"


def test_garbage_in_every_button_value_gets_no_apology(app, caplog: pytest.LogCaptureFixture) -> None:
    actions = sorted(app.kindred.registry.buttons)
    assert actions
    with caplog.at_level(logging.ERROR):
        for action in actions:
            for value in GARBAGE_VALUES:
                outcome = app.kindred.handle_button(ButtonPress(MARIA, action, value, channel_id="general"))
                text = outcome.reply.to_text().lower() if outcome.reply else ""
                assert "something went wrong" not in text, (action, value)
    assert not [r for r in caplog.records if r.exc_info], "no traceback logged"


def test_parse_id_takes_only_ascii_ids_that_fit() -> None:
    assert parse_id("12") == 12 and parse_id("#12") == 12
    assert parse_id("²") is None and parse_id(HUGE) is None and parse_id("{}") is None
    with pytest.raises(ValueError):
        parse_duration("99999999999d")
