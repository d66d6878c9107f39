"""``KINDRED_WORKERS=2 kindred run --platform slack`` (HTTP mode): one real parent OS process starts two
workers on one port (SO_REUSEPORT). Signed ``/ask`` commands over fresh connections are acknowledged and
answered by both workers, a share on one is suggested by the other (the change feed), and stopping the
parent stops them."""

from __future__ import annotations

import asyncio
import json
import os
import signal
import time
from pathlib import Path
from urllib.parse import urlencode

import aiohttp

from bot.platforms.slack.runner import WORKER_HEADER
from tests.multiprocess.processes import KindredProcess
from tests.platforms.slack.conftest import signed_headers
from tests.platforms.slack.fake_slack import FakeSlack

ASK = "Any ideas for a hands-on fractions lesson for my 4th graders?"
SHARED = "Cursive Handwriting Warm-Ups with Sky, Plane and Grass Lines"
ASK_CURSIVE = "Any cursive handwriting warm-ups with sky, plane and grass lines for my 3rd graders?"
SHARE_WITHIN_S = 10.0  # SQLite has no notifications: each worker polls the change feed every 2 s


def children_of(pid: int) -> list[int]:
    """Child process ids, from /proc (Linux: SO_REUSEPORT spreading is what this tests anyway)."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                found.append(int(entry.name))
    return found


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


async def ask(
    process: KindredProcess, n: int, text: str = ASK, command: str = "ask", user: str = ""
) -> tuple[str, str]:
    """A signed slash command on a fresh connection: (the worker that acknowledged it, what reached its
    response_url)."""
    body = urlencode(
        {
            "team_id": "T1",
            "channel_id": "CGENERAL01",
            "user_id": user or f"UWORKER{n:03d}",
            "command": f"/{command}",
            "text": text,
            "response_url": process.fake.response_url(f"w{n}"),
            "trigger_id": f"7.{n}",
        }
    )
    headers = signed_headers(body, "application/x-www-form-urlencoded")
    async with (
        aiohttp.ClientSession() as session,  # a new connection each time: the kernel picks a worker
        session.post(f"{process.url}/slack/events", data=body.encode(), headers=headers) as response,
    ):
        assert response.status == 200, process.output()
        worker = response.headers[WORKER_HEADER]
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        for call in process.fake.of("response_url"):
            if call.token == f"w{n}":
                return worker, json.dumps(call.params)
        await asyncio.sleep(0.02)
    raise AssertionError(f"no answer to /ask {n}:\n{process.output()}")


async def started_workers(tmp_path: Path, fake: FakeSlack) -> tuple[KindredProcess, list[int]]:
    """The parent, once ready with both of its workers started: (it, the workers' pids)."""
    process = KindredProcess(
        "workers", tmp_path / "data", f"sqlite:///{tmp_path / 'kindred.db'}", fake, KINDRED_WORKERS="2"
    ).start()
    try:
        await process.ready()  # worker 0 first; worker 1 starts once it is ready
        assert process.child is not None
        deadline = time.monotonic() + 60
        while len(children_of(process.child.pid)) < 2 and time.monotonic() < deadline:
            await asyncio.sleep(0.1)
        workers = children_of(process.child.pid)
        assert len(workers) == 2, process.output()
    except BaseException:
        process.stop()
        raise
    return process, workers


async def test_two_workers_share_the_port_and_each_answers(tmp_path: Path, fake: FakeSlack) -> None:
    process, workers = await started_workers(tmp_path, fake)
    try:
        seen: dict[str, int] = {}
        n = 0
        while len(seen) < 2 and n < 200:  # until both workers have acknowledged and answered one
            worker, answer = await ask(process, n)
            assert "blocks" in answer, answer
            seen[worker] = seen.get(worker, 0) + 1
            n += 1
        assert set(seen) == {"0", "1"}, (seen, process.output())
        assert (tmp_path / "data" / "index-worker1").is_dir(), "worker 1 keeps its own index files"

        shared_by, thanks = await ask(
            process, 500, f"{SHARED} | cursive on sky, plane and grass lines", "share"
        )
        assert "thank" in thanks.lower()
        deadline = time.monotonic() + SHARE_WITHIN_S
        n = 501
        while True:  # the other worker suggests it once it has applied the change feed
            worker, answer = await ask(process, n, ASK_CURSIVE, user="UDEREK01")
            if worker != shared_by and SHARED in answer:
                break
            assert time.monotonic() < deadline, f"worker {shared_by}'s share never reached the other one"
            n += 1
    finally:
        process.stop()
    assert not [pid for pid in workers if alive(pid)], "stopping the parent stops its workers"


async def test_when_a_worker_dies_the_parent_stops_the_other_and_fails(
    tmp_path: Path, fake: FakeSlack
) -> None:
    process, workers = await started_workers(tmp_path, fake)
    try:
        assert process.child is not None
        os.kill(workers[1], signal.SIGKILL)
        assert await asyncio.to_thread(process.child.wait, 30) != 0, (
            "a service manager sees the set fail and restarts it"
        )
        assert not [pid for pid in workers if alive(pid)], process.output()
    finally:
        process.stop()
