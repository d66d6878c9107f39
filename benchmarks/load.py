"""Load on the real Slack HTTP endpoint: ``python -m benchmarks.load [--concurrency 50,150]``.

A child process runs Kindred as ``kindred run --platform slack`` would (real model, sample catalog, SQLite,
the aiohttp route, bolt, signature checks); this process plays Slack: it fires N signed ``/ask`` commands at
once and serves the Web API and the ``response_url`` endpoints (a local fake). For each request it records
the **ack** (the HTTP answer Slack waits at most 3 s for) and the **answer** (the suggestions arriving at the
``response_url``). The child also times ``/ask`` in-process on the same questions, so the answer time is
reported as a ratio to it — absolute times move between hosts, ratios much less.
"""

from __future__ import annotations

import argparse
import asyncio
import multiprocessing
import os
import socket
import statistics
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlencode

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")

import aiohttp
from slack_sdk.signature import SignatureVerifier

from tests.platforms.slack.fake_slack import FakeSlack

SECRET = "bench-signing-secret-0123456789"
QUESTIONS = (
    "How do I teach equivalent fractions hands-on to 4th graders?",
    "Ideas for a photosynthesis lab for 7th grade?",
    "My 10th graders keep failing stoichiometry, any ideas?",
    "How do you run reading conferences with 3rd graders?",
    "Any tips for classroom management during transitions?",
    "What's a good exit ticket for a lesson on ratios?",
)
TARGETS = {"ack_p99_s": 0.5, "ack_max_s": 3.0, "answer_p99_s": 5.0}


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _serve(port: int, api_url: str, folder: str, ready: multiprocessing.Queue) -> None:  # type: ignore[type-arg]
    """The Kindred process: prepare, time /ask in-process, then serve HTTP until killed."""
    from aiohttp import web

    from bot.bootstrap import bootstrap, prepare
    from bot.domain.events import Actor, Command
    from bot.logging_setup import configure_logging
    from bot.platforms.slack.app_factory import build_bolt_app
    from bot.platforms.slack.runner import build_web_app
    from bot.settings import load_settings

    configure_logging("WARNING")
    settings = load_settings(
        KINDRED_DATA_DIR=Path(folder) / "data",
        KINDRED_DATABASE_URL=f"sqlite:///{Path(folder) / 'kindred.db'}",
        SLACK_BOT_TOKEN="xoxb-bench",
        SLACK_SIGNING_SECRET=SECRET,
    )
    app = prepare(bootstrap(settings), ["slack"])
    actor = Actor("slack", "UINPROC01", "In Process", workspace_id="T1")
    timings = []
    for question in QUESTIONS * 3:
        started = time.perf_counter()
        app.kindred.handle_command(Command(actor, "ask", question, channel_id="CGENERAL01"))
        timings.append(time.perf_counter() - started)
    ready.put(statistics.median(timings))
    web.run_app(
        build_web_app(build_bolt_app(app, base_url=api_url), app), host="127.0.0.1", port=port, print=None
    )


def _signed(body: str) -> dict[str, str]:
    timestamp = str(int(time.time()))
    return {
        "Content-Type": "application/x-www-form-urlencoded",
        "X-Slack-Request-Timestamp": timestamp,
        "X-Slack-Signature": SignatureVerifier(SECRET).generate_signature(timestamp=timestamp, body=body),
    }


async def _one(session: aiohttp.ClientSession, url: str, fake: FakeSlack, n: int) -> tuple[float, float]:
    token = f"load{n}"
    body = urlencode(
        {
            "team_id": "T1",
            "channel_id": "CGENERAL01",
            "user_id": f"ULOAD{n:05d}",
            "command": "/ask",
            "text": QUESTIONS[n % len(QUESTIONS)],
            "response_url": fake.response_url(token),
            "trigger_id": f"{n}.1",
        }
    )
    started = time.monotonic()
    async with session.post(url, data=body.encode(), headers=_signed(body)) as response:
        await response.read()
        if response.status != 200:
            raise RuntimeError(f"/ask answered {response.status}")
    ack = time.monotonic() - started
    deadline = started + 60
    while time.monotonic() < deadline:
        for call in fake.calls:
            if call.method == f"response_url:{token}" and "blocks" in call.params:
                return ack, call.at - started
        await asyncio.sleep(0.01)
    raise RuntimeError(f"no answer for request {n} within 60 s")


