"""A signed /ask opens two writing transactions (the question stored first, then the rest of the answer) and
three that only read committed rows, holding no lock; 13 transactions, 4 writing, before the unit of work."""

from __future__ import annotations

from tests.platforms.slack.conftest import SlackHarness
from tests.transactions import Transactions

QUESTION = "How do I teach equivalent fractions hands-on to 4th graders?"


async def test_a_signed_ask_opens_few_transactions(slack: SlackHarness) -> None:
    transactions = Transactions(slack.app.db)
    response = await slack.command("ask", "What are good warm-ups for a 7th-grade science class?")
    assert response.status == 200
    await slack.fake.wait_for("response_url")
    # The process's first question also fills its caches (BM25, catalog means, shown-vs-chosen penalties):
    # extra transactions on sessions of their own that only read committed rows.
    assert transactions.reset()[1] == 2
    response = await slack.command("ask", QUESTION)
    assert response.status == 200
    await slack.fake.wait_for("response_url", count=2)
    assert transactions.reset() == (5, 2)
