"""Shared by the tests that start real Kindred processes."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from tests.platforms.slack.fake_slack import FakeSlack


@pytest.fixture
async def fake() -> AsyncIterator[FakeSlack]:
    """The local fake Slack Web API (and response_url endpoint) the child processes talk to."""
    server = FakeSlack()
    await server.start()
    yield server
    await server.stop()
