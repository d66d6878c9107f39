"""Checks a Slack request's signature on the raw bytes, before anything parses the body.

Unauthenticated junk (bad JSON, invalid UTF-8, odd headers) never reaches bolt; a signed request seen again
within the freshness window (a replay) is refused too.
"""

from __future__ import annotations

import hashlib
import hmac
import time
from collections import OrderedDict
from collections.abc import Callable, Mapping

MAX_AGE_SECONDS = 300  # Slack's own window: older timestamps are refused
REPLAY_CACHE_SIZE = 10_000


class SlackRequestGate:
    """``check(body, headers)`` returns ``None`` for a fresh, validly signed request, else a short reason."""

    def __init__(
        self,
        signing_secret: str,
        *,
        clock: Callable[[], float] = time.time,
        max_entries: int = REPLAY_CACHE_SIZE,
    ) -> None:
        self._secret = signing_secret.encode()
        self._clock = clock
        self._max_entries = max_entries
        self._seen: OrderedDict[str, float] = OrderedDict()  # signature (+ retry number) -> timestamp

    def check(self, body: bytes, headers: Mapping[str, str]) -> str | None:
        raw_timestamp = headers.get("X-Slack-Request-Timestamp", "")
        signature = headers.get("X-Slack-Signature", "")
        if not raw_timestamp or not signature:
            return "missing signature headers"
        if not raw_timestamp.isascii() or not raw_timestamp.isdigit() or len(raw_timestamp) > 12:
            return "malformed timestamp"
        timestamp = int(raw_timestamp)
        now = self._clock()
        if abs(now - timestamp) > MAX_AGE_SECONDS:
            return "stale timestamp"
        base = b"v0:" + raw_timestamp.encode() + b":" + body
        expected = "v0=" + hmac.new(self._secret, base, hashlib.sha256).hexdigest()
        if not hmac.compare_digest(expected.encode(), signature.encode("utf-8", "replace")):
            return "bad signature"
        key = f"{signature}:{headers.get('X-Slack-Retry-Num', '')}"  # a Slack retry is a new delivery
        if key in self._seen:
            return "replayed request"
        self._remember(key, timestamp, now)
        return None

    def _remember(self, key: str, timestamp: float, now: float) -> None:
        while self._seen:  # entries older than the window can never be replayed: drop them first
            oldest_key, oldest = next(iter(self._seen.items()))
            if now - oldest <= MAX_AGE_SECONDS and len(self._seen) < self._max_entries:
                break
            del self._seen[oldest_key]
        self._seen[key] = timestamp