class _TokenFake(FakeSlack):
    """The fake Web API, recording which response_url token each webhook post went to."""

    async def _response_url(self, request):  # type: ignore[no-untyped-def]
        from aiohttp import web

        from tests.platforms.slack.fake_slack import Call

        self.calls.append(Call(f"response_url:{request.match_info['token']}", await self._params(request)))
        return web.Response(text="ok")


def _pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


async def _round(url: str, fake: FakeSlack, concurrency: int, offset: int) -> dict[str, float]:
    connector = aiohttp.TCPConnector(limit=concurrency)
    async with aiohttp.ClientSession(connector=connector) as session:
        results = await asyncio.gather(*(_one(session, url, fake, offset + i) for i in range(concurrency)))
    acks = [a for a, _ in results]
    answers = [b for _, b in results]
    return {
        "ack_p50_s": _pct(acks, 0.5),
        "ack_p99_s": _pct(acks, 0.99),
        "ack_max_s": max(acks),
        "answer_p50_s": _pct(answers, 0.5),
        "answer_p99_s": _pct(answers, 0.99),
    }


async def _main(levels: list[int]) -> int:
    fake = _TokenFake()
    await fake.start()
    port = _free_port()
    context = multiprocessing.get_context("spawn")
    ready = context.Queue()
    with tempfile.TemporaryDirectory() as folder:
        server = context.Process(target=_serve, args=(port, fake.base_url, folder, ready), daemon=True)
        server.start()
        try:
            in_process = await asyncio.get_running_loop().run_in_executor(None, ready.get, True, 300)
            url = f"http://127.0.0.1:{port}/slack/events"
            for _ in range(100):  # the route is up shortly after the in-process timing
                try:
                    async with (
                        aiohttp.ClientSession() as session,
                        session.get(url.replace("/slack/events", "/healthz")),
                    ):
                        break
                except aiohttp.ClientError:
                    await asyncio.sleep(0.1)
            await _round(url, fake, 5, 0)  # warm-up: auth.test, users.info caches, first-request costs
            failed = False
            print(f"in-process /ask p50: {in_process * 1000:.1f} ms")
            columns = ("ack p50", "ack p99", "ack max", "ans p50", "ans p99")
            print(f"{'concurrent':>10} " + " ".join(f"{c:>8}" for c in columns) + f" {'p99/in-proc':>11}")
            for i, level in enumerate(levels):
                r = await _round(url, fake, level, 1000 * (i + 1))
                ratio = r["answer_p99_s"] / in_process
                misses = [k for k, limit in TARGETS.items() if r[k] > limit]
                failed |= bool(misses)
                print(
                    f"{level:>10} {r['ack_p50_s']:>7.3f}s {r['ack_p99_s']:>7.3f}s {r['ack_max_s']:>7.3f}s "
                    f"{r['answer_p50_s']:>7.2f}s {r['answer_p99_s']:>7.2f}s {ratio:>10.1f}×"
                    + (f"  over target: {', '.join(misses)}" if misses else "")
                )
            print("targets: " + ", ".join(f"{k} ≤ {v}" for k, v in TARGETS.items()))
        finally:
            server.kill()
            server.join()
            await fake.stop()
    return 1 if failed else 0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--concurrency", default="50,150", help="comma-separated concurrency levels")
    args = parser.parse_args()
    sys.exit(asyncio.run(_main([int(x) for x in args.concurrency.split(",")])))


if __name__ == "__main__":
    main()
