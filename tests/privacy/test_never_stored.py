"""Channel chatter that is not a help request is never stored: not in any table, not in the logs."""

from bot.domain.events import Actor, ChannelMessage
from tests.privacy.db_scan import all_cells, tables, where

MARIA = Actor("console", "maria.lopez", "Maria Lopez")
CHATTER = [
    "who else needs coffee after that zebra-striped staff meeting",
    "Lunch is in the lounge today, bring your own quokka-shaped mug",
    "Happy Friday everyone!! The marmalade cake in the office is amazing",
    "lol the projector in room 12 is haunted again, xylophone noises",
]
HELP = "Does anyone have a good water cycle hook for my 5th graders?"


def test_chatter_text_is_in_no_table_and_no_log(app, caplog):
    before = len(all_cells(app.db))
    for n, text in enumerate(CHATTER):
        assert app.kindred.handle_message(ChannelMessage(MARIA, "general", text, f"m{n}")) is None
    for marker in ("zebra-striped", "quokka", "marmalade", "xylophone"):
        assert where(app.db, marker) == [], f"{marker!r} was stored"
        assert marker not in caplog.text, f"{marker!r} was logged"
    assert len(all_cells(app.db)) == before, "chatter added no row at all (no teacher, no request)"
    assert {"teachers", "help_requests", "suggestions", "followups"} <= tables(app.db)


def test_a_help_request_in_the_same_channel_is_stored(app):
    app.kindred.handle_message(ChannelMessage(MARIA, "general", CHATTER[0], "m0"))
    assert app.kindred.handle_message(ChannelMessage(MARIA, "general", HELP, "m1")) is not None
    assert ("help_requests", "text") in where(app.db, "water cycle hook")
    assert where(app.db, "zebra-striped") == []
