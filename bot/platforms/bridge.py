"""Calling a platform's async client from a worker thread (the follow-up dispatcher's scheduler thread)."""

from __future__ import annotations

import asyncio
import concurrent.futures
from collections.abc import Coroutine
from typing import Any, TypeVar

from bot.scheduling.sender import DeliveryError

T = TypeVar("T")
DEFAULT_TIMEOUT = 30.0


def run_on_loop(loop: asyncio.AbstractEventLoop, coro: Coroutine[Any, Any, T], timeout: float) -> T:
    """Run ``coro`` on ``loop`` (owned by another thread) and wait up to ``timeout`` seconds for it.

    A stopped loop or a timeout is a retryable ``DeliveryError``; the coroutine's own exceptions pass through.
    Never call this from ``loop``'s own thread: it would wait on itself.
    """
    try:
        running = asyncio.get_running_loop()
    except RuntimeError:
        running = None
    if running is loop:
        coro.close()
        raise RuntimeError("run_on_loop called from the loop's own thread; await the coroutine instead")
    if loop.is_closed() or not loop.is_running():
        coro.close()
        raise DeliveryError("the platform's event loop is not running", retryable=True)
    future = asyncio.run_coroutine_threadsafe(coro, loop)
    try:
        return future.result(timeout=timeout)
    except concurrent.futures.TimeoutError:
        future.cancel()
        raise DeliveryError(f"no answer from the platform within {timeout:g}s", retryable=True) from None
    except concurrent.futures.CancelledError:
        raise DeliveryError("the send was cancelled (shutting down?)", retryable=True) from None
