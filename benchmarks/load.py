"""Load on the real Slack HTTP endpoint: ``python -m benchmarks.load [--concurrency 50,150]``.

A child process runs Kindred as ``kindred run --platform slack`` would (real model, sample catalog, SQLite,
the aiohttp route, bolt, signature checks); this process plays Slack: it fires N signed ``/ask`` commands at
once and serves the Web API and the ``response_url`` endpoints (a local fake). For each request it records
the **ack** (the HTTP answer Slack waits at most 3 s for) and the **answer** (the suggestions arriving at the
``response_url``). The child also times ``/ask`` in-process on the same questions, so the answer time is
reported as a ratio to it — absolute times move between hosts, ratios much less.

Per stage (the child records when each request's core call started and ended, and every model call, on the
same monotonic clock): **wait** for a core thread, **core** (the /ask handler, its batched embedding
included), **deliver** (from the core's end to the suggestions arriving), and the model calls' batch sizes.
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
STATS_PATH = "/bench/stats"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _serve(port: int, api_url: str, folder: str, ready: multiprocessing.Queue, model: str | None) -> None:  # type: ignore[type-arg]
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
        **({"KINDRED_MODEL": model} if model else {}),
    )
    app = prepare(bootstrap(settings), ["slack"])
    stages, model_calls = _instrument(app)
    actor = Actor("slack", "UINPROC01", "In Process", workspace_id="T1")
    timings = []
    for question in QUESTIONS * 3:
        started = time.perf_counter()
        app.kindred.handle_command(Command(actor, "ask", question, channel_id="CGENERAL01"))
        timings.append(time.perf_counter() - started)
    ready.put(statistics.median(timings))
    stages.clear()
    model_calls.clear()

    async def stats(_: web.Request) -> web.Response:
        body = {"stages": dict(stages), "model_calls": list(model_calls)}
        stages.clear()
        model_calls.clear()
        return web.json_response(body)

    web_app = build_web_app(build_bolt_app(app, base_url=api_url), app)
    web_app.router.add_get(STATS_PATH, stats)
    web.run_app(web_app, host="127.0.0.1", port=port, print=None)


def _instrument(app) -> tuple[dict[str, tuple[float, float]], list[tuple[float, float, int]]]:  # type: ignore[no-untyped-def]
    """Record each /ask's core call (by asker) and each model call (start, end, texts) in the child."""
    stages: dict[str, tuple[float, float]] = {}
    model_calls: list[tuple[float, float, int]] = []
    handle = app.kindred.handle_command

    def timed_command(command):  # type: ignore[no-untyped-def]
        started = time.monotonic()
        try:
            return handle(command)
        finally:
            stages[command.actor.user_id] = (started, time.monotonic())

    app.kindred.handle_command = timed_command
    model = getattr(app.embedder, "inner", app.embedder)  # the model behind the batching embedder
    encode = model.embed

    def timed_embed(texts):  # type: ignore[no-untyped-def]
        started = time.monotonic()
        try:
            return encode(texts)
        finally:
            model_calls.append((started, time.monotonic(), len(texts)))

    model.embed = timed_embed
    return stages, model_calls


def _signed(body: str) -> dict[str, str]:
    timestamp = str(int(time.time()))
    return {
        "Content-Type": "application/x-www-form-urlencoded",
        "X-Slack-Request-Timestamp": timestamp,
        "X-Slack-Signature": SignatureVerifier(SECRET).generate_signature(timestamp=timestamp, body=body),
    }


async def _one(
    session: aiohttp.ClientSession, url: str, fake: FakeSlack, n: int
) -> tuple[str, float, float, float]:
    """(asker, sent at, ack seconds, answer seconds)."""
    token = f"load{n}"
    body = urlencode(
        {
            "team_id": "T1",
            "channel_id": "CGENERAL01",
            "user_id": _user(n),
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
                return _user(n), started, ack, call.at - started
        await asyncio.sleep(0.01)
    raise RuntimeError(f"no answer for request {n} within 60 s")


def _user(n: int) -> str:
    return f"ULOAD{n:05d}"


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
        async with session.get(url.replace("/slack/events", STATS_PATH)) as response:
            stats = await response.json()
    acks = [ack for _, _, ack, _ in results]
    answers = [answer for _, _, _, answer in results]
    waits, cores, delivers = [], [], []
    for user, sent, _, answer in results:
        core_start, core_end = stats["stages"][user]
        waits.append(core_start - sent)
        cores.append(core_end - core_start)
        delivers.append(sent + answer - core_end)
    calls = stats["model_calls"]
    sizes = [n for _, _, n in calls]
    return {
        "ack_p50_s": _pct(acks, 0.5),
        "ack_p99_s": _pct(acks, 0.99),
        "ack_max_s": max(acks),
        "answer_p50_s": _pct(answers, 0.5),
        "answer_p99_s": _pct(answers, 0.99),
        "wait_p50_s": _pct(waits, 0.5),
        "wait_p99_s": _pct(waits, 0.99),
        "core_p50_s": _pct(cores, 0.5),
        "core_p99_s": _pct(cores, 0.99),
        "deliver_p50_s": _pct(delivers, 0.5),
        "deliver_p99_s": _pct(delivers, 0.99),
        "model_calls": len(calls),
        "batch_mean": statistics.mean(sizes) if sizes else 0.0,
        "batch_max": max(sizes, default=0),
        "model_call_p50_s": _pct([end - start for start, end, _ in calls], 0.5) if calls else 0.0,
        "model_busy_s": sum(end - start for start, end, _ in calls),
    }


def _stage_line(level: int, r: dict[str, float]) -> str:
    return (
        f"{level:>10}  wait for core p50/p99 {r['wait_p50_s']:.2f}/{r['wait_p99_s']:.2f} s · "
        f"core {r['core_p50_s']:.2f}/{r['core_p99_s']:.2f} s · "
        f"deliver {r['deliver_p50_s']:.3f}/{r['deliver_p99_s']:.3f} s · "
        f"model: {r['model_calls']:.0f} calls for {level} questions (batch mean {r['batch_mean']:.1f}, "
        f"max {r['batch_max']:.0f}, p50 {r['model_call_p50_s'] * 1000:.0f} ms, "
        f"busy {r['model_busy_s']:.1f} s)"
    )


async def _main(levels: list[int], model: str | None = None) -> int:
    fake = _TokenFake()
    await fake.start()
    port = _free_port()
    context = multiprocessing.get_context("spawn")
    ready = context.Queue()
    with tempfile.TemporaryDirectory() as folder:
        server = context.Process(target=_serve, args=(port, fake.base_url, folder, ready, model), daemon=True)
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
            stages: list[tuple[int, dict[str, float]]] = []
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
                stages.append((level, r))
            print("per stage (request sent -> core thread starts -> core ends -> suggestions arrive):")
            for level, r in stages:
                print(_stage_line(level, r))
            print("targets: " + ", ".join(f"{k} ≤ {v}" for k, v in TARGETS.items()))
        finally:
            server.kill()
            server.join()
            await fake.stop()
    return 1 if failed else 0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--concurrency", default="50,150", help="comma-separated concurrency levels")
    parser.add_argument("--model", help="KINDRED_MODEL for the child (default: the bundled model)")
    args = parser.parse_args()
    sys.exit(asyncio.run(_main([int(x) for x in args.concurrency.split(",")], args.model)))


if __name__ == "__main__":
    main()
