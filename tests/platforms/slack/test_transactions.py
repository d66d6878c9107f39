"""A signed /ask opens three transactions (13 before the unit of work): the question stored first, the
ranking's reads, the rest of the answer."""

from __future__ import annotations

from tests.platforms.slack.conftest import SlackHarness
from tests.transactions import Transactions

QUESTION = "How do I teach equivalent fractions hands-on to 4th graders?"


async def test_a_signed_ask_opens_few_transactions(slack: SlackHarness) -> None:
    transactions = Transactions(slack.app.db)
    response = await slack.command("ask", QUESTION)
    assert response.status == 200
    await slack.fake.wait_for("response_url")
    assert transactions.count <= 3
