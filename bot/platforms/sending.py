"""What the Slack and Discord follow-up senders share: the synchronous ``Sender`` port on top of an async
client (calls run on the platform's event loop), the platform check, and turning client errors into
``DeliveryError`` (retryable or not). Each platform only says how to post, how to DM and what its errors mean.
"""

from __future__ import annotations

from collections.abc import Awaitable
from typing import Any, ClassVar, TypeVar

import aiohttp

from bot.domain.replies import Reply
from bot.platforms.bridge import DEFAULT_TIMEOUT, run_on_loop
from bot.scheduling.sender import DELIVERY_KEY, DeliveryError, DeliveryKey

T = TypeVar("T")
CONNECTION_ERRORS: tuple[type[BaseException], ...] = (aiohttp.ClientError, TimeoutError, OSError)


class PlatformSender:
    platform: ClassVar[str]
    connection_errors: ClassVar[tuple[type[BaseException], ...]] = CONNECTION_ERRORS

    def __init__(
        self, client: Any, loop: Any, timeout: float = DEFAULT_TIMEOUT, help_channel: str = "help"
    ) -> None:
        self.client = client
        self.loop = loop
        self.timeout = timeout
        self.help_channel = help_channel

    # --- the synchronous Sender port (the dispatcher's thread) -----------------------------------

    def send_dm(self, platform: str, platform_user_id: str, reply: Reply) -> None:
        self._only(platform, f"cannot reach a {platform} user")
        user = self.user_ref(platform_user_id)
        run_on_loop(self.loop, self.deliver(user, reply, DELIVERY_KEY.get()), self.timeout)

    def post_to_help(
        self, platform: str, workspace_id: str | None, reply: Reply, channel_id: str | None = None
    ) -> tuple[str, str]:
        self._only(platform, f"cannot post on {platform}")
        posting = self.post(workspace_id, reply, DELIVERY_KEY.get(), channel_id)
        return run_on_loop(self.loop, posting, self.timeout)

    # --- async, on the platform's loop ------------------------------------------------------------

    async def post(
        self,
        workspace_id: str | None,
        reply: Reply,
        delivery: DeliveryKey | None = None,
        channel_id: str | None = None,
    ) -> tuple[str, str]:
        """Post ``reply`` in ``channel_id`` or the workspace's help channel: (channel id, message id)."""
        return await self._mapped(self._post(workspace_id, reply, delivery, channel_id), posting=True)

    async def deliver(self, user: Any, reply: Reply, delivery: DeliveryKey | None = None) -> Any:
        """DM ``reply`` to ``user``; returns the platform's message id."""
        return await self._mapped(self._deliver(user, reply, delivery), posting=False)

    # --- what each platform says ------------------------------------------------------------------

    def user_ref(self, platform_user_id: str) -> Any:
        """The platform's handle for a user id (raise a non-retryable ``DeliveryError`` if it is none)."""
        return platform_user_id

    async def _post(
        self, workspace_id: str | None, reply: Reply, delivery: DeliveryKey | None, channel_id: str | None
    ) -> tuple[str, str]:
        raise NotImplementedError

    async def _deliver(self, user: Any, reply: Reply, delivery: DeliveryKey | None) -> Any:
        raise NotImplementedError

    def client_error(self, exc: Exception, posting: bool) -> DeliveryError | None:
        """The ``DeliveryError`` for one of the client's own errors; None when ``exc`` is not one."""
        return None

    # --- shared -------------------------------------------------------------------------------------

    def _only(self, platform: str, what: str) -> None:
        if platform != self.platform:
            raise DeliveryError(f"the {self.platform.title()} sender {what}", retryable=False)

    async def _mapped(self, call: Awaitable[T], posting: bool) -> T:
        try:
            return await call
        except DeliveryError:
            raise
        except Exception as exc:
            error = self.client_error(exc, posting)
            if error is None and isinstance(exc, self.connection_errors):
                error = DeliveryError(f"{self.platform} connection: {type(exc).__name__}", retryable=True)
            if error is None:
                raise
            raise error from None
