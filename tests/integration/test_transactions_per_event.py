"""One incoming event, one transaction: counted with a listener on the engine's BEGINs."""

import io

from bot.platforms.console import ConsoleSession
from tests.integration.test_unit_of_work import Transactions


def test_console_ask_count(app):
    console = ConsoleSession(app.kindred, out=io.StringIO())
    console.handle_line("/as Maria Lopez")
    counter = Transactions(app.db)
    console.handle_line("/ask How do I teach equivalent fractions hands-on to 4th graders?")
    print("ASK TRANSACTIONS", counter.count)
    counter.count = 0
    console.handle_line("/press 1")
    print("PRESS TRANSACTIONS", counter.count)
