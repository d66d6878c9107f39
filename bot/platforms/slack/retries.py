"""How the Slack Web API clients retry: 429s always, dropped connections only for read-only calls."""

from __future__ import annotations

from typing import Any

from slack_sdk.http_retry.builtin_async_handlers import (
    AsyncConnectionErrorRetryHandler,
    AsyncRateLimitErrorRetryHandler,
)
from slack_sdk.http_retry.request import HttpRequest
from slack_sdk.http_retry.response import HttpResponse
from slack_sdk.http_retry.state import RetryState

# Calls that change nothing: safe to repeat when a connection drops. A post is never repeated blindly:
# Slack may have taken it before the connection dropped (the sender checks the history instead).
READ_ONLY_METHODS = frozenset(
    {
        "auth.test",
        "users.info",
        "conversations.list",
        "conversations.open",
        "conversations.history",
        "conversations.replies",
    }
)


class ReadOnlyConnectionRetry(AsyncConnectionErrorRetryHandler):
    """Retries a dropped connection only for read-only Web API methods."""

    async def _can_retry_async(
        self,
        *,
        state: RetryState,
        request: HttpRequest,
        response: HttpResponse | None = None,
        error: Exception | None = None,
    ) -> bool:
        method = request.url.rstrip("/").rsplit("/", 1)[-1]
        if method not in READ_ONLY_METHODS:
            return False
        return await super()._can_retry_async(state=state, request=request, response=response, error=error)


def retry_handlers() -> list[Any]:
    """Retry on 429 (honouring Retry-After), and on dropped connections for read-only calls only."""
    return [ReadOnlyConnectionRetry(max_retry_count=2), AsyncRateLimitErrorRetryHandler(max_retry_count=3)]
