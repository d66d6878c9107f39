"""One incoming event, one transaction: what a console /ask and a button press open, counted at the engine.

Before the unit of work a console /ask opened 13 transactions, 4 of them writing (each repository call its
own session), and a "Post to #help" press 4."""

import io

from sqlalchemy import func, select

from bot.platforms.console import ConsoleSession
from bot.storage.models import HelpRequestRow
from tests.transactions import Transactions

QUESTION = "/ask How do I teach equivalent fractions hands-on to 4th graders?"


def _requests(app) -> int:
    with app.db.unit_of_work(writes=False) as uow:
        return int(uow.session.scalar(select(func.count()).select_from(HelpRequestRow)) or 0)


def test_a_console_ask_writes_in_two_transactions_and_a_press_in_one(app):
    out = io.StringIO()
    console = ConsoleSession(app.kindred, out=out)
    console.handle_line("/as Maria Lopez")
    transactions = Transactions(app.db)
    console.handle_line("/ask What are good warm-ups for a 7th-grade science class?")
    # The process's first question also fills its caches (BM25, catalog means, shown-vs-chosen penalties):
    # extra transactions on sessions of their own that only read committed rows, never writing.
    assert transactions.reset()[1] == 2
    console.handle_line(QUESTION)
    # Writing: the question stored first (so nothing is lost), then the rest of the answer. Reading only,
    # on committed rows and holding no lock: the ranking, the knowledge base's two searches.
    assert transactions.reset() == (5, 2)
    assert "Grab n' go resources:" in out.getvalue()
    console.handle_line("/press 1")  # "Post to #help": the event, then recording where it was posted
    assert transactions.reset() == (2, 1)
    assert "[#help] Question from @maria.lopez:" in out.getvalue()


def test_a_failure_while_matching_keeps_the_question(app, monkeypatch):
    def boom(*args, **kwargs):
        raise RuntimeError("index exploded")

    console = ConsoleSession(app.kindred, out=(out := io.StringIO()))
    console.handle_line("/as Maria Lopez")
    before = _requests(app)
    monkeypatch.setattr(app.kindred.deps.suggester, "suggest", boom)
    console.handle_line(QUESTION)
    assert "something went wrong on my side" in out.getvalue()
    assert _requests(app) == before + 1
