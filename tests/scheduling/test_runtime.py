"""The process-level wiring: routing DMs by platform, the scheduler's lifecycle, the loop bridge."""

from __future__ import annotations

import asyncio
import threading

import pytest

from bot.domain.replies import Reply
from bot.platforms.bridge import run_on_loop
from bot.scheduling.runtime import FollowUpRuntime, PlatformSenders
from bot.scheduling.sender import DeliveryError
from tests.recording_sender import RecordingSender

HI = Reply("hi", ephemeral=False)


def test_dms_are_routed_by_platform() -> None:
    slack, discord = RecordingSender(), RecordingSender()
    senders = PlatformSenders(["slack", "discord"])
    senders.register("slack", slack)
    senders.register("discord", discord)
    senders.send_dm("slack", "U1", HI)
    senders.send_dm("discord", "42", HI)
    assert [m.platform_user_id for m in slack.sent] == ["U1"]
    assert [m.platform_user_id for m in discord.sent] == ["42"]


def test_a_platform_not_connected_yet_is_retryable_one_not_run_is_not() -> None:
    senders = PlatformSenders(["slack"])
    with pytest.raises(DeliveryError) as waiting:
        senders.send_dm("slack", "U1", HI)
    assert waiting.value.retryable
    with pytest.raises(DeliveryError) as absent:
        senders.send_dm("console", "maria", HI)
    assert not absent.value.retryable


def test_ready_fires_once_when_every_platform_registered() -> None:
    fired: list[int] = []
    senders = PlatformSenders(["slack", "discord"], on_ready=lambda: fired.append(1))
    senders.register("slack", RecordingSender())
    assert not fired and not senders.ready
    senders.register("discord", RecordingSender())
    senders.register("discord", RecordingSender())  # a reconnect re-registering
    assert fired == [1] and senders.ready


def test_the_scheduler_starts_when_senders_are_ready_and_shuts_down_cleanly(app) -> None:  # type: ignore[no-untyped-def]
    runtime = FollowUpRuntime(app, ["slack"], interval_seconds=3600)
    assert not runtime.running
    runtime.senders.register("slack", RecordingSender())
    assert runtime.running
    runtime.start()  # idempotent
    runtime.shutdown()
    runtime.shutdown()
    assert not runtime.running


def test_the_bridge_runs_a_coroutine_on_another_threads_loop() -> None:
    loop = asyncio.new_event_loop()
    thread = threading.Thread(target=loop.run_forever, daemon=True)
    thread.start()
    try:

        async def answer() -> int:
            return 42

        async def slow() -> None:
            await asyncio.sleep(5)

        assert run_on_loop(loop, answer(), timeout=5) == 42
        with pytest.raises(DeliveryError) as caught:
            run_on_loop(loop, slow(), timeout=0.05)
        assert caught.value.retryable
    finally:
        loop.call_soon_threadsafe(loop.stop)
        thread.join(timeout=5)
        loop.close()
    with pytest.raises(DeliveryError):
        run_on_loop(loop, answer(), timeout=1)


async def test_the_bridge_refuses_to_wait_on_its_own_loop() -> None:
    async def answer() -> int:
        return 1

    with pytest.raises(RuntimeError):
        run_on_loop(asyncio.get_running_loop(), answer(), timeout=1)


def test_run_platforms_hands_runners_the_senders_and_stops_the_scheduler(app, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from bot.platforms import launcher
    from bot.scheduling import runtime as runtime_module

    seen: list[FollowUpRuntime] = []
    original = runtime_module.FollowUpRuntime

    class Spy(original):  # type: ignore[misc, valid-type]
        def __init__(self, *args, **kwargs) -> None:  # type: ignore[no-untyped-def]
            super().__init__(*args, **kwargs)
            seen.append(self)

    async def fake_runner(kindred_app, senders) -> None:  # type: ignore[no-untyped-def]
        senders.register("slack", RecordingSender())
        assert seen[0].running, "the scheduler starts once the platform's sender is registered"

    monkeypatch.setattr(runtime_module, "FollowUpRuntime", Spy)
    monkeypatch.setattr(launcher, "_runner", lambda name: fake_runner)
    launcher.run_platforms(app, ["slack"])
    assert len(seen) == 1 and not seen[0].running


def test_the_runtime_also_runs_goal_checkins_and_pack_rounds(app) -> None:  # type: ignore[no-untyped-def]
    from bot.handlers.ask import INDEX_FOLLOW_JOB_ID
    from bot.handlers.goals import CHECKIN_JOB_ID as GOAL_CHECKIN_JOB_ID
    from bot.handlers.pack import ROUNDS_JOB_ID as PACK_ROUNDS_JOB_ID
    from bot.scheduling.scheduler import JOB_ID

    runtime = FollowUpRuntime(app, ["slack"], interval_seconds=3600)
    assert {job.id for job in runtime.scheduler.get_jobs()} == {
        JOB_ID,
        GOAL_CHECKIN_JOB_ID,
        PACK_ROUNDS_JOB_ID,
        INDEX_FOLLOW_JOB_ID,
    }
    runtime.scheduler.get_job(INDEX_FOLLOW_JOB_ID).func()  # follows the change feed; nothing raised
    runtime.scheduler.get_job(GOAL_CHECKIN_JOB_ID).func()  # one tick: nothing due, nothing raised
    runtime.scheduler.get_job(PACK_ROUNDS_JOB_ID).func()  # nobody opted in: no round, nothing raised
